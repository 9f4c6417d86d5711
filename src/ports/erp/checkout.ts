/**
 * Capability `checkout`: an order's totals as the ERP would compute them — subtotal, tax,
 * shipping, total — without entering anything. The checkout preview asks it, so the total a buyer
 * sees before ordering is the ERP's own figure, tax included.
 *
 * @module
 */
import type { CurrencyCode, DecimalString, ErpCallOptions } from '../erp-connector.ts';
import type { ErpOrderLine, OrderPayment } from './orders.ts';

/** An order about to be placed, as far as its totals depend on it. */
export interface ErpCheckoutDraft {
  customerId: string;
  /** One of the customer's ship-tos: the tax rules (and the ERP's shipping rule) depend on it. */
  shipToId: string;
  currency: CurrencyCode;
  payment: OrderPayment;
  /** The lines at erpfront's unit prices, exactly as `createOrder` would send them. */
  lines: ErpOrderLine[];
}

/**
 * An order's amounts as the ERP computes them: `total` = `subtotal` + `tax` + `shipping`, each
 * rounded as the ERP rounds. Also what `ErpOrder.totals` carries once the order is entered.
 */
export interface ErpOrderTotals {
  /** The lines' amounts, before tax and shipping. */
  subtotal: DecimalString;
  tax: DecimalString;
  /** Shipping charged on the order; `0.00` when the ERP charges none. */
  shipping: DecimalString;
  total: DecimalString;
  currency: CurrencyCode;
  /**
   * The tax rate the ERP applied to the order's taxable amount (lines and shipping), as a fraction
   * (`0.0475`), when one rate applied and the ERP says so; absent otherwise, and erpfront reads the
   * effective rate off `tax` ÷ (`subtotal` + `shipping`). The checkout preview keeps it per
   * customer and ship-to region to estimate tax while the ERP does not answer.
   */
  taxRate?: DecimalString;
}

/** Computes an order's totals. */
export interface ErpCheckout {
  /**
   * The totals the ERP would give this order, leaving nothing behind in the ERP (no order, no
   * draft, no credit reservation). Rejects `ERP_REJECTED` (with the ERP's reason) when the ERP
   * would refuse the draft itself (an unknown ship-to or item); transient codes when it did not
   * answer.
   */
  quoteTotals(draft: ErpCheckoutDraft, options?: ErpCallOptions): Promise<ErpOrderTotals>;
}
