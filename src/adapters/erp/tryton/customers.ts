/**
 * Customer accounts from Tryton's parties (`party.party`): the customer id is the party's code.
 * Four calls answer a whole batch: the parties (with credit and price list), then at once their
 * addresses, their e-mail contact mechanisms and the days of their payment terms.
 *
 * Primary contact: the party's first e-mail contact mechanism (by sequence), as Tryton itself
 * picks a party's e-mail; `null` when it has none.
 *
 * Credit: Tryton's `credit_amount` is what the party owes (`receivable`) plus its confirmed sales
 * not yet invoiced; the port splits it into `balance` (receivable) and `openOrders` (the rest).
 * A party without `credit_limit_amount` has no limit in Tryton (it never refuses the party's
 * sales for credit): its limit is `null`.
 *
 * @module
 */
import Big from 'big.js';
import { z } from 'zod';
import type { Address, CustomerAccount, ErpCallOptions } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { decimal, flag, id, optionalText, parseAnswer, related } from './values.ts';

const PartyRows = z.array(
  z.object({
    id,
    code: z.string().min(1, { error: 'expected a party code' }),
    name: z.string(),
    sale_price_list: id.nullable(),
    customer_payment_term: id.nullable(),
    'customer_payment_term.': related({ name: z.string() }),
    credit_amount: decimal.nullable(),
    credit_limit_amount: decimal.nullable(),
    receivable: decimal.nullable(),
  }),
);

const AddressRows = z.array(
  z.object({
    id,
    party: id,
    name: optionalText,
    street: optionalText,
    city: optionalText,
    postal_code: optionalText,
    sequence: z.number().int().nullable(),
    delivery: flag.optional(),
    active: flag.optional(),
    'country.': related({ code: z.string().nullable() }),
    'subdivision.': related({ code: z.string().nullable() }),
  }),
);

const EmailRows = z.array(z.object({ id, party: id, value: optionalText }));

const DeltaRows = z.array(
  z.object({
    id,
    days: z.number().int().nullable(),
    weeks: z.number().int().nullable(),
    months: z.number().int().nullable(),
    'line.': related({ payment: id }),
  }),
);

