/** The memory, SQLite and Redis customer activity stores against the CustomerActivityStore conformance suite. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { createMemoryCustomerActivity } from '../../src/adapters/stores/memory/customer-activity.ts';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { createRedisCustomerActivity } from '../../src/adapters/stores/redis/customer-activity.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { createSqliteCustomerActivity } from '../../src/adapters/stores/sqlite/customer-activity.ts';
import { runCustomerActivityContract } from './customer-activity.contract.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

runCustomerActivityContract('memory', async () => ({ store: createMemoryCustomerActivity() }), { durable: false });

runCustomerActivityContract(
  'sqlite',
  async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'erpfront-activity-')), 'activity.sqlite');
    return { store: createSqliteCustomerActivity({ path }), reopen: async () => createSqliteCustomerActivity({ path }) };
  },
  { durable: true },
);

const available = redisServerAvailable('redis-customer-activity');
let server: RedisServer;
let client: Redis;
describe.skipIf(!available)('Redis customer activity', () => {
  beforeAll(async () => {
    server = await startRedisServer({ appendonly: false });
    client = await connectRedis({ url: server.url, role: 'test-activity', commandTimeoutMs: 500 });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });
  runCustomerActivityContract(
    'redis',
    async () => {
      const key = redisKeys(`t${randomUUID()}`).customerActivity;
      return { store: createRedisCustomerActivity({ client, key }), reopen: async () => createRedisCustomerActivity({ client, key }) };
    },
    { durable: true },
  );
});
