/** The memory, SQLite and Redis cursor stores against the CursorStore conformance suite. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { createMemoryCursorStore } from '../../src/adapters/stores/memory/cursor-store.ts';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { createRedisCursorStore } from '../../src/adapters/stores/redis/cursor-store.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { createSqliteCursorStore } from '../../src/adapters/stores/sqlite/cursor-store.ts';
import { runCursorStoreContract } from './cursor-store.contract.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

runCursorStoreContract('memory', async () => ({ store: createMemoryCursorStore() }));

runCursorStoreContract('sqlite', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'erpfront-cursors-')), 'cursors.sqlite');
  return { store: createSqliteCursorStore({ path }), reopen: async () => createSqliteCursorStore({ path }) };
});

const available = redisServerAvailable('redis-cursor-store');
let server: RedisServer;
let client: Redis;
describe.skipIf(!available)('Redis cursor store', () => {
  beforeAll(async () => {
    server = await startRedisServer({ appendonly: false });
    client = await connectRedis({ url: server.url, role: 'test-cursors', commandTimeoutMs: 500 });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });
  runCursorStoreContract('redis', async () => {
    const keys = redisKeys(`t${randomUUID()}`);
    return { store: createRedisCursorStore({ client, keys }), reopen: async () => createRedisCursorStore({ client, keys }) };
  });
});
