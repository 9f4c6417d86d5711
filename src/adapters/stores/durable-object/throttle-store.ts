/**
 * The throttle store on Cloudflare: every caller's bucket in a Durable Object of its own
 * (`ThrottleBucketObject`, named by the caller's key), so a caller whose requests land on many
 * isolates, in many data centres, still draws from one bucket, as the Redis store gives every Node
 * instance. One object per caller, not one for all: a flood of one caller queues in its own
 * object and never delays anybody else's take (an object runs one call at a time), and the
 * objects scale with the callers. Implements the {@link ThrottleStore} contract.
 *
 * The object decides on its own clock (`now` from the call only where a test passes one) and keeps
 * the bucket in its SQLite storage, so eviction or a deployment does not hand a flooder a full
 * bucket. An idle caller's object holds one row, which reads as the full bucket it is.
 *
 * **While an object cannot be reached** each isolate decides alone, from an in-isolate store, for
 * at least a second before it asks the objects again: a throttle must never be why erpfront stops
 * answering (fail-open, as the Redis store). The fallback is logged once per outage.
 *
 * @module
 */
import { DurableObject, type DurableObjectNamespace, type DurableObjectState } from 'cloudflare:workers';
import { checkBucketCall, levelAt, msUntil, type BucketState } from '../../../domain/throttle/leaky-bucket.ts';
import { loggableError } from '../../../domain/loggable-error.ts';
import { silentLogger, type Logger } from '../../../ports/logger.ts';
import type { BucketLevel, BucketLimits, TakeResult, ThrottleStore } from '../../../ports/throttle-store.ts';
import { createMemoryThrottleStore, type MemoryThrottleStore } from '../memory/throttle-store.ts';

/** The Durable Object class of wrangler.toml's `THROTTLE` binding: one caller's bucket. */
export class ThrottleBucketObject extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS bucket (id INTEGER PRIMARY KEY CHECK (id = 1), level REAL NOT NULL, at INTEGER NOT NULL)');
  }

  /** Takes `points` if they are there (RPC); one call at a time, so two takes never spend the same points. */
  take(points: number, limits: BucketLimits): TakeResult {
    checkBucketCall(points, limits);
    const now = limits.now ?? Date.now();
    const current = levelAt(this.#state(), limits, now);
    if (points > limits.capacity) return { ...level(current, limits), allowed: false, retryAfterMs: null };
    if (current < points) return { ...level(current, limits), allowed: false, retryAfterMs: msUntil(current, points, limits) };
    this.#save(current - points, now);
    return { ...level(current - points, limits), allowed: true, retryAfterMs: 0 };
  }

  /** Gives `points` back, up to the capacity (RPC). */
  refund(points: number, limits: BucketLimits): BucketLevel {
    checkBucketCall(points, limits);
    const now = limits.now ?? Date.now();
    const after = Math.min(limits.capacity, levelAt(this.#state(), limits, now) + points);
    this.#save(after, now);
    return level(after, limits);
  }

  /** The bucket's level, unchanged (RPC). */
  peek(limits: BucketLimits): BucketLevel {
    checkBucketCall(null, limits);
    return level(levelAt(this.#state(), limits, limits.now ?? Date.now()), limits);
  }

  #state(): BucketState | undefined {
    return this.ctx.storage.sql.exec<{ level: number; at: number }>('SELECT level, at FROM bucket WHERE id = 1').toArray()[0];
  }

  #save(points: number, at: number): void {
    this.ctx.storage.sql.exec(
      'INSERT INTO bucket (id, level, at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET level = excluded.level, at = excluded.at',
      points,
      at,
    );
  }
}

function level(available: number, limits: BucketLimits): BucketLevel {
  return { available, capacity: limits.capacity, restoreRate: limits.restorePerSecond };
}

/** The RPC surface of a {@link ThrottleBucketObject}. */
interface BucketStub {
  take(points: number, limits: BucketLimits): Promise<TakeResult>;
  refund(points: number, limits: BucketLimits): Promise<BucketLevel>;
  peek(limits: BucketLimits): Promise<BucketLevel>;
}

export interface DurableObjectThrottleStoreOptions {
  /** Prefixed to every caller key in the object's name (tests give each scenario its own). */
  prefix?: string;
  /** Where the fallback to in-isolate buckets is reported (once per outage). */
  logger?: Logger;
  /** Most buckets the in-isolate fallback keeps (default 100,000). */
  fallbackMaxBuckets?: number;
}

/** Every caller's bucket in an object of its own in `namespace`; fail-open to in-isolate buckets. */
export function createDurableObjectThrottleStore(namespace: DurableObjectNamespace, options: DurableObjectThrottleStoreOptions = {}): ThrottleStore {
  const prefix = options.prefix ?? 'throttle:';
  const logger = options.logger ?? silentLogger;
  /** This isolate's own buckets while the objects are away; dropped once they answer again. */
  let fallback: MemoryThrottleStore | null = null;
  let retryAt = 0;

  const bucket = (key: string) => namespace.get(namespace.idFromName(prefix + key)) as BucketStub;

  async function decide<T>(shared: () => Promise<T>, local: (store: MemoryThrottleStore) => T): Promise<T> {
    if (fallback !== null && Date.now() < retryAt) return local(fallback);
    try {
      const answer = await shared();
      if (fallback !== null) {
        logger.info('erpfront: throttle buckets are shared again: their Durable Objects answer');
        fallback = null;
      }
      return answer;
    } catch (error) {
      if (fallback === null) {
        logger.warn("erpfront: throttle falls back to this isolate's own buckets: their Durable Objects did not answer", { err: loggableError(error) });
        fallback = createMemoryThrottleStore({ maxBuckets: options.fallbackMaxBuckets });
      }
      retryAt = Date.now() + 1000;
      return local(fallback);
    }
  }

  // A wrong call (a bad cost or limit) is a bug, not an outage: checked here, it throws as it
  // would locally instead of reading as an unreachable object.
  return {
    async take(key, points, limits) {
      checkBucketCall(points, limits);
      return decide(
        () => bucket(key).take(points, limits),
        (local) => local.takeNow(key, points, limits),
      );
    },
    async refund(key, points, limits) {
      checkBucketCall(points, limits);
      return decide(
        () => bucket(key).refund(points, limits),
        (local) => local.refundNow(key, points, limits),
      );
    },
    async peek(key, limits) {
      checkBucketCall(null, limits);
      return decide(
        () => bucket(key).peek(limits),
        (local) => local.peekNow(key, limits),
      );
    },
  };
}
