/**
 * The shared throttle store against the ThrottleStore conformance suite, on a real redis-server;
 * then what only a shared store does: one bucket for every instance, Redis's own clock, idle
 * buckets that vanish, and per-instance buckets while Redis is down, shared again after.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { createRedisThrottleStore, REFUND_DELAY_MS } from '../../src/adapters/stores/redis/throttle-store.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';
import { runThrottleStoreContract } from './throttle-store.contract.ts';

const available = redisServerAvailable('redis-throttle-store');
let server: RedisServer;
let client: Redis;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const keysFor = () => redisKeys(`t${randomUUID().slice(0, 8)}`);

describe.skipIf(!available)('Redis throttle store', () => {
  beforeAll(async () => {
    server = await startRedisServer({ appendonly: false });
    client = await connectRedis({ url: server.url, role: 'test-throttle', commandTimeoutMs: 250 });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  runThrottleStoreContract('redis', () => ({ store: createRedisThrottleStore({ client, keys: keysFor() }) }));

  it('two instances draw from one bucket per caller', async () => {
    const keys = keysFor();
    const other = await connectRedis({ url: server.url, role: 'test-throttle-2' });
    const [a, b] = [createRedisThrottleStore({ client, keys }), createRedisThrottleStore({ client: other, keys })];
    const limits = { capacity: 10, restorePerSecond: 0.001 };
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).take('buyer:C1:u', 1, limits)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    other.disconnect();
  });

  it("keeps time on Redis's clock when no instant is passed, and lets idle buckets expire when they would be full", async () => {
    const keys = keysFor();
    const store = createRedisThrottleStore({ client, keys });
    const limits = { capacity: 10, restorePerSecond: 20 };
    const taken = await store.take('k', 10, limits);
    expect(taken.allowed).toBe(true);
    expect(taken.available).toBeLessThan(1);
    // Empty, restored 20 a second: full in half a second, so the key lives that long plus a second.
    const ttl = await client.pttl(keys.throttle('k'));
    expect(ttl).toBeGreaterThan(1000);
    expect(ttl).toBeLessThanOrEqual(1500);
    await sleep(250);
    const level = (await store.peek('k', limits)).available;
    expect(level).toBeGreaterThan(3);
    expect(level).toBeLessThan(8);
    // A refund that fills the bucket deletes the key: a full bucket is no bucket. (Sent with the
    // bucket's next call, or on its own within REFUND_DELAY_MS.)
    await store.refund('k', 10, limits);
    await sleep(REFUND_DELAY_MS * 3);
    expect(await client.exists(keys.throttle('k'))).toBe(0);
  });

  it('a refund rides on the bucket’s next call: one script run per request, the level exact', async () => {
    const keys = keysFor();
    const store = createRedisThrottleStore({ client, keys });
    const limits = { capacity: 1000, restorePerSecond: 0.001 };
    const runs = async () => Number(/cmdstat_evalsha:calls=(\d+)/.exec(await client.info('commandstats'))?.[1] ?? 0);
    await store.peek('k', limits);
    const before = await runs();
    // Charged 30, cost 5: 25 back each time, as a warm page is.
    for (let i = 0; i < 20; i++) {
      expect((await store.take('k', 30, limits)).allowed).toBe(true);
      const after = await store.refund('k', 25, limits);
      expect(after.available).toBeCloseTo(1000 - 5 * (i + 1), 1);
    }
    expect(await runs()).toBe(before + 20);
    // This instance reads the owed points back at once; Redis holds them within REFUND_DELAY_MS.
    expect((await store.peek('k', limits)).available).toBeCloseTo(900, 1);
    await store.refund('k', 50, limits);
    await sleep(REFUND_DELAY_MS * 3);
    expect(Number(await client.hget(keys.throttle('k'), 'l'))).toBeCloseTo(950, 1);
  });

  it('another instance sees a refund within REFUND_DELAY_MS, and nothing is given back twice', async () => {
    const keys = keysFor();
    const other = await connectRedis({ url: server.url, role: 'test-throttle-3' });
    const [a, b] = [createRedisThrottleStore({ client, keys }), createRedisThrottleStore({ client: other, keys })];
    const limits = { capacity: 10, restorePerSecond: 0.001 };
    expect((await a.take('k', 10, limits)).allowed).toBe(true);
    await a.refund('k', 4, limits);
    await sleep(REFUND_DELAY_MS * 3);
    expect((await b.take('k', 4, limits)).allowed).toBe(true);
    expect((await b.take('k', 1, limits)).allowed).toBe(false);
    expect((await a.peek('k', limits)).available).toBeLessThan(0.01);
    other.disconnect();
  });

  it('while Redis is down, each instance decides from its own buckets (reported once), and shares them again after', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: (message) => void warnings.push(message),
      error: (message) => void warnings.push(message),
      child: () => logger,
    };
    const own = await connectRedis({ url: server.url, role: 'test-throttle-down', commandTimeoutMs: 250 });
    const keys = keysFor();
    const store = createRedisThrottleStore({ client: own, keys, logger });
    const limits = { capacity: 5, restorePerSecond: 0.001 };
    expect((await store.take('k', 5, limits)).allowed).toBe(true);
    expect((await store.take('k', 1, limits)).allowed).toBe(false);

    await server.stop('SIGKILL');
    await sleep(100);
    // Served, not refused for want of Redis: this instance's own bucket, full, then bounded too.
    const during = await Promise.all(Array.from({ length: 8 }, () => store.take('k', 1, limits)));
    expect(during.filter((r) => r.allowed)).toHaveLength(5);
    expect(warnings.filter((w) => w.includes('falls back'))).toHaveLength(1);

    await server.start();
    for (let i = 0; i < 50 && own.status !== 'ready'; i++) await sleep(100);
    // Redis is asked again a second after the fallback began at the earliest.
    await sleep(1000);
    // The shared bucket again, where it was (started without persistence: gone, so full).
    const after = await store.take('k', 1, limits);
    expect(after.allowed).toBe(true);
    expect(await own.exists(keys.throttle('k'))).toBe(1);
    expect(warnings.filter((w) => w.includes('shared through Redis again'))).toHaveLength(1);
    own.disconnect();
    for (let i = 0; i < 50 && client.status !== 'ready'; i++) await sleep(100);
  });
});