/** `getCustomers`: one account per party code; an unknown code is `ERP_NOT_FOUND`. */
export async function getCustomers(rpc: TrytonRpc, ids: readonly string[], options?: ErpCallOptions): Promise<Array<CustomerAccount | Error>> {
  const operation = 'getCustomers';
  const unique = [...new Set(ids)].filter((s) => s !== '');
  const found = new Map<string, CustomerAccount>();
  if (unique.length > 0) {
    const { currency } = await rpc.session(options);
    const parties = parseAnswer(
      PartyRows,
      await rpc.model(
        operation,
        'party.party',
        'search_read',
        [
          [['code', 'in', unique]],
          0,
          null,
          [['id', 'ASC']],
          ['code', 'name', 'sale_price_list', 'customer_payment_term', 'customer_payment_term.name', 'credit_amount', 'credit_limit_amount', 'receivable'],
        ],
        {},
        options,
      ),
      operation,
      'parties',
    );
    const partyIds = parties.map((p) => p.id);
    const termIds = [...new Set(parties.flatMap((p) => (p.customer_payment_term === null ? [] : [p.customer_payment_term])))];
    const [addressAnswer, emailAnswer, deltaAnswer] = await Promise.all([
      partyIds.length === 0
        ? []
        : rpc.model(
            operation,
            'party.address',
            'search_read',
            [
              [['party', 'in', partyIds]],
              0,
              null,
              [
                ['party', 'ASC'],
                ['sequence', 'ASC'],
                ['id', 'ASC'],
              ],
              ['party', 'name', 'street', 'city', 'postal_code', 'sequence', 'delivery', 'country.code', 'subdivision.code'],
            ],
            {},
            options,
          ),
      partyIds.length === 0
        ? []
        : rpc.model(
            operation,
            'party.contact_mechanism',
            'search_read',
            [
              [
                ['party', 'in', partyIds],
                ['type', '=', 'email'],
              ],
              0,
              null,
              [
                ['party', 'ASC'],
                ['sequence', 'ASC'],
                ['id', 'ASC'],
              ],
              ['party', 'value'],
            ],
            {},
            options,
          ),
      termIds.length === 0
        ? []
        : rpc.model(
            operation,
            'account.invoice.payment_term.line.delta',
            'search_read',
            [[['line.payment', 'in', termIds]], 0, null, null, ['days', 'weeks', 'months', 'line.payment']],
            {},
            options,
          ),
    ]);
    const addresses = parseAnswer(AddressRows, addressAnswer, operation, 'addresses');
    const emails = firstEmails(parseAnswer(EmailRows, emailAnswer, operation, 'e-mail contacts'));
    const netDays = netDaysByTerm(parseAnswer(DeltaRows, deltaAnswer, operation, 'payment term deltas'));
    for (const party of parties) {
      if (found.has(party.code)) continue;
      const receivable = new Big(party.receivable ?? '0');
      const credit = new Big(party.credit_amount ?? '0');
      const openOrders = credit.minus(receivable);
      const own = addresses.filter((a) => a.party === party.id);
      // Tryton uses the first delivery address (by sequence) by default; else the first address.
      const preferred = own.find((a) => a.delivery) ?? own[0];
      found.set(party.code, {
        id: party.code,
        name: party.name,
        currency: currency.code,
        priceListId: party.sale_price_list === null ? null : String(party.sale_price_list),
        // Tryton has no per-customer contract prices apart from a price list.
        hasContractPrices: false,
        paymentTerms: {
          code: party.customer_payment_term === null ? 'NONE' : String(party.customer_payment_term),
          description: party['customer_payment_term.']?.name ?? 'Due on receipt',
          netDays: party.customer_payment_term === null ? 0 : (netDays.get(party.customer_payment_term) ?? 0),
        },
        // Tryton has no "PO number required" flag on parties.
        poRequired: false,
        shipTos: own.map((a) => toAddress(a, a === preferred)),
        credit: {
          limit: party.credit_limit_amount === null ? null : new Big(party.credit_limit_amount).toFixed(2),
          balance: receivable.toFixed(2),
          openOrders: (openOrders.lt(0) ? new Big(0) : openOrders).toFixed(2),
          // Tryton refuses confirming over the limit but has no standing hold on a party.
          onHold: false,
          holdReason: null,
        },
        primaryContact: emails.get(party.id) ?? null,
      });
    }
  }
  return ids.map(
    (code) => found.get(code) ?? new ErpError('ERP_NOT_FOUND', `Customer ${code} does not exist in Tryton (no party with this code)`, { operation }),
  );
}

function toAddress(a: z.output<typeof AddressRows>[number], isDefault: boolean): Address {
  const [line1 = '', ...rest] = (a.street ?? '').split('\n');
  return {
    id: String(a.id),
    name: a.name ?? '',
    line1,
    line2: rest.length > 0 ? rest.join(', ') : null,
    city: a.city ?? '',
    region: a['subdivision.']?.code ?? null,
    postalCode: a.postal_code ?? '',
    // The port wants ISO 3166-1 alpha-2; an address without a country in Tryton answers "ZZ"
    // (ISO's code for an unknown country) rather than failing the whole account.
    country: a['country.']?.code ?? 'ZZ',
    isDefault,
  };
}

/** Each party's first non-empty e-mail (the rows come by party, then sequence). */
function firstEmails(rows: z.output<typeof EmailRows>): Map<number, string> {
  const out = new Map<number, string>();
  for (const row of rows) {
    const email = row.value?.trim();
    if (email && !out.has(row.party)) out.set(row.party, email);
  }
  return out;
}

/** The net days of each payment term: its longest delta (months counted as 30 days). */
function netDaysByTerm(deltas: z.output<typeof DeltaRows>): Map<number, number> {
  const out = new Map<number, number>();
  for (const delta of deltas) {
    const term = delta['line.']?.payment;
    if (term === undefined) continue;
    const days = (delta.days ?? 0) + 7 * (delta.weeks ?? 0) + 30 * (delta.months ?? 0);
    out.set(term, Math.max(out.get(term) ?? 0, days));
  }
  return out;
}
