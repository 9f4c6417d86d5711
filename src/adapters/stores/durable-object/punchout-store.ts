/**
 * The PunchOut store on Cloudflare: one Durable Object (`PunchOutStoreObject`, named `punchout`)
 * keeps open sessions, answered cXML documents and order links in its SQLite storage, with the
 * embedded set's SQL (`../sql/punchout-store.ts`); each isolate of the Worker reaches it through
 * {@link createDurableObjectPunchOutStore}. So a session started through one isolate is redeemed,
 * filled and returned through any other, a re-sent OrderRequest gets the same answer wherever it
 * lands, and the jobs object's notifier sees the links of orders every isolate took.
 *
 * Unlike the SQLite file, claims on order links are not dropped when the object starts: its
 * caller (the notifier in the jobs object) may still be delivering when this object is evicted,
 * so a claim runs out on its own instead.
 *
 * @module
 */
import type { DurableObjectNamespace } from 'cloudflare:workers';
import type { PunchOutStore } from '../../../ports/punchout-store.ts';
import { createSqlPunchOutStore } from '../sql/punchout-store.ts';
import { PUNCHOUT_MIGRATIONS } from '../sqlite/punchout-schema.ts';
import type { StoreMethods } from './rpc.ts';
import { sqlStoreClient, sqlStoreObject } from './sql-store-object.ts';

const METHODS: StoreMethods<PunchOutStore> = {
  createSession: true,
  redeemStartToken: true,
  sessionByAccessToken: true,
  getSession: true,
  replaceSession: true,
  answered: true,
  rememberAnswer: true,
  linkOrder: true,
  linkByBuyerOrder: true,
  dueOrderLinks: true,
  saveOrderLink: true,
  finishOrderLink: true,
  purgeExpired: true,
};

/** The Durable Object class of wrangler.toml's `PUNCHOUT_STORE` binding (SQLite-backed: `new_sqlite_classes`). */
export class PunchOutStoreObject extends sqlStoreObject<PunchOutStore>({
  schema: 'punchout',
  migrations: PUNCHOUT_MIGRATIONS,
  open: (db) => createSqlPunchOutStore(db, () => {}),
  methods: METHODS,
}) {}

/**
 * The PunchOut store of the object `name` (default `punchout`) in `namespace`.
 * Every call fails with `PUNCHOUT_STORE_UNAVAILABLE` when the object cannot be reached.
 */
export function createDurableObjectPunchOutStore(namespace: DurableObjectNamespace, options: { name?: string } = {}): PunchOutStore {
  return sqlStoreClient<PunchOutStore>(namespace, options.name ?? 'punchout', {
    methods: METHODS,
    code: 'PUNCHOUT_STORE_UNAVAILABLE',
    what: 'The PunchOut session store',
    advice: 'Retry shortly: a session, a cart and an answered document that were recorded are all still there.',
  });
}
