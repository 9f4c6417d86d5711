/**
 * Orders as Redis keeps them: one hash per order, whose immutable part is one JSON field, and
 * their mapping to the port's `StoredOrder`. The Lua scripts (order-scripts.ts) write the other
 * fields; this reads them back.
 *
 * @module
 */
import type { LocalOrderStatus, StoredOrder } from '../../../ports/order-store.ts';

export const iso = (ms: number) => new Date(ms).toISOString();
const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value);

/** The immutable part of an order, kept as one JSON field the scripts never parse. */
export type OrderData = Pick<StoredOrder, 'request' | 'total' | 'currency' | 'placedBy' | 'onBehalf' | 'creditDecision' | 'idempotencyKey'>;

export function toOrder(hash: Record<string, string>): StoredOrder | null {
  if (!hash.id) return null;
  const data = JSON.parse(hash.data!) as OrderData;
  // Orders written before reps were marked carry no `onBehalf`.
  data.onBehalf ??= null;
  return {
    id: hash.id,
    seq: Number(hash.seq),
    customerId: hash.customerId!,
    status: hash.status as LocalOrderStatus,
    ...data,
    createdAt: hash.createdAt!,
    updatedAt: hash.updatedAt!,
    submittedAt: orNull(hash.submittedAt),
    erpOrderNumber: orNull(hash.erpOrderNumber),
    attempts: Number(hash.attempts),
    inDoubt: hash.inDoubt === '1',
    sentBefore: hash.sentBefore ? Number(hash.sentBefore) : null,
    nextAttemptAt: Number(hash.nextAttemptAt),
    lastError: orNull(hash.lastError),
    rejection: hash.rejection ? JSON.parse(hash.rejection) : null,
  };
}
