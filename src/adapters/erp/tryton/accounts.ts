/**
 * Customer accounts created in Tryton (capability `accounts`): a `party.party` with its addresses,
 * an email contact, the tax id and the registration's reference as identifiers, and the price list
 * and payment term erpfront's configuration names (their Tryton ids, as `getCustomers` reports
 * them). The party's code, which is the customer id, comes from Tryton's party sequence.
 *
 * The reference is a `party.identifier` (type none, code `erpfront:<ref>`), searchable and apart
 * from the party's own code. Tryton enters the party, its addresses and identifiers in one `create`
 * (one transaction): after a lost reply the party is there whole or not at all, and
 * {@link findCustomerByExternalRef} tells which. Tryton does not refuse a second party with one
 * identifier, so the caller looks up before sending again.
 *
 * @module
 */
import { z } from 'zod';
import type { CreatedCustomer, ErpAccountCreation, ErpCallOptions, NewCustomerRequest } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { id, parseAnswer } from './values.ts';

/** What the registration's reference is stored under, apart from any real identifier (a tax id). */
const REF_PREFIX = 'erpfront:';

const PartyRows = z.array(z.object({ id, code: z.string().min(1, { error: 'expected a party code' }), name: z.string() }));
const IdRows = z.array(z.object({ id, code: z.string().nullable().optional() }));
const CreatedIds = z.array(id).length(1);

/** A Tryton record id given as the port's string id; `null` when it is none. */
function recordId(value: string): number | null {
  return /^[1-9]\d{0,15}$/.test(value) ? Number(value) : null;
}

/** The capability `accounts` over one Tryton session. */
export function trytonAccounts(rpc: TrytonRpc): ErpAccountCreation {
  /** The Tryton id of the `model` record `wanted` names (`null` for none); `ERP_REJECTED` with `reason` when Tryton has no such record. */
  async function existing(operation: string, model: string, wanted: string | null, reason: string, options?: ErpCallOptions): Promise<number | null> {
    if (wanted === null) return null;
    const rid = recordId(wanted);
    const found =
      rid === null
        ? []
        : parseAnswer(IdRows, await rpc.model(operation, model, 'search_read', [[['id', '=', rid]], 0, 1, null, ['id']], {}, options), operation, model);
    if (found.length === 0) throw new ErpError('ERP_REJECTED', `${operation}: Tryton has no ${model} ${wanted}`, { operation, reason });
    return rid;
  }

  async function byRef(operation: string, externalRef: string, options?: ErpCallOptions) {
    return parseAnswer(
      PartyRows,
      await rpc.model(
        operation,
        'party.party',
        'search_read',
        [[['identifiers.code', '=', `${REF_PREFIX}${externalRef}`]], 0, null, [['id', 'ASC']], ['code', 'name']],
        {},
        options,
      ),
      operation,
      'parties',
    );
  }

  return {
    async createCustomer(request: NewCustomerRequest, options?: ErpCallOptions): Promise<CreatedCustomer> {
      const operation = 'createCustomer';
      const priceList = await existing(operation, 'product.price_list', request.priceListId, 'UNKNOWN_PRICE_LIST', options);
      const paymentTerm = await existing(operation, 'account.invoice.payment_term', request.paymentTermsCode, 'UNKNOWN_PAYMENT_TERMS', options);
      const codes = [...new Set(request.addresses.map((a) => a.country))];
      const countries = parseAnswer(
        z.array(z.object({ id, code: z.string() })),
        await rpc.model(operation, 'country.country', 'search_read', [[['code', 'in', codes]], 0, null, null, ['code']], {}, options),
        operation,
        'countries',
      );
      const countryId = new Map(countries.map((c) => [c.code, c.id]));
      const missing = codes.filter((c) => !countryId.has(c));
      if (missing.length > 0)
        throw new ErpError('ERP_REJECTED', `${operation}: Tryton knows no country ${missing.join(', ')}`, { operation, reason: 'UNKNOWN_COUNTRY' });

      const addresses = request.addresses.map((a, i) => ({
        name: a.name || null,
        // Tryton keeps the region in `subdivision` (a record); the line keeps it readable without one.
        street: [a.line1, a.line2, a.region].filter((line): line is string => Boolean(line)).join('\n'),
        city: a.city,
        postal_code: a.postalCode,
        country: countryId.get(a.country)!,
        sequence: (i + 1) * 10,
        // The first address is where Tryton delivers and invoices by default.
        ...(i === 0 ? { delivery: true, invoice: true } : {}),
      }));
      const values = {
        name: request.name,
        addresses: [['create', addresses]],
        identifiers: [
          [
            'create',
            [
              { type: null, code: request.taxId },
              { type: null, code: `${REF_PREFIX}${request.externalRef}` },
            ],
          ],
        ],
        contact_mechanisms: [['create', [{ type: 'email', value: request.contact.email, name: request.contact.name }]]],
        ...(priceList === null ? {} : { sale_price_list: priceList }),
        ...(paymentTerm === null ? {} : { customer_payment_term: paymentTerm }),
      };
      const [partyId] = parseAnswer(CreatedIds, await rpc.model(operation, 'party.party', 'create', [[values]], {}, options), operation, 'created party');
      const [party] = parseAnswer(PartyRows, await rpc.model(operation, 'party.party', 'read', [[partyId], ['code', 'name']], {}, options), operation, 'party');
      if (!party) throw new ErpError('ERP_BAD_RESPONSE', `${operation}: Tryton does not read back party ${partyId} it created`, { operation });
      return { id: party.code, externalRef: request.externalRef, name: party.name };
    },

    async findCustomerByExternalRef(externalRef: string, options?: ErpCallOptions): Promise<CreatedCustomer | null> {
      if (externalRef === '') throw new TypeError('findCustomerByExternalRef: expected a non-empty external reference');
      const [party] = await byRef('findCustomerByExternalRef', externalRef, options);
      return party ? { id: party.code, externalRef, name: party.name } : null;
    },
  };
}
