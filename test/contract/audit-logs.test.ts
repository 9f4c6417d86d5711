/** The memory, SQLite and Redis audit logs against the AuditLog conformance suite. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryAuditLog } from '../../src/adapters/stores/memory/audit-log.ts';
import { createRedisAuditLog } from '../../src/adapters/stores/redis/audit-log.ts';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { createSqliteAuditLog } from '../../src/adapters/stores/sqlite/audit-log.ts';
import { StoreUnavailableError } from '../../src/ports/store-error.ts';
import { runAuditLogContract } from './audit-log.contract.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

runAuditLogContract('memory', async () => ({ log: createMemoryAuditLog() }));

it('memory audit log: bounded, the oldest entries go first', async () => {
  const log = createMemoryAuditLog({ maxEntries: 2 });
  for (const detail of ['a', 'b', 'c'])
    await log.append({ at: new Date().toISOString(), actor: 'ops', action: 'order.replay', target: 'o', result: 'ok', detail });
  expect((await log.listRecent(10)).map((e) => e.detail)).toEqual(['c', 'b']);
});

runAuditLogContract('sqlite', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'erpfront-audit-')), 'audit.sqlite');
  return { log: createSqliteAuditLog({ path }), reopen: async () => createSqliteAuditLog({ path }) };
});

const available = redisServerAvailable('redis-audit-log');
let server: RedisServer;
let client: Redis;
describe.skipIf(!available)('Redis audit log', () => {
  beforeAll(async () => {
    server = await startRedisServer({ appendonly: false });
    client = await connectRedis({ url: server.url, role: 'test-audit', commandTimeoutMs: 500 });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  // A fresh prefix per scenario: an empty log without flushing anything.
  runAuditLogContract('redis', async () => {
    const base = redisKeys(`t${randomUUID()}`).audit;
    return { log: createRedisAuditLog({ client, base }), reopen: async () => createRedisAuditLog({ client, base }) };
  });

  it('bounded: the recent list keeps the newest maxEntries', async () => {
    const log = createRedisAuditLog({ client, base: redisKeys(`t${randomUUID()}`).audit, maxEntries: 2 });
    for (const detail of ['a', 'b', 'c'])
      await log.append({ at: new Date().toISOString(), actor: 'ops', action: 'order.replay', target: 'o', result: 'ok', detail });
    expect((await log.listRecent(10)).map((e) => e.detail)).toEqual(['c', 'b']);
  });

  it('while Redis is down a call fails with AUDIT_LOG_UNAVAILABLE, and works again after', async () => {
    const log = createRedisAuditLog({ client, base: redisKeys(`t${randomUUID()}`).audit });
    await server.stop('SIGKILL');
    try {
      const failure = await log.listRecent(1).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as StoreUnavailableError).code).toBe('AUDIT_LOG_UNAVAILABLE');
    } finally {
      await server.start();
      for (let i = 0; i < 50 && client.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
    }
    expect(await log.listRecent(1)).toEqual([]);
  });
});
