/**
 * The order store on Cloudflare: one Durable Object (`OrderStoreObject`, named `orders`) keeps
 * every order, the queue toward the ERP and the idempotency keys in its SQLite storage, with the
 * embedded set's SQL (`../sql/order-store.ts`); each isolate of the Worker reaches it through
 * {@link createDurableObjectOrderStore}. One object, as one SQLite file serves one process: the
 * queue's rules (first in, first out per customer; leases; exposure versions) are global, and one
 * object serialises them. Its throughput (a few thousand small calls a second) is far above a
 * B2B storefront's orders.
 *
 * @module
 */
import type { DurableObjectNamespace } from 'cloudflare:workers';
import type { OrderStore } from '../../../ports/order-store.ts';
import { StoreUnavailableError } from '../../../ports/store-error.ts';
import { createSqlOrderStore } from '../sql/order-store.ts';
import { ORDER_MIGRATIONS } from '../sqlite/schema.ts';
import type { StoreMethods } from './rpc.ts';
import { sqlStoreClient, sqlStoreObject } from './sql-store-object.ts';

const METHODS: StoreMethods<OrderStore> = {
  claimIdempotencyKey: true,
  renewIdempotencyClaim: true,
  releaseIdempotencyKey: true,
  insert: true,
  get: true,
  listByCustomer: true,
  listByStatus: true,
  listRecent: true,
  lease: true,
  markSending: true,
  markSubmitted: true,
  dueDuplicateChecks: true,
  finishDuplicateCheck: true,
  markRetry: true,
  markRejected: true,
  transition: true,
  requeueInDoubt: true,
  repriceWaiting: true,
  queueStats: true,
  releaseLeases: true,
  pendingExposure: true,
  purgeExpiredKeys: true,
};

/** The Durable Object class of wrangler.toml's `ORDER_STORE` binding (SQLite-backed: `new_sqlite_classes`). */
export class OrderStoreObject extends sqlStoreObject<OrderStore>({
  schema: 'orders',
  migrations: ORDER_MIGRATIONS,
  open: (db) => createSqlOrderStore(db, () => {}),
  methods: METHODS,
}) {}

/**
 * The order store of the object `name` (default `orders`) in `namespace`.
 * Every call fails with `ORDER_STORE_UNAVAILABLE` when the object cannot be reached.
 */
export function createDurableObjectOrderStore(namespace: DurableObjectNamespace, options: { name?: string } = {}): OrderStore {
  const client = sqlStoreClient<OrderStore>(namespace, options.name ?? 'orders', {
    methods: METHODS,
    code: 'ORDER_STORE_UNAVAILABLE',
    what: 'The order queue',
    advice: 'Retry shortly with the same idempotency key: an order that was recorded is then returned, never doubled.',
  });
  return givingBackLostClaims(client);
}

/**
 * A claim whose reply was lost (the object reset by a deployment, the connection cut once the
 * object had run it) may be held although its request saw ORDER_STORE_UNAVAILABLE and wrote
 * nothing: the buyer's retry with the same key would be told IDEMPOTENCY_KEY_IN_USE until the
 * claim went stale (IDEMPOTENCY_CLAIM_SECONDS). So it is given back at once, or, should that
 * fail too, with this isolate's next claim. A release frees only its own claim id, never a newer
 * request's claim nor a key whose order was written (as the Redis store does).
 */
function givingBackLostClaims(store: OrderStore): OrderStore {
  /** Claim id → key, of claims that may be held and could not be given back yet. */
  const pending = new Map<string, string>();
  const release = (key: string, claimId: string) =>
    store.releaseIdempotencyKey(key, claimId).then(
      () => void pending.delete(claimId),
      () => void pending.set(claimId, key),
    );
  return {
    ...store,
    async claimIdempotencyKey(key, payloadHash, options) {
      for (const [claimId, pendingKey] of pending) void release(pendingKey, claimId);
      try {
        return await store.claimIdempotencyKey(key, payloadHash, options);
      } catch (error) {
        if (error instanceof StoreUnavailableError) await release(key, options.claimId);
        throw error;
      }
    },
  };
}
