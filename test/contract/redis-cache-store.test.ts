/**
 * The Redis cache tier against the CacheStore conformance suite, on a real redis-server; then what
 * it does while Redis is down: answers "no entry" quickly, drops writes, and recovers.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCacheStore } from '../../src/adapters/stores/redis/cache-store.ts';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { runCacheStoreContract } from './cache-store.contract.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

const available = redisServerAvailable('redis-cache-store');
let server: RedisServer;
let client: Redis;

describe.skipIf(!available)('Redis cache store', () => {
  beforeAll(async () => {
    server = await startRedisServer({ appendonly: false });
    client = await connectRedis({ url: server.url, role: 'test-cache', commandTimeoutMs: 500 });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  // A fresh prefix per scenario: an empty store without flushing anything.
  runCacheStoreContract('redis', () => createRedisCacheStore({ client, keys: redisKeys(`t${randomUUID()}`) }));

  it('while Redis is down: reads miss at once, writes are dropped, both reported; then it recovers', async () => {
    const errors: string[] = [];
    const store = createRedisCacheStore({ client, keys: redisKeys(`t${randomUUID()}`), onError: (op) => errors.push(op) });
    const e = { value: 1, fetchedAt: 1, asOf: new Date(1).toISOString() };
    await store.setMany([['k', e]], 60_000);
    await server.stop('SIGKILL');
    const started = performance.now();
    expect(await store.getMany(['k'])).toEqual([undefined]);
    await store.setMany([['k2', e]], 60_000);
    await store.deleteMany(['k']);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(errors).toEqual(['get', 'set', 'delete']);
    await server.start();
    for (let i = 0; i < 50 && client.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
    await store.setMany([['k3', e]], 60_000);
    expect(await store.getMany(['k3'])).toEqual([e]);
  });
});
