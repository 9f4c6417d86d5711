/**
 * Card payments of orders: verified with the gateway before an order is taken, voided when an
 * order that never reached the ERP is cancelled.
 *
 * @module
 */
import type { UserError } from '../../../domain/orders/order-input.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { StoredOrder } from '../../../ports/order-store.ts';
import { PaymentGatewayError, type PaymentCheck, type PaymentGateway, type PaymentRefusal } from '../../../ports/payment-gateway.ts';

/**
 * Checks a card payment with the gateway before anything is written: any string is not an
 * authorization. `null` when it pays for the order; else the user error saying why not.
 */
export async function verifyCard(payments: PaymentGateway | null, reference: string, check: PaymentCheck): Promise<UserError | null> {
  const field = ['payment', 'authorizationRef'];
  if (!payments)
    return {
      code: 'PAYMENT_METHOD_NOT_ACCEPTED',
      message: 'Card payments are not taken here (no payment gateway is configured); order on account.',
      field: ['payment', 'method'],
    };
  try {
    const verdict = await payments.verify(reference, check);
    if (verdict.ok) return null;
    return {
      code: 'PAYMENT_NOT_AUTHORIZED',
      message: `${CARD_REFUSALS[verdict.refusal]} Authorize ${check.amount} ${check.currency} again at checkout.`,
      field,
    };
  } catch (error) {
    if (!(error instanceof PaymentGatewayError)) throw error;
    return {
      code: 'PAYMENT_GATEWAY_UNAVAILABLE',
      message: 'The payment gateway is not answering, so the card payment cannot be checked; retry shortly or order on account.',
      field,
    };
  }
}

const CARD_REFUSALS: Record<PaymentRefusal, string> = {
  UNKNOWN_AUTHORIZATION: 'The payment gateway has no authorization with this reference.',
  AMOUNT_TOO_LOW: "The authorization is for less than the order's total.",
  CURRENCY_MISMATCH: 'The authorization is in another currency than the order.',
  WRONG_CUSTOMER: 'The authorization was made for another customer.',
  NOT_AUTHORIZED: 'The authorization is no longer valid (voided or expired).',
};

/**
 * Releases the card authorization of an order cancelled before it reached the ERP, so the buyer's
 * card is not held for an order that will never ship. Best effort: an authorization that cannot
 * be voided now expires by itself; the failure is logged for operations.
 */
export async function voidCard(payments: PaymentGateway | null, order: StoredOrder, logger: Logger): Promise<void> {
  if (!payments || order.request.payment.method !== 'CARD') return;
  try {
    await payments.void(order.request.payment.authorizationRef);
  } catch (error) {
    logger.error(
      `erpfront: the card authorization of cancelled order ${order.id} could not be voided; it will expire by itself`,
      error instanceof Error ? error.message : error,
    );
  }
}
