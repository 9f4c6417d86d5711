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
 * Decides on an order of `orderTotal`. A card payment needs no credit. An account on credit hold
 * is blocked. An order that would take exposure past the limit (counting orders accepted but not
 * yet in the ERP) goes to review or is blocked, as the business chose (`overLimit`).
 */
export function decideCredit(status: CreditStatus, orderTotal: string, payment: OrderPayment, overLimit: 'REVIEW' | 'BLOCK'): CreditDecision {
  if (payment.method === 'CARD') return { decision: 'APPROVE', reason: null };
  if (status.onHold) return { decision: 'BLOCK', reason: 'CREDIT_HOLD' };
  if (status.available !== null && new Big(orderTotal).gt(status.available.amount)) return { decision: overLimit, reason: 'CREDIT_LIMIT_EXCEEDED' };
  return { decision: 'APPROVE', reason: null };
}
