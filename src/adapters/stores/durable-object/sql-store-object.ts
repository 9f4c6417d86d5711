/**
 * A Durable Object that runs one SQL store (`../sql/`) in its own SQLite storage, and the client
 * every isolate reaches it through: what the order, outbox, PunchOut, company and application
 * objects share. The object brings its store's tables up to date when it starts, then answers
 * each call with one method of the port, run whole before the next (see `rpc.ts`).
 *
 * @module
 */
import { DurableObject, type DurableObjectNamespace, type DurableObjectState } from 'cloudflare:workers';
import type { SqlEngine } from '../sql/engine.ts';
import { type StoreClientOptions, type StoreMethods, type StoreObjectStub, type StoreReply, serveStoreCall, storeClient } from './rpc.ts';
import { durableObjectSqlEngine, migrateDurableObjectSql } from './sql-engine.ts';

/** What an object runs: a store, its tables, and the port methods a client may call. */
export interface SqlStoreSpec<Port> {
  /** The store's name in the object's schema versions (`erpfront_schema`). */
  schema: string;
  /** The store's migrations, one per schema version. */
  migrations: readonly string[];
  /** The store over the object's SQLite. */
  open(db: SqlEngine): Port;
  methods: StoreMethods<Port>;
}

/**
 * The base class of a store's Durable Object: `export class OutboxStoreObject extends
 * sqlStoreObject(spec) {}` (wrangler.toml binds the subclass, by its name).
 */
export function sqlStoreObject<Port extends object>(spec: SqlStoreSpec<Port>) {
  return class SqlStoreObject extends DurableObject {
    readonly #store: Port;

    constructor(ctx: DurableObjectState, env: unknown) {
      super(ctx, env);
      migrateDurableObjectSql(ctx.storage, { name: spec.schema, migrations: spec.migrations });
      this.#store = spec.open(durableObjectSqlEngine(ctx.storage));
    }

    /** One call of the store's port (RPC). */
    call(method: string, args: unknown[]): Promise<StoreReply> {
      return serveStoreCall(this.#store, spec.methods, method, args);
    }
  };
}

/** The store of the object named `name` in `namespace`: every method one RPC to it. */
export function sqlStoreClient<Port>(namespace: DurableObjectNamespace, name: string, options: Omit<StoreClientOptions<Port>, 'stub'>): Port {
  const id = namespace.idFromName(name);
  return storeClient<Port>({ ...options, stub: () => namespace.get(id) as StoreObjectStub });
}
