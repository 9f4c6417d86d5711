/** The memory and Redis console session stores against the ConsoleSessionStore conformance suite. */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { createMemoryConsoleSessionStore } from '../../src/adapters/stores/memory/console-session-store.ts';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { createRedisConsoleSessionStore } from '../../src/adapters/stores/redis/console-session-store.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { runConsoleSessionStoreContract } from './console-session-store.contract.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

runConsoleSessionStoreContract('memory', async () => createMemoryConsoleSessionStore());

const available = redisServerAvailable('redis-console-sessions');
let server: RedisServer;
let client: Redis;
describe.skipIf(!available)('Redis console session store', () => {
  beforeAll(async () => {
    server = await startRedisServer({ appendonly: false });
    client = await connectRedis({ url: server.url, role: 'test-console-sessions', commandTimeoutMs: 500 });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });
  runConsoleSessionStoreContract('redis', async () => createRedisConsoleSessionStore({ client, key: redisKeys(`t${randomUUID()}`).consoleSession }));
});
