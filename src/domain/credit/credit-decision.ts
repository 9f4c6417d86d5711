/**
 * The checkout credit decision: approve, route to review, or block.
 *
 * @module
 */
import type { OrderPayment } from '../../ports/erp-connector.ts';
import type { CreditDecisionKind } from '../../ports/order-store.ts';
import { Big } from '../money.ts';
import type { CreditStatus } from './credit-status.ts';

export interface CreditDecision {
  decision: CreditDecisionKind;
  /** `CREDIT_HOLD` or `CREDIT_LIMIT_EXCEEDED`; `null` when approved. */
  reason: string | null;
}

/**
 * Decides on an order of `orderTotal`. An account on credit hold is blocked, whatever it pays with
 * unless the business lets held accounts pay by card (`cardOnHold`, CREDIT_HOLD_ALLOWS_CARD): a
 * hold is often about more than unpaid invoices. A card payment (verified with the gateway before
 * this) needs no credit. An order that would take exposure past the limit (counting orders
 * accepted but not yet in the ERP) goes to review or is blocked, as the business chose (`overLimit`).
 */
export function decideCredit(
  status: CreditStatus,
  orderTotal: string,
  payment: OrderPayment,
  overLimit: 'REVIEW' | 'BLOCK',
  cardOnHold = false,
): CreditDecision {
  if (status.onHold && !(payment.method === 'CARD' && cardOnHold)) return { decision: 'BLOCK', reason: 'CREDIT_HOLD' };
  if (payment.method === 'CARD') return { decision: 'APPROVE', reason: null };
  if (status.available !== null && new Big(orderTotal).gt(status.available.amount)) return { decision: overLimit, reason: 'CREDIT_LIMIT_EXCEEDED' };
  return { decision: 'APPROVE', reason: null };
}
