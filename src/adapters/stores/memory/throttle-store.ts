/**
 * The in-process throttle store: one leaky bucket per caller key in an lru-cache, for one instance
 * (embedded mode, Workers, and every instance's stand-in while Redis is away). Implements the
 * {@link ThrottleStore} contract.
 *
 * Bounded by a number of buckets: past it, the least recently used bucket is forgotten. A caller
 * flooding right now is by definition recently used and stays; the buckets that go are those of
 * callers idle the longest, which have most likely refilled anyway (and a forgotten bucket is a
 * full one, the contract's only allowed loss). About 150 bytes a bucket: the default 100,000 are
 * some 15 MB.
 *
 * @module
 */
import { LRUCache } from 'lru-cache';
import { checkBucketCall, levelAt, msUntil, type BucketState } from '../../../domain/throttle/leaky-bucket.ts';
import { systemClock, type Clock } from '../../../ports/clock.ts';
import type { BucketLevel, BucketLimits, TakeResult, ThrottleStore } from '../../../ports/throttle-store.ts';

export interface MemoryThrottleStoreOptions {
  /** Most buckets kept (default 100,000); the least recently used is forgotten past it. */
  maxBuckets?: number;
  clock?: Clock;
}

/** A synchronous store underneath the port's promises: the Redis store's fallback calls it directly. */
export interface MemoryThrottleStore extends ThrottleStore {
  takeNow(key: string, points: number, limits: BucketLimits): TakeResult;
  refundNow(key: string, points: number, limits: BucketLimits): BucketLevel;
  peekNow(key: string, limits: BucketLimits): BucketLevel;
}

export function createMemoryThrottleStore(options: MemoryThrottleStoreOptions = {}): MemoryThrottleStore {
  const maxBuckets = options.maxBuckets ?? 100_000;
  if (!Number.isInteger(maxBuckets) || maxBuckets <= 0)
    throw new TypeError(`throttle store: maxBuckets must be a positive integer, but got: ${String(maxBuckets)}`);
  const clock = options.clock ?? systemClock;
  const buckets = new LRUCache<string, BucketState>({ max: maxBuckets });

  const level = (available: number, limits: BucketLimits): BucketLevel => ({ available, capacity: limits.capacity, restoreRate: limits.restorePerSecond });

  const store: MemoryThrottleStore = {
    takeNow(key, points, limits) {
      checkBucketCall(points, limits);
      const now = limits.now ?? clock.now();
      const current = levelAt(buckets.get(key), limits, now);
      if (points > limits.capacity) return { ...level(current, limits), allowed: false, retryAfterMs: null };
      if (current < points) return { ...level(current, limits), allowed: false, retryAfterMs: msUntil(current, points, limits) };
      const left = current - points;
      buckets.set(key, { level: left, at: now });
      return { ...level(left, limits), allowed: true, retryAfterMs: 0 };
    },

    refundNow(key, points, limits) {
      checkBucketCall(points, limits);
      const now = limits.now ?? clock.now();
      const after = Math.min(limits.capacity, levelAt(buckets.get(key), limits, now) + points);
      // A full bucket is no bucket: forgetting it keeps the store to the callers still owing. Not
      // the last one, though: lru-cache empties itself by clearing arrays as long as its maximum
      // (100,000 buckets), and one busy caller refunded on every request paid that every time
      // (10% of a warm page's CPU). A full bucket kept reads as a forgotten one.
      if (after >= limits.capacity && buckets.size > 1) buckets.delete(key);
      else buckets.set(key, { level: after, at: now });
      return level(after, limits);
    },

    peekNow(key, limits) {
      checkBucketCall(null, limits);
      // `peek` rather than `get`: looking does not make a bucket recently used.
      return level(levelAt(buckets.peek(key), limits, limits.now ?? clock.now()), limits);
    },

    take: async (key, points, limits) => store.takeNow(key, points, limits),
    refund: async (key, points, limits) => store.refundNow(key, points, limits),
    peek: async (key, limits) => store.peekNow(key, limits),
  };
  return store;
}
