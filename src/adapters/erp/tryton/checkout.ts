/**
 * Capability `checkout` over Tryton: an order's totals by Tryton's own tax computation. The order
 * is entered as a draft sale exactly as `createOrder` enters one (the party's header, each line's
 * taxes from the product's `on_change`, erpfront's unit prices), its `untaxed_amount`,
 * `tax_amount` and `total_amount` are read, and the draft is deleted — never quoted or confirmed,
 * so no number is taken, no stock reserved, no credit used. The delete runs whatever happened:
 * every draft with the preview's own reference is searched and deleted, so even a draft whose
 * create reply was lost is not left behind.
 *
 * Tryton 6.0 has no shipping charge on a sale without the `sale_shipment_cost` module: shipping
 * is `0.00`, and the total is Tryton's.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions, ErpCheckout, ErpCheckoutDraft, ErpOrderTotals } from '../../../ports/erp-connector.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { enterDraftSale, type TrytonOrderOptions } from './orders.ts';
import { saleTotals } from './sale-read.ts';
import { decimal, id, parseAnswer, related } from './values.ts';

/** The fields of a sale its totals are read from. */
export const TOTALS_FIELDS = ['untaxed_amount', 'tax_amount', 'total_amount', 'currency.code'];

const TotalsRows = z
  .array(
    z.object({
      id,
      untaxed_amount: decimal.nullable(),
      tax_amount: decimal.nullable(),
      total_amount: decimal.nullable(),
      'currency.': related({ code: z.string() }),
    }),
  )
  .length(1);

/** The reference a preview's draft sale carries: never an order's (erpfront's order ids are `ord_…`). */
const previewReference = () => `erpfront-preview-${crypto.randomUUID()}`;

export function trytonCheckout(rpc: TrytonRpc, settings: TrytonOrderOptions = {}): ErpCheckout {
  return {
    async quoteTotals(draft: ErpCheckoutDraft, options?: ErpCallOptions): Promise<ErpOrderTotals> {
      const op = 'quoteTotals';
      const reference = previewReference();
      const order = { ...draft, externalRef: reference, poNumber: null, requestedDate: null, notes: null };
      try {
        const saleId = await enterDraftSale(rpc, settings, order, op, options);
        const rows = parseAnswer(TotalsRows, await rpc.model(op, 'sale.sale', 'read', [[saleId], TOTALS_FIELDS], {}, options), op, 'sale totals');
        const sale = rows[0]!;
        return saleTotals(sale, sale['currency.']?.code ?? draft.currency);
      } finally {
        await removeDrafts(rpc, reference, options);
      }
    },
  };
}

/** Deletes every draft sale with `reference`. A failure is left to the caller's error, if any. */
async function removeDrafts(rpc: TrytonRpc, reference: string, options?: ErpCallOptions): Promise<void> {
  const op = 'quoteTotals';
  const ids = parseAnswer(
    z.array(id),
    await rpc.model(
      op,
      'sale.sale',
      'search',
      [
        [
          ['reference', '=', reference],
          ['state', '=', 'draft'],
        ],
      ],
      {},
      options,
    ),
    op,
    'draft sales',
  );
  if (ids.length > 0) await rpc.model(op, 'sale.sale', 'delete', [ids], {}, options);
}
