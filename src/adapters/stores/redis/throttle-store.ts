/**
 * The throttle store shared by every instance, on Redis: one bucket per caller, decided by one Lua
 * script on Redis's clock (`throttle-scripts.ts`), so a caller spreading its requests over the
 * instances still draws from one bucket. Implements the {@link ThrottleStore} contract, like the
 * in-process store.
 *
 * **While Redis is unreachable** (or answers an error), each instance decides alone, from an
 * in-process store of its own, as the ERP budget does: erpfront keeps serving, and every instance
 * stays protected from any one caller. The price is that a caller spread over N instances may get
 * up to N buckets' worth during the outage. The fallback is reported once per outage, and left once
 * the connection is ready again (and at least a second has passed: a Redis that times out is not
 * asked on every request); the shared buckets then carry on from where they were (restored by the
 * time that passed), the fallback's are dropped.
 *
 * **Refunds ride on the bucket's next call.** A query is charged what it may cost and given back
 * what it did not (served from cache): two round trips per request, a third of a warm page's CPU
 * in scale-out. So a refund is not sent at once: it is owed, and given back inside the same
 * script as this instance's next take or peek on that bucket, or within `REFUND_DELAY_MS` when
 * there is none. The level this instance reads is the same either way (a refund's restore is
 * capped as it would have been: min(cap, min(cap, x) + y) = min(cap, x + y)); other instances see
 * the points back up to `REFUND_DELAY_MS` late, which can only refuse, never allow, more. What a
 * deferred refund returns is worked out from the bucket's last reply on this instance.
 *
 * Fail-open for every method, by design: a throttle must never be the reason erpfront stops
 * answering.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../../ports/logger.ts';
import type { BucketLevel, BucketLimits, TakeResult, ThrottleStore } from '../../../ports/throttle-store.ts';
import { checkBucketCall } from '../../../domain/throttle/leaky-bucket.ts';
import { createMemoryThrottleStore, type MemoryThrottleStore } from '../memory/throttle-store.ts';
import type { RedisKeys } from './keys.ts';
import { bucketScript } from './throttle-scripts.ts';

export interface RedisThrottleStoreOptions {
  /** A connection with a short command timeout: a slow Redis must not hold every request. */
  client: Redis;
  keys: Pick<RedisKeys, 'throttle'>;
  /** Where the fallback to per-instance buckets is reported (once per outage). */
  logger?: Logger;
  /** Most buckets the per-instance fallback keeps (default 100,000). */
  fallbackMaxBuckets?: number;
}

type Reply = [number, string, number];

/** Longest a refund waits for its bucket's next call before it is sent on its own. */
export const REFUND_DELAY_MS = 20;
/** Most buckets whose last level is remembered for deferred refunds; past it, refunds are sent at once. */
const KNOWN_LEVELS = 10_000;

/** A bucket's level as this instance last heard it, and when (its own clock, or the call's `now`). */
interface Known {
  available: number;
  at: number;
}

export function createRedisThrottleStore(options: RedisThrottleStoreOptions): ThrottleStore {
  const { client, keys, logger } = options;
  /** This instance's own buckets while Redis is away; dropped once it is back. */
  let fallback: MemoryThrottleStore | null = null;
  /** When Redis is tried again, once the connection says it is ready (epoch ms). */
  let retryAt = 0;
  /** Whether the fallback was reported and its end not yet: one line each per outage. */
  let down = false;

  function local(cause: unknown): MemoryThrottleStore {
    if (fallback === null) {
      fallback = createMemoryThrottleStore({ maxBuckets: options.fallbackMaxBuckets });
      if (!down)
        logger?.warn(
          `erpfront: throttle falls back to this instance's own buckets while Redis is unreachable: ${cause instanceof Error ? cause.message : String(cause)}`,
        );
      down = true;
      // Not before a second: a Redis that times out on a connection still "ready" would
      // otherwise cost every request the command timeout.
      retryAt = Date.now() + 1000;
    }
    return fallback;
  }

  /** Points refunded and not yet sent, by bucket key. */
  const owed = new Map<string, { points: number; limits: BucketLimits }>();
  /** The last level each bucket answered, for what a deferred refund returns. */
  const known = new Map<string, Known>();
  let flushing: ReturnType<typeof setTimeout> | null = null;

  /** Sends what no call took along: each bucket's owed points on their own. */
  function flush(): void {
    flushing = null;
    const due = [...owed];
    owed.clear();
    known.clear();
    // Not connected (closing, or down): the points are dropped, which only ever refuses more.
    if (client.status !== 'ready') return;
    for (const [key, { points, limits }] of due) void run('refund', key, points, limits).catch(() => {});
  }

  async function run(mode: 'take' | 'refund' | 'peek', key: string, points: number, limits: BucketLimits): Promise<Reply | MemoryThrottleStore> {
    // Owed points go with this call; if it fails they are lost, which only ever refuses more.
    const along = owed.get(key);
    if (along !== undefined) owed.delete(key);
    if (fallback !== null) {
      if (client.status !== 'ready' || Date.now() < retryAt) return fallback;
      // Back on the shared buckets; this instance's own are dropped.
      fallback = null;
    }
    if (client.status !== 'ready') return local(new Error(`connection ${client.status}`));
    let reply: Reply;
    try {
      reply = (await bucketScript.run(
        client,
        [keys.throttle(key)],
        [mode, points, limits.capacity, limits.restorePerSecond, limits.now ?? '', along?.points ?? 0],
      )) as Reply;
    } catch (error) {
      return local(error);
    }
    if (known.size >= KNOWN_LEVELS) known.clear();
    known.set(key, { available: Number(reply[1]), at: limits.now ?? Date.now() });
    if (down) {
      down = false;
      logger?.warn('erpfront: throttle buckets are shared through Redis again');
    }
    return reply;
  }

  const level = (reply: Reply, limits: BucketLimits): BucketLevel => ({
    available: Number(reply[1]),
    capacity: limits.capacity,
    restoreRate: limits.restorePerSecond,
  });

  return {
    async take(key, points, limits) {
      checkBucketCall(points, limits);
      const reply = await run('take', key, points, limits);
      if (!Array.isArray(reply)) return reply.takeNow(key, points, limits);
      const allowed = reply[0] === 1;
      return { ...level(reply, limits), allowed, retryAfterMs: allowed ? 0 : reply[2] < 0 ? null : reply[2] } satisfies TakeResult;
    },
    async refund(key, points, limits) {
      checkBucketCall(points, limits);
      const last = fallback === null ? known.get(key) : undefined;
      if (last !== undefined) {
        // Owed, not sent: the level is the last one heard, restored since, plus the points.
        const at = limits.now ?? Date.now();
        last.available = Math.min(limits.capacity, last.available + (Math.max(0, at - last.at) * limits.restorePerSecond) / 1000 + points);
        last.at = at;
        const debt = owed.get(key);
        if (debt === undefined) owed.set(key, { points, limits });
        else debt.points += points;
        if (flushing === null) {
          flushing = setTimeout(flush, REFUND_DELAY_MS);
          flushing.unref();
        }
        return { available: last.available, capacity: limits.capacity, restoreRate: limits.restorePerSecond };
      }
      const reply = await run('refund', key, points, limits);
      return Array.isArray(reply) ? level(reply, limits) : reply.refundNow(key, points, limits);
    },
    async peek(key, limits) {
      checkBucketCall(null, limits);
      const reply = await run('peek', key, 0, limits);
      return Array.isArray(reply) ? level(reply, limits) : reply.peekNow(key, limits);
    },
  };
}
