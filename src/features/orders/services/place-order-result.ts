/**
 * What placing an order answers: the order written (or the one a repeated key made), or the user
 * errors of an order not taken. Shared by the steps of placing an order, each of which may end it.
 *
 * @module
 */
import type { CreditDecision } from '../../../domain/credit/credit-decision.ts';
import type { UserError } from '../../../domain/orders/order-input.ts';
import type { StoredOrder } from '../../../ports/order-store.ts';

export interface PlaceOrderResult {
  order: StoredOrder | null;
  userErrors: UserError[];
  creditDecision: CreditDecision | null;
  /**
   * When the prices this request priced the order at were read from the ERP (the oldest line's),
   * and whether any came from erpfront's copy because the ERP did not answer (the price sheet, a
   * recent read). Absent when this request priced no order (a user error, a repeated key).
   */
  pricing?: { asOf: string; stale: boolean };
}

export const failed = (...userErrors: UserError[]): PlaceOrderResult => ({ order: null, userErrors, creditDecision: null });
