/**
 * Why Tryton holds a sale: the port's {@link ErpHoldReason} of a sale Tryton left a quotation.
 *
 * Tryton 6.0 keeps no hold reason: its credit limit (sale_credit_limit) refuses `confirm` with a
 * `UserError`, and the sale simply stays a quotation until a person confirms it. So the reason
 * comes from two places:
 * - at entry, from the refusal itself (`fromRefusal`): Tryton's own words;
 * - on every later read (`holdReasons`), from the rule Tryton applies at `confirm`, evaluated on
 *   the figures it would use: the invoice party's `credit_limit_amount` against its
 *   `credit_amount` (receivable plus confirmed sales) plus the sale's untaxed amount, checked only
 *   for sales that ship on order. Worded as Tryton words the refusal, so the buyer reads the same
 *   reason before and after. A quotation the rule does not explain (the limit was raised since,
 *   or an entry was cut short before `confirm`) awaits a person in Tryton: `AWAITING_CONFIRMATION`.
 *
 * A read therefore says why the sale is held *now*, which is what confirming it would answer.
 *
 * @module
 */
import Big from 'big.js';
import { z } from 'zod';
import type { ErpCallOptions, ErpHoldReason } from '../../../ports/erp-connector.ts';
import type { ErpError } from '../../../ports/erp-error.ts';
import { TrytonFault } from './faults.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { decimal, id, parseAnswer } from './values.ts';

/** The sale fields the rule needs (read with the sale). */
export const HOLD_FIELDS = ['party', 'invoice_party', 'shipment_method', 'untaxed_amount', 'currency.symbol', 'currency.digits'];

/** The sale's fields in {@link HOLD_FIELDS} but its currency (a sale row reads that with more). */
export const HoldFields = z.object({
  party: id.nullable(),
  invoice_party: id.nullable(),
  shipment_method: z.string().nullable(),
  untaxed_amount: decimal.nullable(),
});
/** The sale's currency fields in {@link HOLD_FIELDS}. */
export const HoldCurrency = { symbol: z.string().nullable(), digits: z.number().int().nonnegative().nullable() };

type HeldSale = z.output<typeof HoldFields> & { id: number; 'currency.': { symbol: string | null; digits: number | null } | null };

const PartyCredit = z.array(z.object({ id, rec_name: z.string(), credit_amount: decimal.nullable(), credit_limit_amount: decimal.nullable() }));

const AWAITING: ErpHoldReason = {
  code: 'AWAITING_CONFIRMATION',
  message: 'The order awaits confirmation by a person in Tryton.',
};

/** Longest message passed on: Tryton's texts are one sentence; anything longer is cut. */
const MAX_MESSAGE = 300;

/** One line of plain text, cut to {@link MAX_MESSAGE}: a refusal text is shown to buyers. */
function oneLine(text: string): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

/** The hold reason of a `confirm` Tryton refused (`ERP_REJECTED`), in Tryton's words. */
export function fromRefusal(error: ErpError): ErpHoldReason {
  const text = error.cause instanceof TrytonFault ? error.cause.text : error.message;
  return { code: error.reason ?? 'ERP_USER_ERROR', message: oneLine(text) || AWAITING.message };
}

/**
 * The hold reason of each sale Tryton holds (`draft` or `quotation`), by sale id: one call for
 * the parties' credit figures, none when no sale is held.
 */
export async function holdReasons(rpc: TrytonRpc, operation: string, held: HeldSale[], options?: ErpCallOptions): Promise<Map<number, ErpHoldReason>> {
  const out = new Map<number, ErpHoldReason>();
  if (held.length === 0) return out;
  const partyOf = (sale: HeldSale) => sale.invoice_party ?? sale.party;
  const partyIds = [...new Set(held.map(partyOf).filter((p): p is number => p !== null))];
  const parties =
    partyIds.length === 0
      ? []
      : parseAnswer(
          PartyCredit,
          await rpc.model(operation, 'party.party', 'read', [partyIds, ['rec_name', 'credit_amount', 'credit_limit_amount']], {}, options),
          operation,
          'parties of held sales',
        );
  const byId = new Map(parties.map((p) => [p.id, p]));
  for (const sale of held) {
    const party = byId.get(partyOf(sale) ?? 0);
    out.set(sale.id, party && sale.shipment_method === 'order' ? (overLimit(party, sale) ?? AWAITING) : AWAITING);
  }
  return out;
}

/** Tryton's `check_credit_limit` for the sale, worded as its `msg_party_credit_limit_amount`. */
function overLimit(party: z.output<typeof PartyCredit>[number], sale: HeldSale): ErpHoldReason | null {
  if (party.credit_limit_amount === null) return null;
  const limit = new Big(party.credit_limit_amount);
  if (!limit.lt(new Big(party.credit_amount ?? '0').plus(sale.untaxed_amount ?? '0'))) return null;
  // Tryton formats the limit as its language's currency: the symbol, then the amount ungrouped.
  const amount = limit.toFixed(sale['currency.']?.digits ?? 2);
  return {
    code: 'CREDIT_LIMIT_EXCEEDED',
    message: oneLine(`Party "${party.rec_name}" has reached their credit limit of ${sale['currency.']?.symbol ?? ''}${amount}.`),
  };
}
