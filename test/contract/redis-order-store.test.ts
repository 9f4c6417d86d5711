/**
 * The Redis order store against the OrderStore conformance suite, on a real redis-server with the
 * durable settings erpfront requires (so the "survives closing and reopening" case is real); then
 * what Redis adds: two instances leasing one queue, a Redis restart, and failing closed.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import { createRedisOrderStore } from '../../src/adapters/stores/redis/order-store.ts';
import type { NewOrder } from '../../src/ports/order-store.ts';
import { StoreUnavailableError } from '../../src/ports/store-error.ts';
import { runOrderStoreContract } from './order-store.contract.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

const available = redisServerAvailable('redis-order-store');
let server: RedisServer;
let client: Redis;
const T0 = Date.parse('2026-11-23T10:00:00Z');

function order(id: string, customerId: string): NewOrder {
  return {
    id,
    customerId,
    status: 'QUEUED',
    total: '1.00',
    currency: 'USD',
    placedBy: 'test',
    creditDecision: { decision: 'APPROVE', reason: null },
    idempotencyKey: null,
    request: {
      externalRef: id,
      customerId,
      poNumber: null,
      shipToId: null,
      requestedDate: null,
      currency: 'USD',
      payment: { method: 'ON_ACCOUNT' },
      notes: null,
      lines: [],
    },
  } as unknown as NewOrder;
}

describe.skipIf(!available)('Redis order store', () => {
  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedis({ url: server.url, role: 'test-orders' });
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  runOrderStoreContract('redis', async () => {
    const base = redisKeys(`t${randomUUID()}`).queue('orders');
    return {
      store: createRedisOrderStore({ client, base }),
      // Reopening: a new connection after the old one closed, and a Redis restart from its AOF.
      reopen: async () => {
        await server.stop();
        await server.start();
        for (let i = 0; i < 50 && client.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
        return createRedisOrderStore({ client: await connectRedis({ url: server.url, role: 'test-reopen' }), base });
      },
    };
  });

  it('two instances leasing one queue never hold the same order, and keep each customer in order', async () => {
    const store = createRedisOrderStore({ client, base: redisKeys(`t${randomUUID()}`).queue('orders') });
    for (let i = 0; i < 40; i++) await store.insert(order(`o${i}`, `C${i % 4}`), { now: T0 });
    const seen: string[] = [];
    for (let round = 0; seen.length < 40 && round < 100; round++) {
      const [a, b] = await Promise.all([store.lease('a', { now: T0, limit: 3, leaseMs: 60_000 }), store.lease('b', { now: T0, limit: 3, leaseMs: 60_000 })]);
      const both = [...a, ...b];
      expect(new Set(both.map((o) => o.customerId)).size).toBe(both.length); // one head per customer
      for (const o of both) {
        seen.push(o.id);
        await store.markSubmitted(o.id, `SO-${o.id}`, T0);
      }
    }
    expect(new Set(seen).size).toBe(40);
    for (let c = 0; c < 4; c++) {
      const ids = seen.filter((id) => Number(id.slice(1)) % 4 === c).map((id) => Number(id.slice(1)));
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    }
  });

  it('a claim whose reply was lost is given back once Redis answers, so a retry is not told IN_USE for a minute', async () => {
    // A short command timeout, and Redis holding writes back for longer: the claim times out on
    // the client, yet Redis makes it once the pause ends, exactly as when a reply is lost.
    const slow = await connectRedis({ url: server.url, role: 'test-orders-slow', commandTimeoutMs: 150 });
    const store = createRedisOrderStore({ client: slow, base: redisKeys(`t${randomUUID()}`).queue('orders') });
    const options = (claimId: string) => ({ now: T0, ttlMs: 86_400_000, staleAfterMs: 60_000, claimId });
    await client.call('CLIENT', 'PAUSE', '400', 'WRITE');
    await expect(store.claimIdempotencyKey('C1:lost', 'h', options('first'))).rejects.toBeInstanceOf(StoreUnavailableError);
    await new Promise((r) => setTimeout(r, 500));
    // The lost claim was made; the retry's call reaches Redis and gives the lost claim back.
    expect(await store.claimIdempotencyKey('C1:lost', 'h', options('retry-1'))).toEqual({ kind: 'in_use' });
    let retried: unknown = null;
    for (let i = 0; i < 20 && (retried as { kind?: string } | null)?.kind !== 'claimed'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      retried = await store.claimIdempotencyKey('C1:lost', 'h', options(`retry-${i + 2}`));
    }
    expect(retried).toEqual({ kind: 'claimed' });
    slow.disconnect();
  });

  it('fails closed with ORDER_STORE_UNAVAILABLE while Redis is down, and works again after', async () => {
    const own = await connectRedis({ url: server.url, role: 'test-orders-down' });
    const store = createRedisOrderStore({ client: own, base: redisKeys(`t${randomUUID()}`).queue('orders') });
    await store.insert(order('before', 'C1'), { now: T0 });
    await server.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    const error = await store.insert(order('during', 'C1'), { now: T0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).code).toBe('ORDER_STORE_UNAVAILABLE');
    await expect(store.claimIdempotencyKey('C1:k', 'h', { now: T0, ttlMs: 1000, staleAfterMs: 1000, claimId: 'during' })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    await server.start();
    for (let i = 0; i < 50 && own.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
    // Killed with SIGKILL, yet the order written before is there: appendfsync always.
    expect((await store.get('before'))?.status).toBe('QUEUED');
    expect(await store.get('during')).toBeNull();
    own.disconnect();
    for (let i = 0; i < 50 && client.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
  });
});
