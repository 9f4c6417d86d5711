/** The memory, SQLite and Redis application stores against the ApplicationStore conformance suite. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryApplicationStore } from '../../src/adapters/stores/memory/application-store.ts';
import { createRedisApplicationStore } from '../../src/adapters/stores/redis/application-store.ts';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { createSqliteApplicationStore } from '../../src/adapters/stores/sqlite/application-store.ts';
import { StoreUnavailableError } from '../../src/ports/store-error.ts';
import { application, runApplicationStoreContract } from './application-store.contract.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

runApplicationStoreContract('memory', async () => ({ store: createMemoryApplicationStore() }));

runApplicationStoreContract('sqlite', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'erpfront-applications-')), 'applications.sqlite');
  return { store: createSqliteApplicationStore({ path }), reopen: async () => createSqliteApplicationStore({ path }) };
});

const available = redisServerAvailable('redis-application-store');
let server: RedisServer;
let client: Redis;
describe.skipIf(!available)('Redis application store', () => {
  beforeAll(async () => {
    server = await startRedisServer({ appendonly: false });
    client = await connectRedis({ url: server.url, role: 'test-applications', commandTimeoutMs: 500 });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  // A fresh prefix per scenario: an empty store without flushing anything.
  runApplicationStoreContract('redis', async () => {
    const base = redisKeys(`t${randomUUID()}`).applications;
    return { store: createRedisApplicationStore({ client, base }), reopen: async () => createRedisApplicationStore({ client, base }) };
  });

  it('while Redis is down a call fails with APPLICATION_STORE_UNAVAILABLE, and works again after', async () => {
    const store = createRedisApplicationStore({ client, base: redisKeys(`t${randomUUID()}`).applications });
    await server.stop('SIGKILL');
    try {
      const failure = await store.insert(application(), { applicant: 'a', now: Date.now() }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as StoreUnavailableError).code).toBe('APPLICATION_STORE_UNAVAILABLE');
    } finally {
      await server.start();
      for (let i = 0; i < 50 && client.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
    }
    expect((await store.insert(application(), { applicant: 'a', now: Date.now() })).status).toBe('SUBMITTED');
  });
});
