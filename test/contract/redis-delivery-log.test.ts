/** The Redis delivery log against the DeliveryLog conformance suite, on a real redis-server. */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { createRedisDeliveryLog } from '../../src/adapters/stores/redis/delivery-log.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { runDeliveryLogContract } from './delivery-log.contract.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

const available = redisServerAvailable('redis-delivery-log');
let server: RedisServer;
let client: Redis;

describe.skipIf(!available)('Redis delivery log', () => {
  beforeAll(async () => {
    server = await startRedisServer({ appendonly: false });
    client = await connectRedis({ url: server.url, role: 'test-deliveries', commandTimeoutMs: 500 });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  // A fresh prefix per scenario: an empty log without flushing anything.
  runDeliveryLogContract('redis', () => createRedisDeliveryLog({ client, key: redisKeys(`t${randomUUID()}`).delivery }));

  it('two instances share one log: a retry landing on the other is a duplicate', async () => {
    const keys = redisKeys(`t${randomUUID()}`);
    const other = await connectRedis({ url: server.url, role: 'test-deliveries-2', commandTimeoutMs: 500 });
    try {
      const a = createRedisDeliveryLog({ client, key: keys.delivery });
      const b = createRedisDeliveryLog({ client: other, key: keys.delivery });
      expect(await a.claim('msg_shared', 60_000)).toBe(true);
      expect(await b.claim('msg_shared', 60_000)).toBe(false);
    } finally {
      other.disconnect();
    }
  });

  it('while Redis is down a claim fails (the delivery is refused and retried), not "new" or "seen"', async () => {
    const log = createRedisDeliveryLog({ client, key: redisKeys(`t${randomUUID()}`).delivery });
    await server.stop('SIGKILL');
    try {
      await expect(log.claim('msg_down', 60_000)).rejects.toThrow();
    } finally {
      await server.start();
      for (let i = 0; i < 50 && client.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
    }
    expect(await log.claim('msg_down', 60_000)).toBe(true);
  });
});
