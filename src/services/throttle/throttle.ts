/**
 * The throttle: every caller pays for what it asks from a bucket of points of its own, so nobody
 * can starve the others. The policy (`domain/throttle/throttle-policy.ts`) says which bucket a
 * principal draws from and how big it is; the store (embedded: this process; scale-out: Redis)
 * keeps the buckets.
 *
 * What a client reads is Shopify's `throttleStatus`: `maximumAvailable` (the bucket's capacity),
 * `currentlyAvailable` (points left, rounded down) and `restoreRate` (points a second).
 *
 * @module
 */
import type { Principal } from '../../domain/principal.ts';
import { bucketFor, type CallerBucket, type ThrottleLimits } from '../../domain/throttle/throttle-policy.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { BucketLevel, ThrottleStore } from '../../ports/throttle-store.ts';

/** A caller's bucket as a client sees it (`extensions.cost.throttleStatus`). */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** What a take decided. `status` is `null` while throttling is off. */
export type ThrottleDecision =
  | { allowed: true; status: ThrottleStatus | null }
  | {
      allowed: false;
      status: ThrottleStatus;
      /** Points the request asked for. */
      requested: number;
      /** When the bucket will hold them (ms); `null` when it never can (more than its capacity). */
      retryAfterMs: number | null;
    };

export interface ThrottleOptions {
  store: ThrottleStore;
  limits: ThrottleLimits;
  /** `THROTTLE=off`: every take is allowed, nothing is counted. */
  enabled: boolean;
  metrics: Metrics;
}

export class Throttle {
  readonly enabled: boolean;
  #store: ThrottleStore;
  #limits: ThrottleLimits;
  #metrics: Metrics;
  /**
   * Each principal's bucket and store key, worked out once: a principal is the same object for
   * every request of a remembered token (token-verifier.ts), and its bucket depends on nothing
   * else (the limits are fixed for the throttle's life).
   */
  #buckets = new WeakMap<Principal, { bucket: CallerBucket; key: string | Promise<string> }>();

  constructor(options: ThrottleOptions) {
    this.enabled = options.enabled;
    this.#store = options.store;
    this.#limits = options.limits;
    this.#metrics = options.metrics;
  }

  #bucketOf(principal: Principal): { bucket: CallerBucket; key: string | Promise<string> } {
    let known = this.#buckets.get(principal);
    if (known === undefined) {
      const bucket = bucketFor(principal, this.#limits);
      known = { bucket, key: callerKey(bucket) };
      this.#buckets.set(principal, known);
    }
    return known;
  }

  /** Takes `points` from the principal's bucket, or says why not and when to come back. */
  async take(principal: Principal, points: number): Promise<ThrottleDecision> {
    if (!this.enabled) return { allowed: true, status: null };
    // A request that costs nothing (a cost function may say so of introspection) takes nothing.
    if (points === 0) return { allowed: true, status: await this.status(principal) };
    const { bucket, key } = this.#bucketOf(principal);
    const result = await this.#store.take(await key, points, bucket.limits);
    this.#metrics.throttleLevel(bucket.role, result.available / result.capacity);
    if (result.allowed) return { allowed: true, status: statusOf(result) };
    // More than the bucket holds is the request's size, not the caller's pace.
    this.#metrics.requestRefused(result.retryAfterMs === null ? 'cost' : 'throttle');
    return { allowed: false, status: statusOf(result), requested: points, retryAfterMs: result.retryAfterMs };
  }

  /**
   * Gives back what a request was charged and did not cost (it was served from cache): the
   * difference between requested and actual cost. `null` while throttling is off.
   */
  async refund(principal: Principal, points: number): Promise<ThrottleStatus | null> {
    if (!this.enabled) return null;
    if (!(points > 0)) return this.status(principal);
    const { bucket, key } = this.#bucketOf(principal);
    return statusOf(await this.#store.refund(await key, points, bucket.limits));
  }

  /** The principal's bucket, unchanged; `null` while throttling is off. */
  async status(principal: Principal): Promise<ThrottleStatus | null> {
    if (!this.enabled) return null;
    const { bucket, key } = this.#bucketOf(principal);
    return statusOf(await this.#store.peek(await key, bucket.limits));
  }
}

function statusOf(level: BucketLevel): ThrottleStatus {
  return { maximumAvailable: level.capacity, currentlyAvailable: Math.floor(level.available), restoreRate: level.restoreRate };
}

/**
 * The store's key for a bucket: the role, then each part percent-encoded (no `:` to make two
 * callers one, no `{` to make a Redis hash tag). A part longer than 100 characters (a subject is
 * the identity provider's to choose) is hashed, so keys stay small in memory and in Redis.
 */
function callerKey(bucket: CallerBucket): string | Promise<string> {
  const encoded = bucket.parts.map(encodeURIComponent);
  if (encoded.every((part) => part.length <= 100)) return [bucket.role, ...encoded].join(':');
  return Promise.all(bucket.parts.map((part, i) => (encoded[i]!.length <= 100 ? encoded[i]! : sha256(part)))).then((parts) =>
    [bucket.role, ...parts].join(':'),
  );
}

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `sha256.${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
