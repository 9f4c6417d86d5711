/**
 * The throttle store port: one leaky bucket of points per caller, so that every caller pays for
 * what it asks and nobody can starve the others. A bucket holds up to `capacity` points and is
 * restored at `restorePerSecond`; a request takes its cost from it, and is refused when the points
 * are not there. This is the shape Shopify's API made familiar (`maximumAvailable`,
 * `currentlyAvailable`, `restoreRate`).
 *
 * The in-process store serves one instance (embedded mode, Workers); the Redis store shares one
 * bucket per caller between every instance, so a caller cannot multiply its rate by spreading its
 * requests over them. Every implementation runs `test/contract/throttle-store.contract.ts`.
 *
 * The contract:
 * - **A missing bucket is a full one.** A caller never seen before (or idle long enough for its
 *   bucket to refill, after which a store may forget it) starts with `capacity` points.
 * - **Atomic.** A take decides and deducts in one step: concurrent takes for one key never spend
 *   the same points twice, on one instance or across instances.
 * - **All or nothing.** A take that does not fit deducts nothing and says when it would:
 *   `retryAfterMs`, the time until the bucket holds `points` again at the restore rate. A take of
 *   more than `capacity` can never fit: `retryAfterMs` is `null`.
 * - **Never above capacity, never below zero.** Restoring stops at `capacity`; a refund (the
 *   request cost less than it was charged, e.g. served from cache) gives points back up to
 *   `capacity`, never more.
 * - **The limits travel with each call.** Capacity and restore rate are the caller's policy
 *   (per role, per customer), not the store's: a changed limit applies from the next call on.
 * - **Bounded.** A store keeps a bounded number of buckets (memory) or lets idle ones expire
 *   (Redis): a million distinct callers cannot grow it without limit. Forgetting a bucket can only
 *   ever give its caller a full one, which is what it would have had after idling anyway.
 *
 * @module
 */

/** A bucket's size and speed: the caller's limits, passed on every call. */
export interface BucketLimits {
  /** The most points the bucket holds (and the most one request may cost). */
  capacity: number;
  /** Points restored per second, up to `capacity`. */
  restorePerSecond: number;
  /**
   * The instant of the call (epoch ms). Stores use their own clock when absent: the memory store
   * its `Clock`, the Redis store Redis's own `TIME`, so instances' clocks never matter. Tests pass
   * it to move time instead of waiting.
   */
  now?: number;
}

/** A bucket as it stands after a call. */
export interface BucketLevel {
  /** Points in the bucket now (after the call's take or refund), a fraction possibly. */
  available: number;
  capacity: number;
  /** Points restored per second. */
  restoreRate: number;
}

/** What a take decided. */
export interface TakeResult extends BucketLevel {
  /** Whether the points were taken. */
  allowed: boolean;
  /**
   * When refused, how long until the bucket holds the points asked for (ms, > 0); `0` when
   * allowed; `null` when the points exceed the capacity and can never be taken.
   */
  retryAfterMs: number | null;
}

/** One bucket per caller key. See the module documentation for the contract. */
export interface ThrottleStore {
  /** Takes `points` (> 0) from `key`'s bucket if they are there, atomically. */
  take(key: string, points: number, limits: BucketLimits): Promise<TakeResult>;
  /** Gives `points` (> 0) back to `key`'s bucket, up to its capacity. */
  refund(key: string, points: number, limits: BucketLimits): Promise<BucketLevel>;
  /** The bucket's level without changing it. */
  peek(key: string, limits: BucketLimits): Promise<BucketLevel>;
}
