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
import type { DurableObjectNamespace } from 'cloudflare:workers';
import type { CompanyStore } from '../../../ports/company-store.ts';
import { COMPANY_MIGRATIONS, createSqlCompanyStore } from '../sql/company-store.ts';
import type { StoreMethods } from './rpc.ts';
import { sqlStoreClient, sqlStoreObject } from './sql-store-object.ts';

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
export class CompanyStoreObject extends sqlStoreObject<CompanyStore>({
  schema: 'companies',
  migrations: COMPANY_MIGRATIONS,
  open: (db) => createSqlCompanyStore(db, () => {}),
  methods: METHODS,
}) {}

/**
 * The company store of the object `name` (default `companies`) in `namespace`.
 * Every call fails with `COMPANY_STORE_UNAVAILABLE` when the object cannot be reached.
 */
export function createDurableObjectCompanyStore(namespace: DurableObjectNamespace, options: { name?: string } = {}): CompanyStore {
  return sqlStoreClient<CompanyStore>(namespace, options.name ?? 'companies', {
    methods: METHODS,
    code: 'COMPANY_STORE_UNAVAILABLE',
    what: 'The company directory',
    advice: 'Retry shortly: roles, rules and approvals that were recorded are all still there.',
  });
}
