/**
 * Company applications on Cloudflare: one Durable Object (`ApplicationStoreObject`, named
 * `applications`) keeps every registration and its way to becoming an ERP customer in its SQLite
 * storage, with the embedded set's SQL (`../sql/application-store.ts`); each isolate of the Worker
 * reaches it through {@link createDurableObjectApplicationStore}, and the jobs object's dispatcher
 * creates each approved company in the ERP once.
 *
 * @module
 */
import type { DurableObjectNamespace } from 'cloudflare:workers';
import type { ApplicationStore } from '../../../ports/application-store.ts';
import { APPLICATION_MIGRATIONS, createSqlApplicationStore } from '../sql/application-store.ts';
import type { StoreMethods } from './rpc.ts';
import { sqlStoreClient, sqlStoreObject } from './sql-store-object.ts';

const METHODS: StoreMethods<ApplicationStore> = {
  insert: true,
  get: true,
  list: true,
  listByApplicant: true,
  review: true,
  lease: true,
  markSending: true,
  markCreated: true,
  markRetry: true,
  markErpRefused: true,
  releaseLeases: true,
};

/** The Durable Object class of wrangler.toml's `APPLICATION_STORE` binding (SQLite-backed: `new_sqlite_classes`). */
export class ApplicationStoreObject extends sqlStoreObject<ApplicationStore>({
  schema: 'applications',
  migrations: APPLICATION_MIGRATIONS,
  open: (db) => createSqlApplicationStore(db, () => {}),
  methods: METHODS,
}) {}

/**
 * The applications of the object `name` (default `applications`) in `namespace`.
 * Every call fails with `APPLICATION_STORE_UNAVAILABLE` when the object cannot be reached.
 */
export function createDurableObjectApplicationStore(namespace: DurableObjectNamespace, options: { name?: string } = {}): ApplicationStore {
  return sqlStoreClient<ApplicationStore>(namespace, options.name ?? 'applications', {
    methods: METHODS,
    code: 'APPLICATION_STORE_UNAVAILABLE',
    what: 'The company application store',
    advice: 'Retry shortly: an application that was recorded is still there, and is created in the ERP once.',
  });
}
