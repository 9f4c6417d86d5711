/**
 * A store port across Durable Object RPC: the object runs the store, the Worker holds a client
 * with the port's shape whose every method is one call to the object. Inside the object a call
 * runs whole before the next one starts (the store's SQL is synchronous), so the object is what
 * makes each step atomic for every isolate of the Worker, as one SQLite file is for one process.
 *
 * Errors the port defines (a lost idempotency claim, a moved exposure) cross as data and are
 * thrown again as themselves; RPC would turn them into plain Errors. Any other error the store
 * throws (a broken invariant, such as a second approval flow for one order) crosses as data too
 * and is thrown as a plain Error with its message: a bug shows as itself, as on the Node and
 * Redis adapters, not as an outage, and the object does not report it as an uncaught exception.
 * Only a call that fails on the way (the object overloaded, reset by a deployment, unreachable)
 * is the store being unavailable.
 *
 * @module
 */
import { ExposureChangedError, IdempotencyClaimLostError, type StoreErrorCode, StoreUnavailableError } from '../../../ports/store-error.ts';

/** A port error as data, or (`STORE_FAILED`) any other error the store threw, by its message. */
type PortError = { code: 'IDEMPOTENCY_CLAIM_LOST'; key: string } | { code: 'EXPOSURE_CHANGED'; customerId: string } | { code: 'STORE_FAILED'; message: string };

/** What a store object answers a call with. */
export type StoreReply = { ok: true; value: unknown } | { ok: false; error: PortError };

/** The RPC surface of every store object: one method, the port's method by name. */
export interface StoreObjectStub {
  call(method: string, args: unknown[]): Promise<StoreReply>;
}

/** The port's methods a client forwards (every one but `close`, which the client keeps to itself). */
export type StoreMethods<Port> = Record<Exclude<keyof Port, 'close'>, true>;

/** Inside the object: runs `method` of `store` with `args`; refuses a name that is not one of `methods`. */
export async function serveStoreCall<Port extends object>(store: Port, methods: StoreMethods<Port>, method: string, args: unknown[]): Promise<StoreReply> {
  if (!Object.hasOwn(methods, method)) throw new TypeError(`Not a method of this store: ${method}`);
  try {
    const fn = store[method as keyof Port] as (...a: unknown[]) => unknown;
    return { ok: true, value: await fn.apply(store, args) };
  } catch (error) {
    if (error instanceof IdempotencyClaimLostError) return { ok: false, error: { code: error.code, key: error.key } };
    if (error instanceof ExposureChangedError) return { ok: false, error: { code: error.code, customerId: error.customerId } };
    return { ok: false, error: { code: 'STORE_FAILED', message: error instanceof Error ? error.message : String(error) } };
  }
}

export interface StoreClientOptions<Port> {
  methods: StoreMethods<Port>;
  /** A stub of the object, taken anew for every call: a stub that saw the object reset stays broken. */
  stub: () => StoreObjectStub;
  /** The code of the StoreUnavailableError a failed call throws. */
  code: StoreErrorCode;
  /** What the caller should do about it, for the error's message. */
  advice: string;
  /** The store's name in messages, e.g. `The order queue`. */
  what: string;
}

/** Outside: the port, every method one RPC to the object. */
export function storeClient<Port>(options: StoreClientOptions<Port>): Port {
  const client: Record<string, unknown> = { close: async () => {} };
  for (const method of Object.keys(options.methods)) {
    client[method] = async (...args: unknown[]) => {
      let reply: StoreReply;
      try {
        reply = await options.stub().call(method, args);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new StoreUnavailableError(options.code, `${options.what} (a Durable Object) did not answer (${method}: ${reason}). ${options.advice}`, {
          cause: error,
        });
      }
      if (reply.ok) return reply.value;
      const failure = reply.error;
      if (failure.code === 'IDEMPOTENCY_CLAIM_LOST') throw new IdempotencyClaimLostError(failure.key);
      if (failure.code === 'EXPOSURE_CHANGED') throw new ExposureChangedError(failure.customerId);
      throw new Error(`${options.what} (a Durable Object) refused ${method}: ${failure.message}`);
    };
  }
  return client as Port;
}
