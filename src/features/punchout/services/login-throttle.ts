/**
 * Failed PunchOut logins, throttled: a leaky bucket per key (a sender identity, a source
 * address), kept in an lru-cache so a flood of distinct keys cannot grow memory. Each failure
 * adds one; the bucket leaks `maxFailures` per `windowMs`; a key whose bucket is full is refused
 * until one failure has leaked away. So after `maxFailures` failures in a burst, a sender (or an
 * address) gets one more try every `windowMs / maxFailures`, and a full window of quiet empties it.
 *
 * Successful logins never add (the caller counts a failure before checking, so concurrent guesses
 * cannot all slip through, and refunds it on success). A refused (throttled) attempt does not add: it was not
 * tried, and a flood against a buyer's identity then delays that buyer no longer than the flood.
 *
 * Per process: instances behind a load balancer each keep their own buckets.
 *
 * @module
 */
import { LRUCache } from 'lru-cache';

export interface LoginThrottleOptions {
  /** Failures a key may have in a burst before it is refused. */
  maxFailures: number;
  /** How long a full bucket takes to empty. */
  windowMs: number;
  /** Most keys remembered (least recently used go first). @default 10_000 */
  maxKeys?: number;
}

interface Bucket {
  level: number;
  at: number;
}

export class LoginThrottle {
  readonly #options: LoginThrottleOptions;
  readonly #buckets: LRUCache<string, Bucket>;
  /** Failures leaked per millisecond. */
  readonly #rate: number;

  constructor(options: LoginThrottleOptions) {
    this.#options = options;
    this.#rate = options.maxFailures / options.windowMs;
    // An entry untouched for a whole window has leaked empty: the TTL only frees its memory early.
    this.#buckets = new LRUCache<string, Bucket>({ max: options.maxKeys ?? 10_000, ttl: options.windowMs, ttlAutopurge: false });
  }

  /** How long (ms) until every one of `keys` may try again; 0 when all may now. */
  retryAfterMs(keys: readonly string[], now: number): number {
    let wait = 0;
    for (const key of keys) {
      const level = this.#level(key, now);
      // Full: wait until one failure has leaked below the limit.
      if (level > this.#options.maxFailures - 1) wait = Math.max(wait, (level - (this.#options.maxFailures - 1)) / this.#rate);
    }
    return Math.ceil(wait);
  }

  /** Counts a failed login against every one of `keys`. */
  failed(keys: readonly string[], now: number): void {
    for (const key of keys) this.#buckets.set(key, { level: Math.min(this.#level(key, now) + 1, this.#options.maxFailures), at: now });
  }

  /** Takes back a failure counted before a login that then succeeded. */
  refund(keys: readonly string[], now: number): void {
    for (const key of keys) {
      const level = this.#level(key, now) - 1;
      if (level <= 0) this.#buckets.delete(key);
      else this.#buckets.set(key, { level, at: now });
    }
  }

  #level(key: string, now: number): number {
    const bucket = this.#buckets.get(key);
    return bucket ? Math.max(0, bucket.level - Math.max(0, now - bucket.at) * this.#rate) : 0;
  }
}
