/**
 * The ERP budget under a surge of reads and orders: the sandbox never sees more concurrent
 * requests than the budget, and orders are not starved by reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../support/orders.ts';
import { counter, skus, startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  // Event-loop load shedding off: the surge is one buyer sending 30 pages side by side, exactly
  // whom shedding refuses first once turns run long, and on a busy machine (the full suite on two
  // cores) they do, so pages were refused with 503 before reaching the ERP (216 calls instead of
  // 456). This file tests the ERP budget, which needs every page to reach it; shedding has its own
  // tests (overload). The bound on requests in flight still applies.
  stack = await startStack({ ERP_MAX_CONCURRENT: '3', ERP_REQUESTS_PER_SECOND: '200', ERP_MAX_BATCH: '10', OVERLOAD_EVENT_LOOP_DELAY_MS: '0' });
});
afterAll(() => stack?.close());

const PAGE = /* GraphQL */ `query($skus: [ID!]!) { products(skus: $skus) { price { unitPrice { amount } } availability { status } } }`;

describe('a surge of reads and orders', () => {
  it('never exceeds the concurrency budget, and orders get through ahead of reads', async () => {
    const token = await stack.buyerToken('C0001');
    await stack.graphql('{ viewer { customer { id } } products(skus: ["SKU-00001"]) { price { unitPrice { amount } } } }', {}, { token });
    await stack.faults({ latencyMs: 40 });
    const before = await stack.stats();

    // 30 cold catalog pages of 50 distinct SKUs each, so no answer or cache entry is shared
    // (batches of 10: 5 calls per kind — items, prices, stock — per page, 450 calls in all)...
    const reads = Array.from({ length: 30 }, (_, i) => {
      const started = performance.now();
      return stack.graphql(PAGE, { skus: skus(50, 100 + i * 50) }, { token }).then((answer) => ({ status: answer.status, ms: performance.now() - started }));
    });
    // ...and, once they are queued, 5 orders.
    await new Promise((r) => setTimeout(r, 100));
    const orders = Array.from({ length: 5 }, (_, i) => {
      const started = performance.now();
      return placeOrder(stack, token, { idempotencyKey: `surge-${Date.now()}-${i}`, lines: [{ sku: 'SKU-00001', quantity: 1 }] }).then((r) => ({
        r,
        ms: performance.now() - started,
      }));
    });
    const orderResults = await Promise.all(orders);
    const readResults = await Promise.all(reads);
    const readTimes = readResults.map((r) => r.ms);
    const stats = await stack.stats();

    // The premise: every page was answered (none refused before it reached the ERP).
    expect(readResults.map((r) => r.status)).toEqual(readResults.map(() => 200));
    expect(stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(stats.total - before.total).toBeGreaterThan(300);
    for (const { r } of orderResults) expect(r.order?.status).toBe('SUBMITTED');
    const slowestOrder = Math.max(...orderResults.map((o) => o.ms));
    const slowestRead = Math.max(...readTimes);
    console.log(
      `surge: slowest order ${slowestOrder.toFixed(0)} ms, slowest read page ${slowestRead.toFixed(0)} ms, sandbox max in flight ${stats.maxInFlight}`,
    );
    expect(slowestOrder).toBeLessThan(slowestRead / 2);

    const metrics = await stack.metrics();
    expect(counter(metrics, 'erpfront_erp_budget_wait_seconds_count', { priority: 'order' })).toBeGreaterThan(0);
    expect(counter(metrics, 'erpfront_erp_budget_wait_seconds_count', { priority: 'read' })).toBeGreaterThan(0);
  });

  it('exposes the queue, dead letters, breaker and orders in /metrics', async () => {
    const text = await stack.metrics();
    for (const name of ['erpfront_order_queue_depth', 'erpfront_order_queue_oldest_age_seconds', 'erpfront_order_dead_letters', 'erpfront_erp_circuit_state']) {
      expect(text).toMatch(new RegExp(`^${name} \\d`, 'm'));
    }
    expect(counter(text, 'erpfront_orders_total', { outcome: 'SUBMITTED' })).toBeGreaterThanOrEqual(5);
  });
});
