/**
 * The sandbox connector's capability `checkout`: `POST /api/v1/checkout/totals`, which totals a
 * draft with the sandbox's tax and shipping rules and enters nothing.
 *
 * @module
 */
import type { ErpCallOptions, ErpCheckout, ErpCheckoutDraft, ErpOrderTotals } from '../../../ports/erp-connector.ts';
import type { HttpClient } from './http-client.ts';
import { ErpOrderTotalsWire } from './order-wire.ts';
import { parseWire } from './wire.ts';

export function checkoutCalls(http: HttpClient): ErpCheckout {
  return {
    /** Rejects `ERP_REJECTED` (422: `UNKNOWN_SHIP_TO`, `UNKNOWN_ITEM`, ...) for a draft the ERP would not enter. */
    async quoteTotals(draft: ErpCheckoutDraft, options?: ErpCallOptions): Promise<ErpOrderTotals> {
      const body = { customerId: draft.customerId, shipToId: draft.shipToId, currency: draft.currency, payment: draft.payment, lines: draft.lines };
      return parseWire(ErpOrderTotalsWire, await http.post('quoteTotals', '/api/v1/checkout/totals', body, options), 'quoteTotals');
    },
  };
}
