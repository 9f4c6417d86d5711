/**
 * What erpfront's start-up check says about a real Redis's settings before it keeps orders there.
 * (That it refuses to start, and the override, are tested end to end in scale-out-durability.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { orderDurabilityProblems } from '../../src/adapters/stores/redis/durability.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

const available = redisServerAvailable('redis-durability');

describe.skipIf(!available)('Redis durability check', () => {
  let server: RedisServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  async function problemsWith(options: Parameters<typeof startRedisServer>[0]) {
    server = await startRedisServer(options);
    const client = await connectRedis({ url: server.url, role: 'test-durability' });
    try {
      return await orderDurabilityProblems(client);
    } finally {
      client.disconnect();
    }
  }

  it('accepts appendonly yes, appendfsync always, maxmemory-policy noeviction', async () => {
    expect(await problemsWith({ maxmemoryPolicy: 'noeviction' })).toEqual([]);
  });

  it('names a policy that could evict idempotency keys (volatile-*) or orders (allkeys-*)', async () => {
    expect(await problemsWith({ maxmemoryPolicy: 'volatile-lru' })).toEqual([expect.stringMatching(/volatile-lru.*idempotency keys could be evicted/)]);
    await server!.stop();
    expect(await problemsWith({ maxmemoryPolicy: 'allkeys-lru' })).toEqual([expect.stringMatching(/allkeys-lru.*orders could be evicted/)]);
  });

  it('names a Redis that loses the last second (appendfsync everysec) or everything (no AOF)', async () => {
    expect(await problemsWith({ appendfsync: 'everysec' })).toEqual([expect.stringMatching(/appendfsync is "everysec"/)]);
    await server!.stop();
    expect(await problemsWith({ appendonly: false })).toEqual([expect.stringMatching(/appendonly is "no"/)]);
  });
});
