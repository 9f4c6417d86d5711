/**
 * Rows of the `orders` table and their mapping to the port's `StoredOrder`.
 *
 * @module
 */
import type { StoredOrder } from '../../../ports/order-store.ts';

export const ORDER_COLUMNS = `seq, id, customer_id, status, request, total, currency, placed_by, on_behalf, credit_decision, idempotency_key,
  created_at, updated_at, submitted_at, erp_order_number, attempts, in_doubt, sent_before, next_attempt_at, last_error, rejection`;

export interface OrderRow {
  seq: number;
  id: string;
  customer_id: string;
  status: string;
  request: string;
  total: string;
  currency: string;
  placed_by: string;
  on_behalf: string | null;
  credit_decision: string;
  idempotency_key: string | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  erp_order_number: string | null;
  attempts: number;
  in_doubt: number;
  sent_before: number | null;
  next_attempt_at: number;
  last_error: string | null;
  rejection: string | null;
}

export function rowToOrder(row: OrderRow): StoredOrder {
  return {
    id: row.id,
    seq: Number(row.seq),
    customerId: row.customer_id,
    status: row.status as StoredOrder['status'],
    request: JSON.parse(row.request),
    total: row.total,
    currency: row.currency,
    placedBy: row.placed_by,
    onBehalf: row.on_behalf ? JSON.parse(row.on_behalf) : null,
    creditDecision: JSON.parse(row.credit_decision),
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    erpOrderNumber: row.erp_order_number,
    attempts: Number(row.attempts),
    inDoubt: Number(row.in_doubt) === 1,
    sentBefore: row.sent_before === null ? null : Number(row.sent_before),
    nextAttemptAt: Number(row.next_attempt_at),
    lastError: row.last_error,
    rejection: row.rejection ? JSON.parse(row.rejection) : null,
  };
}
