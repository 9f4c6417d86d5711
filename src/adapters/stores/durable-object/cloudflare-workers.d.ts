/**
 * The few types of workerd's `cloudflare:workers` module that the Durable Object backends use,
 * declared here rather than through `@cloudflare/workers-types`: that package redeclares the
 * global `Request`, `Response` and `fetch` of the whole program, which Node's code checks against
 * DOM and Node types. These mirror workers-types' declarations of the same names.
 */
declare module 'cloudflare:workers' {
  export type SqlStorageValue = ArrayBuffer | string | number | null;

  export interface SqlStorageCursor<T> {
    toArray(): T[];
    one(): T;
    readonly rowsRead: number;
    readonly rowsWritten: number;
  }

  export interface SqlStorage {
    exec<T = Record<string, SqlStorageValue>>(query: string, ...bindings: SqlStorageValue[]): SqlStorageCursor<T>;
  }

  export interface DurableObjectStorage {
    readonly sql: SqlStorage;
    transactionSync<T>(closure: () => T): T;
    getAlarm(): Promise<number | null>;
    setAlarm(scheduledTime: number | Date): Promise<void>;
    deleteAlarm(): Promise<void>;
  }

  export interface DurableObjectState {
    readonly storage: DurableObjectStorage;
    blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
    waitUntil(promise: Promise<unknown>): void;
  }

  export interface DurableObjectId {
    toString(): string;
  }

  /** A namespace binding; `get` returns a stub whose public methods are the object's, over RPC. */
  export interface DurableObjectNamespace<Stub = unknown> {
    idFromName(name: string): DurableObjectId;
    get(id: DurableObjectId): Stub;
  }

  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }

  /** The Worker's bindings, importable anywhere in the Worker. */
  export const env: Record<string, unknown>;
}
