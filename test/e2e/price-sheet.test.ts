/**
 * The price sheet over HTTP, processes as a user runs them: a buyer who made one request is
 * active; the sheet keeps their prices; the ERP goes down; an order for an item the buyer never
 * viewed comes back QUEUED, priced at the sheet's price with its `asOf`, and reaches the ERP once
 * after recovery. Without the sheet the same order fails (ERP_UNAVAILABLE). And the sheet's calls
 * stay within the ERP budget, at background priority.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually, placeOrder, queue } from '../support/orders.ts';
import { FAST_SHEET, PLACE_ORDER_PRICED, sheetGauges, sheetOrder, unviewedItem } from '../support/price-sheet.ts';
import { counter, startStack, type Stack } from '../support/stack.ts';

const BUYER = 'C0001';
const ONE_REQUEST = /* GraphQL */ `{ viewer { customer { id } } }`;
const PRICE = /* GraphQL */ `query($sku: ID!) { products(skus: [$sku]) { sku price(quantity: 2) { unitPrice { amount } asOf stale } } }`;

describe('an ERP outage with the price sheet', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(FAST_SHEET);
  });
  afterAll(() => stack?.close());

  it('an order for an item the buyer never viewed comes back QUEUED at the sheet’s price with its asOf, and reaches the ERP once after', async () => {
    const sku = await unviewedItem(stack.sandbox.url);
    const token = await stack.buyerToken(BUYER);
    const started = new Date().toISOString();
    expect((await stack.graphql(ONE_REQUEST, {}, { token })).body.data.viewer.customer.id).toBe(BUYER);

    const sheet = await eventually(
      () => sheetGauges(() => stack.metrics()),
      (g) => g.customers === 1 && g.coverage === 1,
      30_000,
      250,
    );
    expect(sheet).toMatchObject({ customers: 1, items: 5000, coverage: 1 });

    await stack.faults({ outage: true });
    const down = new Date().toISOString();
    const placed = await stack.graphql(PLACE_ORDER_PRICED, { input: sheetOrder(sku, `sheet-${Date.now()}`) }, { token });
    const result = placed.body.data.placeOrder;
    expect(result.userErrors).toEqual([]);
    expect(result.order.status).toBe('QUEUED');
    expect(result.pricesStale).toBe(true);
    // Priced from the sheet: fetched after the buyer's request, before the ERP went down.
    expect(result.pricesAsOf >= started && result.pricesAsOf <= down).toBe(true);
    // The catalog shows the same kept price, of the same age (fresh or stale by the catalog's own rule).
    const price = (await stack.graphql(PRICE, { sku }, { token })).body.data.products[0].price;
    expect(price.asOf).toBe(result.pricesAsOf);
    expect(result.order.lines).toEqual([{ sku, quantity: 2, unitPrice: { amount: price.unitPrice.amount } }]);
    expect(await erpOrders(stack)).toEqual([]);

    await stack.faults({ outage: false });
    const left = await eventually(
      () => queue(stack, ['QUEUED']),
      (q) => !q.some((o) => o.id === result.order.id),
      30_000,
      250,
    );
    expect(left.map((o) => o.id)).not.toContain(result.order.id);
    const held = (await erpOrders(stack)).filter((o) => o.externalRef === result.order.id);
    expect(held).toHaveLength(1);
    expect(held[0]!.lines).toMatchObject([{ sku, quantity: 2 }]);
  });
});

describe('the same outage without the price sheet', () => {
  it('the order for the never-viewed item fails as before: ERP_UNAVAILABLE, nothing queued', async () => {
    const stack = await startStack({ PRICE_SHEET: 'off', BREAKER_COOLDOWN_SECONDS: '1' });
    try {
      const sku = await unviewedItem(stack.sandbox.url);
      const token = await stack.buyerToken(BUYER);
      await stack.graphql(ONE_REQUEST, {}, { token });
      await new Promise((r) => setTimeout(r, 500));
      await stack.faults({ outage: true });
      const result = await placeOrder(stack, token, sheetOrder(sku, `no-sheet-${Date.now()}`));
      expect(result.order).toBeNull();
      expect(result.userErrors.map((e) => e.code)).toEqual(['ERP_UNAVAILABLE']);
      expect(await queue(stack, ['QUEUED'])).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});

describe("the price sheet and the ERP's budget", () => {
  it('every call of a full-speed pass takes a background permit, within the rate and concurrency the ERP allows', async () => {
    const rate = 40;
    const stack = await startStack({
      ...FAST_SHEET,
      PRICE_SHEET_CALLS_PER_TICK: '1000',
      ERP_REQUESTS_PER_SECOND: String(rate),
      ERP_MAX_CONCURRENT: '2',
    });
    try {
      const token = await stack.buyerToken(BUYER);
      await stack.graphql(ONE_REQUEST, {}, { token });
      // Permits first, calls second (and the other way round after): a call takes its permit before it is sent.
      const beforeWaits = counter(await stack.metrics(), 'erpfront_erp_budget_wait_seconds_count', { priority: 'background' });
      const before = await stack.stats();
      const startedAt = performance.now();
      await eventually(
        () => sheetGauges(() => stack.metrics()),
        (g) => g.coverage === 1,
        60_000,
        100,
      );
      const seconds = (performance.now() - startedAt) / 1000;
      const after = await stack.stats();
      const calls = after.total - before.total;
      const waits = counter(await stack.metrics(), 'erpfront_erp_budget_wait_seconds_count', { priority: 'background' }) - beforeWaits;
      console.log(`price sheet pass for 1 customer × 5,000 items: ${calls} ERP calls in ${seconds.toFixed(1)} s (budget ${rate}/s, 2 concurrent)`);
      // 50 catalog pages and 50 price calls (three scopes of 100 SKUs each), give or take the
      // first ones, made before the count began.
      expect(calls).toBeGreaterThanOrEqual(90);
      expect(waits).toBeGreaterThanOrEqual(calls);
      // The token bucket: at most `rate` a second after a burst of `rate`.
      expect(calls).toBeLessThanOrEqual(rate * seconds + rate);
      expect(after.maxInFlight).toBeLessThanOrEqual(2);
    } finally {
      await stack.close();
    }
  });

  it('at the configured pace: at most PRICE_SHEET_CALLS_PER_TICK calls every PRICE_SHEET_INTERVAL_SECONDS', async () => {
    const stack = await startStack({ PRICE_SHEET: 'on', PRICE_SHEET_INTERVAL_SECONDS: '0.5', PRICE_SHEET_CALLS_PER_TICK: '1' });
    try {
      const token = await stack.buyerToken(BUYER);
      await stack.graphql(ONE_REQUEST, {}, { token });
      const before = await stack.stats();
      await new Promise((r) => setTimeout(r, 4000));
      const calls = (await stack.stats()).total - before.total;
      // Eight ticks in 4 s, one call each (the first flushes who was seen, the second may start the pass).
      expect(calls).toBeGreaterThan(2);
      expect(calls).toBeLessThanOrEqual(10);
      const text = await stack.metrics();
      expect(counter(text, 'erpfront_price_sheet_customers')).toBe(1);
      expect(counter(text, 'erpfront_price_sheet_coverage_ratio')).toBeLessThan(1);
    } finally {
      await stack.close();
    }
  });
});
