/**
 * The company store's adapters against the one contract: memory, SQLite (reopened on the same
 * file, as a restart does) and Redis (a real redis-server, restarted from its append-only file).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { createMemoryCompanyStore } from '../../src/adapters/stores/memory/company-store.ts';
import { createRedisCompanyStore } from '../../src/adapters/stores/redis/company-store.ts';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { createSqliteCompanyStore } from '../../src/adapters/stores/sqlite/company-store.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';
import { runCompanyStoreContract } from './company-store.contract.ts';

runCompanyStoreContract('memory', async () => ({ store: createMemoryCompanyStore() }), { durable: false });

runCompanyStoreContract(
  'SQLite',
  async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'erpfront-company-')), 'company.sqlite');
    return { store: createSqliteCompanyStore({ path }), reopen: async () => createSqliteCompanyStore({ path }) };
  },
  { durable: true },
);

const available = redisServerAvailable('company-stores');
let server: RedisServer;
let client: Redis;
const reopened: Redis[] = [];

describe.skipIf(!available)('Redis company store', () => {
  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedis({ url: server.url, role: 'test-company' });
  });
  afterAll(async () => {
    client?.disconnect();
    for (const c of reopened) c.disconnect();
    await server?.stop();
  });

  runCompanyStoreContract(
    'redis',
    async () => {
      const base = redisKeys(`t${randomUUID()}`).company;
      return {
        store: createRedisCompanyStore({ client, base }),
        reopen: async () => {
          await server.stop();
          await server.start();
          const again = await connectRedis({ url: server.url, role: 'test-company-reopen' });
          reopened.push(again);
          return createRedisCompanyStore({ client: again, base });
        },
      };
    },
    { durable: true },
  );
});
