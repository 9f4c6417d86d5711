/**
 * The Redis PunchOut store against the PunchOutStore conformance suite, on a real redis-server
 * with the durable settings erpfront requires (so "survives closing and reopening" is a Redis
 * restart from its append-only file); then what Redis adds: Redis forgets expired sessions by
 * itself, and the store fails with PUNCHOUT_STORE_UNAVAILABLE while Redis is down.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { createRedisPunchOutStore } from '../../src/adapters/stores/redis/punchout-store.ts';
import type { PunchOutSession } from '../../src/features/punchout/domain/session.ts';
import { StoreUnavailableError } from '../../src/ports/store-error.ts';
import { runPunchOutStoreContract } from './punchout-store.contract.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

const available = redisServerAvailable('redis-punchout-store');
let server: RedisServer;
let client: Redis;
/** Connections the durability scenario opens, closed at the end. */
const reopened: Redis[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitReady(c: Redis) {
  for (let i = 0; i < 50 && c.status !== 'ready'; i++) await sleep(100);
}

function session(id: string, now: number, ttlMs: number): PunchOutSession {
  return {
    id,
    protocol: 'oci',
    buyerId: 'demo-oci-buyer',
    customerId: 'C0002',
    operation: 'create',
    state: 'new',
    buyerCookie: null,
    returnUrl: 'https://buyer.example/hook',
    returnFields: [],
    returnTarget: '_top',
    deploymentMode: 'test',
    user: null,
    lines: [],
    createdAt: now,
    startExpiresAt: now + ttlMs,
    expiresAt: now + ttlMs,
  };
}

describe.skipIf(!available)('Redis PunchOut store', () => {
  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedis({ url: server.url, role: 'test-punchout' });
  });
  afterAll(async () => {
    client?.disconnect();
    for (const c of reopened) c.disconnect();
    await server?.stop();
  });

  runPunchOutStoreContract('redis', async () => {
    // A prefix of its own per scenario: scenarios never see each other's keys.
    const base = redisKeys(`t${randomUUID()}`).punchout;
    return {
      store: createRedisPunchOutStore({ client, base }),
      reopen: async () => {
        await server.stop();
        await server.start();
        await waitReady(client);
        const again = await connectRedis({ url: server.url, role: 'test-punchout-reopen' });
        reopened.push(again);
        return createRedisPunchOutStore({ client: again, base });
      },
    };
  });

  it('keeps every key in the {punchout} hash slot, and lets Redis forget an expired session and its tokens', async () => {
    const base = redisKeys(`t${randomUUID()}`).punchout;
    const store = createRedisPunchOutStore({ client, base });
    const now = Date.now();
    await store.createSession(session('pos-ttl', now, 200), 'start-ttl');
    const keys = await client.keys(`${base}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.includes('{punchout}'))).toBe(true);
    expect(Number(await client.pttl(`${base}s:pos-ttl`))).toBeGreaterThan(0);
    await sleep(400);
    expect(await client.keys(`${base}*`)).toEqual([]);
  });

  it('fails with PUNCHOUT_STORE_UNAVAILABLE while Redis is down, and works again after', async () => {
    const own = await connectRedis({ url: server.url, role: 'test-punchout-down' });
    const store = createRedisPunchOutStore({ client: own, base: redisKeys(`t${randomUUID()}`).punchout });
    const now = Date.now();
    await store.createSession(session('pos-before', now, 600_000), 'start-before');
    await server.stop('SIGKILL');
    await sleep(100);
    const error = await store.redeemStartToken('start-before', 'access-before', now).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).code).toBe('PUNCHOUT_STORE_UNAVAILABLE');
    expect((error as Error).message).toMatch(/Retry shortly/);
    await expect(store.getSession('pos-before', now)).rejects.toBeInstanceOf(StoreUnavailableError);
    await server.start();
    await waitReady(own);
    // Killed with SIGKILL, yet the session written before is there (appendfsync always), and
    // the failed redemption did not use up its start token.
    expect((await store.redeemStartToken('start-before', 'access-before', now + 1))?.id).toBe('pos-before');
    own.disconnect();
    await waitReady(client);
  });
});
