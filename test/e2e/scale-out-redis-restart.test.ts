/**
 * Redis stopped and started while three instances serve reads and take orders: reads keep being
 * served (from each instance's in-process tier), orders are refused with ORDER_STORE_UNAVAILABLE
 * while Redis is away (fail closed: nothing is acknowledged that is not in the shared queue), and
 * every order acknowledged, before, during or after, reaches the ERP exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually, PLACE_ORDER, queue } from '../support/orders.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';

const available = redisServerAvailable('scale-out-redis-restart');
let scale: ScaleOut;
const PAGE = /* GraphQL */ `{ viewer { customer { id creditStatus { available { amount } } } }
  products(skus: ["SKU-00001", "SKU-00002"]) { price { unitPrice { amount } } availability { status } } }`;

describe.skipIf(!available)('scale-out: Redis stopped and started during a run', () => {
  beforeAll(async () => {
    // A lease whose reply was lost when Redis went away holds its customer's queue until it runs
    // out (the order is then checked against the ERP, in doubt): a short lease keeps the test short.
    scale = await startScaleOut(3, { BREAKER_COOLDOWN_SECONDS: '1', ORDER_LEASE_SECONDS: '3' });
  }, 90_000);
  afterAll(() => scale?.close());

  it('loses no order and keeps serving reads', async () => {
    const customers = ['C0001', 'C0002', 'C0006'];
    const tokens = await Promise.all(customers.map((c) => scale.buyerToken(c)));
    for (let i = 0; i < 3; i++) for (const token of tokens) await scale.stack(i).graphql(PAGE, {}, { token });

    let running = true;
    const readFailures: string[] = [];
    let reads = 0;
    const readers = [0, 1, 2].map(async (i) => {
      while (running) {
        const answer = await scale.stack(i).graphql(PAGE, {}, { token: tokens[i]! });
        reads++;
        if (answer.status !== 200 || answer.body.errors) readFailures.push(JSON.stringify(answer.body.errors ?? answer.status));
        await new Promise((r) => setTimeout(r, 20));
      }
    });

    const acknowledged = new Set<string>();
    const refusals = new Map<string, number>();
    // Each buyer places orders one after another; a refused order is retried with the same key.
    const buyers = tokens.map(async (token, b) => {
      for (let n = 0; n < 20; n++) {
        const input = { idempotencyKey: `restart-${b}-${n}`, poNumber: `PO-R${n}`, lines: [{ sku: 'SKU-00001', quantity: 1 }] };
        for (let attempt = 0; attempt < 100; attempt++) {
          const answer = await scale.stack((n + attempt) % 3).graphql(PLACE_ORDER, { input }, { token });
          const order = answer.body.data?.placeOrder?.order;
          if (order) {
            acknowledged.add(order.id);
            break;
          }
          const code = answer.body.errors?.[0]?.extensions?.code ?? answer.body.data?.placeOrder?.userErrors?.[0]?.code ?? String(answer.status);
          refusals.set(code, (refusals.get(code) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 100));
        }
        await new Promise((r) => setTimeout(r, 60));
      }
    });

    try {
      await new Promise((r) => setTimeout(r, 700));
      await scale.redis.stop();
      await new Promise((r) => setTimeout(r, 2000));
      await scale.redis.start();
      await Promise.all(buyers);
    } finally {
      running = false;
      await Promise.all(readers);
    }

    console.log(
      `Redis restart: ${reads} reads, ${readFailures.length} failed; ${acknowledged.size} orders acknowledged; refusals while Redis was away: ${JSON.stringify(Object.fromEntries(refusals))}`,
    );
    expect(readFailures).toEqual([]);
    expect(acknowledged.size).toBe(60);
    expect(refusals.get('ORDER_STORE_UNAVAILABLE') ?? 0).toBeGreaterThan(0);
    expect(
      await eventually(
        () => queue(scale.stack(0), ['QUEUED']),
        (q) => q.length === 0,
        60_000,
        250,
      ),
    ).toEqual([]);
    const held = await erpOrders(scale.stack(0));
    const refs = held.map((o) => o.externalRef).filter((r): r is string => r !== null && acknowledged.has(r));
    expect(refs).toHaveLength(60);
    expect(new Set(refs).size).toBe(60);
  }, 120_000);
});
