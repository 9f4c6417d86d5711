/**
 * The order store's idempotency keys in SQL (`../sql/order-store.ts`): claim, renew, release and
 * purge. Completing a key is the order's insert, in its transaction, so it stays there.
 *
 * @module
 */
import type { IdempotencyClaim, OrderStore } from '../../../ports/order-store.ts';
import type { SqlEngine } from './engine.ts';

type KeyMethods = Pick<OrderStore, 'claimIdempotencyKey' | 'renewIdempotencyClaim' | 'releaseIdempotencyKey' | 'purgeExpiredKeys'>;

/** The idempotency key methods of the order store over `db` (its `idempotency_keys` table). */
export function sqlIdempotencyKeys(db: SqlEngine): KeyMethods {
  const { transaction } = db;
  return {
    async claimIdempotencyKey(key, payloadHash, { now, ttlMs, staleAfterMs, claimId }): Promise<IdempotencyClaim> {
      return transaction(() => {
        const existing = db.get<{ payload_hash: string; state: string; order_id: string | null; claimed_at: number; expires_at: number }>(
          'SELECT payload_hash, state, order_id, claimed_at, expires_at FROM idempotency_keys WHERE key = ?',
          key,
        );
        if (existing && existing.expires_at > now) {
          if (existing.payload_hash !== payloadHash) return { kind: 'mismatch' };
          if (existing.state === 'DONE') return { kind: 'completed', orderId: existing.order_id! };
          if (now - existing.claimed_at < staleAfterMs) return { kind: 'in_use' };
        }
        db.run(
          `INSERT INTO idempotency_keys (key, payload_hash, state, order_id, claimed_at, expires_at, claim_id) VALUES (?, ?, 'IN_PROGRESS', NULL, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET payload_hash = excluded.payload_hash, state = 'IN_PROGRESS', order_id = NULL,
           claimed_at = excluded.claimed_at, expires_at = excluded.expires_at, claim_id = excluded.claim_id`,
          key,
          payloadHash,
          now,
          now + ttlMs,
          claimId,
        );
        return { kind: 'claimed' };
      });
    },

    async renewIdempotencyClaim(key, claimId, now) {
      return db.run("UPDATE idempotency_keys SET claimed_at = ? WHERE key = ? AND state = 'IN_PROGRESS' AND claim_id = ?", now, key, claimId) === 1;
    },

    async releaseIdempotencyKey(key, claimId) {
      db.run("DELETE FROM idempotency_keys WHERE key = ? AND state = 'IN_PROGRESS' AND claim_id = ?", key, claimId);
    },

    async purgeExpiredKeys(now) {
      return db.run('DELETE FROM idempotency_keys WHERE expires_at <= ?', now);
    },
  };
}
