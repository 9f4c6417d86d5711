/** The memory, SQLite and Redis finding stores against the FindingStore conformance suite. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryFindingStore } from '../../src/adapters/stores/memory/finding-store.ts';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { createRedisFindingStore } from '../../src/adapters/stores/redis/finding-store.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { createSqliteFindingStore } from '../../src/adapters/stores/sqlite/finding-store.ts';
import { StoreUnavailableError } from '../../src/ports/store-error.ts';
import { runFindingStoreContract } from './finding-store.contract.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

runFindingStoreContract('memory', async () => ({ store: createMemoryFindingStore() }));

runFindingStoreContract('sqlite', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'erpfront-findings-')), 'reconciliation.sqlite');
  return { store: createSqliteFindingStore({ path }), reopen: async () => createSqliteFindingStore({ path }) };
});

const available = redisServerAvailable('redis-finding-store');
let server: RedisServer;
let client: Redis;
describe.skipIf(!available)('Redis finding store', () => {
  beforeAll(async () => {
    server = await startRedisServer({ appendonly: false });
    client = await connectRedis({ url: server.url, role: 'test-findings', commandTimeoutMs: 500 });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  // A fresh prefix per scenario: an empty store without flushing anything.
  runFindingStoreContract('redis', async () => {
    const base = redisKeys(`t${randomUUID()}`).reconciliation;
    return { store: createRedisFindingStore({ client, base }), reopen: async () => createRedisFindingStore({ client, base }) };
  });

  it('while Redis is down a call fails with FINDING_STORE_UNAVAILABLE, and works again after', async () => {
    const store = createRedisFindingStore({ client, base: redisKeys(`t${randomUUID()}`).reconciliation });
    await server.stop('SIGKILL');
    try {
      const failure = await store.openCounts().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as StoreUnavailableError).code).toBe('FINDING_STORE_UNAVAILABLE');
    } finally {
      await server.start();
      for (let i = 0; i < 50 && client.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
    }
    expect((await store.openCounts()).MISSING_IN_ERP).toBe(0);
  });
});
