/**
 * The operations stores on Cloudflare, in one Durable Object (`OperationsStoreObject`, named
 * `operations`): the audit log, the ERP change feed's cursor and poll lease, reconciliation
 * findings, customer activity (the price sheet's scope), webhook deliveries already acted on and
 * ops console sessions, each with the SQL the embedded set runs (`../sql/`), each store's tables
 * versioned on their own. One object rather than six: each is written rarely (an ops action, a
 * poll, a reconciliation pass, a webhook, a login) or in batches (activity), and one object is one
 * place every isolate agrees on.
 *
 * Each isolate reaches them through {@link openDurableObjectOperationsStores}: every call one RPC,
 * which fails with the store's `*_UNAVAILABLE` code when the object cannot be reached.
 *
 * @module
 */
import { DurableObject, type DurableObjectNamespace, type DurableObjectState } from 'cloudflare:workers';
import type { AuditLog } from '../../../ports/audit-log.ts';
import type { ConsoleSessionStore } from '../../../ports/console-session-store.ts';
import type { CursorStore } from '../../../ports/cursor-store.ts';
import type { CustomerActivityStore } from '../../../ports/customer-activity.ts';
import type { DeliveryLog } from '../../../ports/delivery-log.ts';
import type { FindingStore } from '../../../ports/finding-store.ts';
import type { StoreErrorCode } from '../../../ports/store-error.ts';
import { AUDIT_MIGRATIONS, createSqlAuditLog } from '../sql/audit-log.ts';
import { CONSOLE_SESSION_MIGRATIONS, createSqlConsoleSessionStore } from '../sql/console-session-store.ts';
import { createSqlCursorStore, CURSOR_MIGRATIONS } from '../sql/cursor-store.ts';
import { ACTIVITY_MIGRATIONS, createSqlCustomerActivity } from '../sql/customer-activity.ts';
import { createSqlDeliveryLog, DELIVERY_MIGRATIONS } from '../sql/delivery-log.ts';
import { createSqlFindingStore, FINDING_MIGRATIONS } from '../sql/finding-store.ts';
import { type StoreMethods, type StoreObjectStub, type StoreReply, serveStoreCall, storeClient } from './rpc.ts';
import { durableObjectSqlEngine, migrateDurableObjectSql } from './sql-engine.ts';

/** The stores the object holds, by name. */
export interface OperationsStores {
  audit: AuditLog;
  cursors: CursorStore;
  findings: FindingStore;
  activity: CustomerActivityStore;
  deliveries: DeliveryLog;
  consoleSessions: ConsoleSessionStore;
}

type StoreName = keyof OperationsStores;

/** Each store's RPC methods, its error code, and what its callers should do when it is away. */
const STORES: { [K in StoreName]: { methods: StoreMethods<OperationsStores[K]>; code: StoreErrorCode; what: string; advice: string } } = {
  audit: { methods: { append: true, listRecent: true, listByTarget: true }, code: 'AUDIT_LOG_UNAVAILABLE', what: 'The audit log', advice: 'Retry shortly.' },
  cursors: {
    methods: { get: true, set: true, lease: true, release: true },
    code: 'CURSOR_STORE_UNAVAILABLE',
    what: 'The change feed cursor store',
    advice: 'The next poll tries again from the last cursor saved.',
  },
  findings: {
    methods: { report: true, resolve: true, listOpen: true, list: true, openCounts: true, purgeResolved: true, recordRun: true, lastRun: true },
    code: 'FINDING_STORE_UNAVAILABLE',
    what: 'The reconciliation findings store',
    advice: 'Retry shortly: the next reconciliation pass finds the same differences again.',
  },
  activity: {
    methods: { touch: true, seenSince: true, forgetBefore: true },
    code: 'ACTIVITY_STORE_UNAVAILABLE',
    what: 'The customer activity store',
    advice: 'The price sheet keeps its last scope until it answers.',
  },
  deliveries: {
    methods: { claim: true, release: true },
    code: 'DELIVERY_LOG_UNAVAILABLE',
    what: 'The webhook delivery log',
    advice: 'The delivery is refused, so the sender retries it.',
  },
  consoleSessions: {
    methods: { put: true, get: true, delete: true },
    code: 'CONSOLE_SESSIONS_UNAVAILABLE',
    what: 'The ops console session store',
    advice: 'Reload the page shortly.',
  },
};

/** The Durable Object class of wrangler.toml's `OPERATIONS_STORE` binding (SQLite-backed: `new_sqlite_classes`). */
export class OperationsStoreObject extends DurableObject {
  readonly #stores: OperationsStores;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    const { storage } = ctx;
    const db = durableObjectSqlEngine(storage);
    const none = () => {};
    migrateDurableObjectSql(storage, { name: 'audit', migrations: AUDIT_MIGRATIONS });
    migrateDurableObjectSql(storage, { name: 'cursors', migrations: CURSOR_MIGRATIONS });
    migrateDurableObjectSql(storage, { name: 'findings', migrations: FINDING_MIGRATIONS });
    migrateDurableObjectSql(storage, { name: 'activity', migrations: ACTIVITY_MIGRATIONS });
    migrateDurableObjectSql(storage, { name: 'deliveries', migrations: DELIVERY_MIGRATIONS });
    migrateDurableObjectSql(storage, { name: 'console-sessions', migrations: CONSOLE_SESSION_MIGRATIONS });
    this.#stores = {
      audit: createSqlAuditLog(db, none),
      cursors: createSqlCursorStore(db, none),
      findings: createSqlFindingStore(db, none),
      activity: createSqlCustomerActivity(db, none),
      deliveries: createSqlDeliveryLog(db),
      consoleSessions: createSqlConsoleSessionStore(db, none),
    };
  }

  /** One call of store `store`'s port (RPC). */
  call(store: string, method: string, args: unknown[]): Promise<StoreReply> {
    if (!Object.hasOwn(STORES, store)) throw new TypeError(`Not a store of this object: ${store}`);
    const name = store as StoreName;
    return serveStoreCall(this.#stores[name] as object, STORES[name].methods as StoreMethods<object>, method, args);
  }
}

/** The RPC surface of an {@link OperationsStoreObject}. */
interface OperationsStub {
  call(store: string, method: string, args: unknown[]): Promise<StoreReply>;
}

/** Every operations store in the object `name` (default `operations`) of `namespace`. */
export function openDurableObjectOperationsStores(namespace: DurableObjectNamespace, options: { name?: string } = {}): OperationsStores {
  const id = namespace.idFromName(options.name ?? 'operations');
  const client = <K extends StoreName>(store: K): OperationsStores[K] => {
    const { methods, code, what, advice } = STORES[store];
    const stub = (): StoreObjectStub => {
      const object = namespace.get(id) as OperationsStub;
      return { call: (method, args) => object.call(store, method, args) };
    };
    return storeClient<OperationsStores[K]>({ methods: methods as StoreMethods<OperationsStores[K]>, stub, code, what, advice });
  };
  return {
    audit: client('audit'),
    cursors: client('cursors'),
    findings: client('findings'),
    activity: client('activity'),
    deliveries: client('deliveries'),
    consoleSessions: client('consoleSessions'),
  };
}
