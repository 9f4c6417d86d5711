/**
 * The payment gateway port: what erpfront asks of the card processor a storefront's checkout
 * used. The storefront authorizes the card (with the gateway's own client-side library) and sends
 * erpfront the authorization's reference; erpfront verifies that reference, for the order's amount
 * and currency, before it accepts the order, and voids it when an order it accepted is cancelled
 * before it reached the ERP. erpfront never sees card numbers.
 *
 * @module
 */
import type { CurrencyCode, DecimalString } from './erp-connector.ts';

/** Why a reference does not pay for an order. */
export type PaymentRefusal =
  /** The gateway has no authorization with this reference. */
  | 'UNKNOWN_AUTHORIZATION'
  /** Authorized for less than the order's total. */
  | 'AMOUNT_TOO_LOW'
  /** Authorized in another currency. */
  | 'CURRENCY_MISMATCH'
  /** Authorized for another customer's checkout. */
  | 'WRONG_CUSTOMER'
  /** Voided, expired or captured already. */
  | 'NOT_AUTHORIZED';

export interface PaymentCheck {
  amount: DecimalString;
  currency: CurrencyCode;
  /** The ERP customer the order is for; the authorization must have been made for it. */
  customerId: string;
}

export interface PaymentGateway {
  /** For logs, e.g. `"sandbox"`. */
  readonly name: string;
  /**
   * Whether `reference` is a live authorization of at least `check.amount` in `check.currency`
   * for `check.customerId`.
   * @throws {PaymentGatewayError} when the gateway cannot be asked (the order is then not taken).
   */
  verify(reference: string, check: PaymentCheck): Promise<{ ok: true } | { ok: false; refusal: PaymentRefusal }>;
  /** Releases the authorization (the order will never be charged). Idempotent. */
  void(reference: string): Promise<void>;
}

/** The gateway did not answer (down, slow, refused our credentials): nothing was decided. */
export class PaymentGatewayError extends Error {
  override readonly name = 'PaymentGatewayError';
  readonly code = 'PAYMENT_GATEWAY_UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
