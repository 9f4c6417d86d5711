/**
 * One global ERP budget for three instances: under a surge of cold catalog pages on all three,
 * plus orders, the sandbox ERP (its own process) never sees more concurrent requests than the
 * budget, and orders still go ahead of reads, across instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../support/orders.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';
import { skus } from '../support/stack.ts';

const available = redisServerAvailable('scale-out-budget');
let scale: ScaleOut;
const PAGE = /* GraphQL */ `query($skus: [ID!]!) { products(skus: $skus) { price { unitPrice { amount } } availability { status } } }`;

describe.skipIf(!available)('scale-out: one ERP budget shared by three instances', () => {
  beforeAll(async () => {
    scale = await startScaleOut(3, { ERP_MAX_CONCURRENT: '3', ERP_REQUESTS_PER_SECOND: '200', ERP_MAX_BATCH: '10' });
  }, 90_000);
  afterAll(() => scale?.close());

  it('the sandbox never sees more than ERP_MAX_CONCURRENT requests at once while all three serve a surge', async () => {
    const token = await scale.buyerToken('C0001');
    const warm = '{ viewer { customer { id } } products(skus: ["SKU-00001"]) { price { unitPrice { amount } } } }';
    for (let i = 0; i < 3; i++) await scale.stack(i).graphql(warm, {}, { token });
    await scale.faults({ latencyMs: 40 });
    const before = await scale.stats();

    // 30 cold pages of 50 SKUs, ten per instance (600 ERP calls in batches of 10)...
    const reads = Array.from({ length: 30 }, (_, i) => {
      const started = performance.now();
      return scale
        .stack(i % 3)
        .graphql(PAGE, { skus: skus(50, 100 + i * 50) }, { token })
        .then((r) => {
          // Per-item refusals (an item not sold to this customer) are data; the ERP must have answered.
          expect((r.body.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code).filter((c: string) => c.startsWith('ERP'))).toEqual([]);
          return performance.now() - started;
        });
    });
    // ...and, once they are queued, 6 orders, two per instance.
    await new Promise((r) => setTimeout(r, 150));
    const orders = Array.from({ length: 6 }, (_, i) => {
      const started = performance.now();
      return placeOrder(scale.stack(i % 3), token, { idempotencyKey: `scale-surge-${Date.now()}-${i}`, lines: [{ sku: 'SKU-00001', quantity: 1 }] }).then(
        (r) => ({ r, ms: performance.now() - started }),
      );
    });
    const orderResults = await Promise.all(orders);
    const readTimes = await Promise.all(reads);
    const stats = await scale.stats();

    expect(stats.total - before.total).toBeGreaterThan(300);
    expect(stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(stats.maxInFlight).toBe(3); // the budget was used, not just respected
    for (const { r } of orderResults) expect(r.order?.status).toBe('SUBMITTED');
    const slowestOrder = Math.max(...orderResults.map((o) => o.ms));
    const slowestRead = Math.max(...readTimes);
    console.log(
      `scale-out surge: ${stats.total - before.total} ERP calls from 3 instances, sandbox max in flight ${stats.maxInFlight}; slowest order ${slowestOrder.toFixed(0)} ms, slowest read page ${slowestRead.toFixed(0)} ms`,
    );
    expect(slowestOrder).toBeLessThan(slowestRead / 2);
  }, 120_000);
});
