/**
 * The shared ERP budget against the ErpBudget conformance suite, on a real redis-server; then what
 * only a shared budget does: one limit across instances, priority across instances, a crashed
 * instance's permits expiring, and the fallback share while Redis is down.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/adapters/stores/redis/connection.ts';
import { createRedisErpBudget, type RedisErpBudget } from '../../src/adapters/stores/redis/erp-budget.ts';
import { redisKeys } from '../../src/adapters/stores/redis/keys.ts';
import type { ErpPermit } from '../../src/ports/erp-budget.ts';
import { runErpBudgetContract, type ErpBudgetLimits } from './erp-budget.contract.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

const available = redisServerAvailable('redis-erp-budget');
let server: RedisServer;
let client: Redis;
let subscriber: Redis;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe.skipIf(!available)('Redis ERP budget', () => {
  beforeAll(async () => {
    server = await startRedisServer({ appendonly: false });
    client = await connectRedis({ url: server.url, role: 'test-budget' });
    subscriber = await connectRedis({ url: server.url, role: 'test-budget-sub' });
  });
  afterAll(async () => {
    client?.disconnect();
    subscriber?.disconnect();
    await server?.stop();
  });

  function shared(base: string, limits: ErpBudgetLimits & { leaseMs?: number }, instanceId = randomUUID()): RedisErpBudget {
    return createRedisErpBudget({ client, subscriber, base, instanceId, ...limits });
  }

  runErpBudgetContract('redis', (limits) => {
    const budget = shared(redisKeys(`t${randomUUID()}`).budget('erp'), limits);
    return { budget, teardown: () => budget.close() };
  });

  it('three instances on one budget never hold more than maxConcurrent permits between them', async () => {
    const base = redisKeys(`t${randomUUID()}`).budget('erp');
    const budgets = [0, 1, 2].map(() => shared(base, { requestsPerSecond: 5000, maxConcurrent: 4 }));
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 150 }, async (_, i) => {
        const permit = await budgets[i % 3]!.acquire('read');
        peak = Math.max(peak, ++inFlight);
        await sleep(2);
        inFlight--;
        permit.release();
      }),
    );
    expect(peak).toBe(4);
    await Promise.all(budgets.map((b) => b.close()));
  });

  it('an order waiting on one instance goes before reads waiting on another', async () => {
    const base = redisKeys(`t${randomUUID()}`).budget('erp');
    const [a, b] = [shared(base, { requestsPerSecond: 5000, maxConcurrent: 1 }), shared(base, { requestsPerSecond: 5000, maxConcurrent: 1 })];
    const holder = await a.acquire('read');
    const granted: string[] = [];
    const reads = [0, 1].map((i) => a.acquire('read').then((p) => (granted.push(`read${i}`), p)));
    await sleep(30);
    const order = b.acquire('order').then((p) => (granted.push('order'), p));
    await sleep(30);
    holder.release();
    (await order).release();
    for (const read of reads) (await read).release();
    expect(granted[0]).toBe('order');
    await Promise.all([a.close(), b.close()]);
  });

  it('the permits of an instance that died expire with their lease', async () => {
    const base = redisKeys(`t${randomUUID()}`).budget('erp');
    const dead = shared(base, { requestsPerSecond: 1000, maxConcurrent: 2, leaseMs: 600 });
    await dead.acquire('read');
    await dead.acquire('read');
    await dead.close(); // no more heartbeats: as good as kill -9 for its permits
    const alive = shared(base, { requestsPerSecond: 1000, maxConcurrent: 2, leaseMs: 600 });
    const started = performance.now();
    const permit: ErpPermit = await alive.acquire('order');
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThan(300);
    expect(waited).toBeLessThan(3000);
    permit.release();
    await alive.close();
  });

  it('while Redis is down, each instance serves from its share, and returns to the shared budget after', async () => {
    const own = await connectRedis({ url: server.url, role: 'test-budget-down' });
    const ownSub = await connectRedis({ url: server.url, role: 'test-budget-down-sub' });
    const base = redisKeys(`t${randomUUID()}`).budget('erp');
    const budget = createRedisErpBudget({ client: own, subscriber: ownSub, base, instanceId: 'i1', requestsPerSecond: 1000, maxConcurrent: 3 });
    (await budget.acquire('read')).release();
    await server.stop('SIGKILL');
    await sleep(100);
    const during = await Promise.all([budget.acquire('read'), budget.acquire('order')]);
    expect(budget.snapshot().inFlight).toBe(2);
    for (const p of during) p.release();
    await server.start();
    for (let i = 0; i < 50 && own.status !== 'ready'; i++) await sleep(100);
    (await budget.acquire('read')).release();
    expect(budget.snapshot().inFlight).toBe(0);
    await budget.close();
    own.disconnect();
    ownSub.disconnect();
    for (let i = 0; i < 50 && client.status !== 'ready'; i++) await sleep(100);
    for (let i = 0; i < 50 && subscriber.status !== 'ready'; i++) await sleep(100);
  });
});
