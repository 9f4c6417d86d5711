/**
 * The ERP-write outbox on Cloudflare: one Durable Object (`OutboxStoreObject`, named `outbox`)
 * keeps every write erpfront owes the ERP in its SQLite storage, with the embedded set's SQL
 * (`../sql/outbox-store.ts`); each isolate of the Worker reaches it through
 * {@link createDurableObjectOutboxStore}.
 *
 * @module
 */
import type { DurableObjectNamespace } from 'cloudflare:workers';
import type { OutboxStore } from '../../../ports/outbox-store.ts';
import { createSqlOutboxStore, OUTBOX_MIGRATIONS } from '../sql/outbox-store.ts';
import type { StoreMethods } from './rpc.ts';
import { sqlStoreClient, sqlStoreObject } from './sql-store-object.ts';

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
export class OutboxStoreObject extends sqlStoreObject<OutboxStore>({
  schema: 'outbox',
  migrations: OUTBOX_MIGRATIONS,
  open: (db) => createSqlOutboxStore(db, () => {}),
  methods: METHODS,
}) {}

/**
 * The outbox of the object `name` (default `outbox`) in `namespace`.
 * Every call fails with `OUTBOX_STORE_UNAVAILABLE` when the object cannot be reached.
 */
export function createDurableObjectOutboxStore(namespace: DurableObjectNamespace, options: { name?: string } = {}): OutboxStore {
  return sqlStoreClient<OutboxStore>(namespace, options.name ?? 'outbox', {
    methods: METHODS,
    code: 'OUTBOX_STORE_UNAVAILABLE',
    what: 'The ERP-write outbox',
    advice: 'Retry shortly with the same idempotency key: a write that was recorded is then found, never doubled.',
  });
}
