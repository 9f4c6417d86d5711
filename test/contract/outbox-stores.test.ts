/** The memory, SQLite and Redis ERP-write outboxes against the OutboxStore conformance suite. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryOutboxStore } from '../../src/adapters/stores/memory/outbox-store.ts';
import { createRedisOutboxStore } from '../../src/adapters/stores/redis/outbox-store.ts';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { createSqliteOutboxStore } from '../../src/adapters/stores/sqlite/outbox-store.ts';
import { StoreUnavailableError } from '../../src/ports/store-error.ts';
import { quoteWrite, runOutboxStoreContract } from './outbox-store.contract.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

runOutboxStoreContract('memory', async () => ({ store: createMemoryOutboxStore() }));

runOutboxStoreContract('sqlite', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'erpfront-outbox-')), 'outbox.sqlite');
  return { store: createSqliteOutboxStore({ path }), reopen: async () => createSqliteOutboxStore({ path }) };
});

const available = redisServerAvailable('redis-outbox-store');
let server: RedisServer;
let client: Redis;
describe.skipIf(!available)('Redis outbox store', () => {
  beforeAll(async () => {
    server = await startRedisServer({ appendonly: false });
    client = await connectRedis({ url: server.url, role: 'test-outbox', commandTimeoutMs: 500 });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  // A fresh prefix per scenario: an empty store without flushing anything.
  runOutboxStoreContract('redis', async () => {
    const base = redisKeys(`t${randomUUID()}`).outbox;
    return { store: createRedisOutboxStore({ client, base }), reopen: async () => createRedisOutboxStore({ client, base }) };
  });

  it('while Redis is down a call fails with OUTBOX_STORE_UNAVAILABLE, and works again after', async () => {
    const store = createRedisOutboxStore({ client, base: redisKeys(`t${randomUUID()}`).outbox });
    await server.stop('SIGKILL');
    try {
      const failure = await store.enqueue(quoteWrite(), { id: 'q-1', createdBy: 'a', now: Date.now() }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as StoreUnavailableError).code).toBe('OUTBOX_STORE_UNAVAILABLE');
    } finally {
      await server.start();
      for (let i = 0; i < 50 && client.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
    }
    expect((await store.enqueue(quoteWrite(), { id: 'q-1', createdBy: 'a', now: Date.now() })).created).toBe(true);
  });
});
