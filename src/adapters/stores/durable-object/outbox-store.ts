/**
 * The ERP-write outbox on Cloudflare: one Durable Object (`OutboxStoreObject`, named `outbox`)
 * keeps every write erpfront owes the ERP in its SQLite storage, with the embedded set's SQL
 * (`../sql/outbox-store.ts`); each isolate of the Worker reaches it through
 * {@link createDurableObjectOutboxStore}.
 *
 * @module
 */
import { DurableObject, type DurableObjectNamespace, type DurableObjectState } from 'cloudflare:workers';
import type { OutboxStore } from '../../../ports/outbox-store.ts';
import { createSqlOutboxStore, OUTBOX_MIGRATIONS } from '../sql/outbox-store.ts';
import { type StoreMethods, type StoreObjectStub, type StoreReply, serveStoreCall, storeClient } from './rpc.ts';
import { durableObjectSqlEngine, migrateDurableObjectSql } from './sql-engine.ts';

const METHODS: StoreMethods<OutboxStore> = {
  enqueue: true,
  get: true,
  listByCustomer: true,
  lease: true,
  markSending: true,
  markDone: true,
  markRetry: true,
  markRefused: true,
  releaseLeases: true,
};

/** The Durable Object class of wrangler.toml's `OUTBOX_STORE` binding (SQLite-backed: `new_sqlite_classes`). */
export class OutboxStoreObject extends DurableObject {
  readonly #store: OutboxStore;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    migrateDurableObjectSql(ctx.storage, { name: 'outbox', migrations: OUTBOX_MIGRATIONS });
    this.#store = createSqlOutboxStore(durableObjectSqlEngine(ctx.storage), () => {});
  }

  /** One call of the outbox store port (RPC). */
  call(method: string, args: unknown[]): Promise<StoreReply> {
    return serveStoreCall(this.#store, METHODS, method, args);
  }
}

/**
 * The outbox of the object `name` (default `outbox`) in `namespace`.
 * Every call fails with `OUTBOX_STORE_UNAVAILABLE` when the object cannot be reached.
 */
export function createDurableObjectOutboxStore(namespace: DurableObjectNamespace, options: { name?: string } = {}): OutboxStore {
  const id = namespace.idFromName(options.name ?? 'outbox');
  return storeClient<OutboxStore>({
    methods: METHODS,
    stub: () => namespace.get(id) as StoreObjectStub,
    code: 'OUTBOX_STORE_UNAVAILABLE',
    what: 'The ERP-write outbox',
    advice: 'Retry shortly with the same idempotency key: a write that was recorded is then found, never doubled.',
  });
}
