/**
 * Company applications on Cloudflare: one Durable Object (`ApplicationStoreObject`, named
 * `applications`) keeps every registration and its way to becoming an ERP customer in its SQLite
 * storage, with the embedded set's SQL (`../sql/application-store.ts`); each isolate of the Worker
 * reaches it through {@link createDurableObjectApplicationStore}, and the jobs object's dispatcher
 * creates each approved company in the ERP once.
 *
 * @module
 */
import { DurableObject, type DurableObjectNamespace, type DurableObjectState } from 'cloudflare:workers';
import type { ApplicationStore } from '../../../ports/application-store.ts';
import { APPLICATION_MIGRATIONS, createSqlApplicationStore } from '../sql/application-store.ts';
import { type StoreMethods, type StoreObjectStub, type StoreReply, serveStoreCall, storeClient } from './rpc.ts';
import { durableObjectSqlEngine, migrateDurableObjectSql } from './sql-engine.ts';

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
export class ApplicationStoreObject extends DurableObject {
  readonly #store: ApplicationStore;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    migrateDurableObjectSql(ctx.storage, { name: 'applications', migrations: APPLICATION_MIGRATIONS });
    this.#store = createSqlApplicationStore(durableObjectSqlEngine(ctx.storage), () => {});
  }

  /** One call of the application store port (RPC). */
  call(method: string, args: unknown[]): Promise<StoreReply> {
    return serveStoreCall(this.#store, METHODS, method, args);
  }
}

/**
 * The applications of the object `name` (default `applications`) in `namespace`.
 * Every call fails with `APPLICATION_STORE_UNAVAILABLE` when the object cannot be reached.
 */
export function createDurableObjectApplicationStore(namespace: DurableObjectNamespace, options: { name?: string } = {}): ApplicationStore {
  const id = namespace.idFromName(options.name ?? 'applications');
  return storeClient<ApplicationStore>({
    methods: METHODS,
    stub: () => namespace.get(id) as StoreObjectStub,
    code: 'APPLICATION_STORE_UNAVAILABLE',
    what: 'The company application store',
    advice: 'Retry shortly: an application that was recorded is still there, and is created in the ERP once.',
  });
}
