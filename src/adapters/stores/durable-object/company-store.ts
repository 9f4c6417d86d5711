/**
 * The company store on Cloudflare: one Durable Object (`CompanyStoreObject`, named `companies`)
 * keeps buyer directories, approval rules and approval flows in its SQLite storage, with the
 * embedded set's SQL (`../sql/company-store.ts`); each isolate of the Worker reaches it through
 * {@link createDurableObjectCompanyStore}. So a role an admin set, a rule, and an approval given
 * through one isolate hold in every other, and an order waiting for approval has its flow wherever
 * the approver's request lands.
 *
 * @module
 */
import { DurableObject, type DurableObjectNamespace, type DurableObjectState } from 'cloudflare:workers';
import type { CompanyStore } from '../../../ports/company-store.ts';
import { COMPANY_MIGRATIONS, createSqlCompanyStore } from '../sql/company-store.ts';
import { type StoreMethods, type StoreObjectStub, type StoreReply, serveStoreCall, storeClient } from './rpc.ts';
import { durableObjectSqlEngine, migrateDurableObjectSql } from './sql-engine.ts';

const METHODS: StoreMethods<CompanyStore> = {
  settings: true,
  setDefaultRole: true,
  buyer: true,
  ensureBuyer: true,
  putBuyer: true,
  buyers: true,
  rules: true,
  putRule: true,
  removeRule: true,
  createFlow: true,
  flow: true,
  updateFlow: true,
  pendingFlows: true,
};

/** The Durable Object class of wrangler.toml's `COMPANY_STORE` binding (SQLite-backed: `new_sqlite_classes`). */
export class CompanyStoreObject extends DurableObject {
  readonly #store: CompanyStore;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    migrateDurableObjectSql(ctx.storage, { name: 'companies', migrations: COMPANY_MIGRATIONS });
    this.#store = createSqlCompanyStore(durableObjectSqlEngine(ctx.storage), () => {});
  }

  /** One call of the company store port (RPC). */
  call(method: string, args: unknown[]): Promise<StoreReply> {
    return serveStoreCall(this.#store, METHODS, method, args);
  }
}

/**
 * The company store of the object `name` (default `companies`) in `namespace`.
 * Every call fails with `COMPANY_STORE_UNAVAILABLE` when the object cannot be reached.
 */
export function createDurableObjectCompanyStore(namespace: DurableObjectNamespace, options: { name?: string } = {}): CompanyStore {
  const id = namespace.idFromName(options.name ?? 'companies');
  return storeClient<CompanyStore>({
    methods: METHODS,
    stub: () => namespace.get(id) as StoreObjectStub,
    code: 'COMPANY_STORE_UNAVAILABLE',
    what: 'The company directory',
    advice: 'Retry shortly: roles, rules and approvals that were recorded are all still there.',
  });
}
