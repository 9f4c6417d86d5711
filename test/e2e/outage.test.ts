import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_PAGE, skus, startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  // Everything goes out of freshness after a second, so the test can see stale answers.
  stack = await startStack({
    FRESHNESS_PRICES_SECONDS: '1',
    FRESHNESS_AVAILABILITY_SECONDS: '1',
    FRESHNESS_CREDIT_SECONDS: '1',
    FRESHNESS_ITEMS_SECONDS: '1',
    STALE_WHILE_REVALIDATE_FRACTION: '0',
    BREAKER_COOLDOWN_SECONDS: '1',
  });
});
afterAll(() => stack?.close());

describe('while the ERP is down', () => {
  it('serves cached values, marked stale once past freshness, and fails only values never cached', async () => {
    const warm = await stack.graphql(CATALOG_PAGE, { skus: skus(10), quantity: 1 });
    expect(warm.body.errors).toBeUndefined();

    await stack.faults({ outage: true });
    await new Promise((r) => setTimeout(r, 1200));

    const page = await stack.graphql(CATALOG_PAGE, { skus: [...skus(10), 'SKU-00999'], quantity: 1 });
    expect(page.status).toBe(200);
    const products = page.body.data.products;
    for (let i = 0; i < 10; i++) {
      expect(products[i].price).toMatchObject({ stale: true, unitPrice: warm.body.data.products[i].price.unitPrice });
      expect(products[i].price.asOf).toBe(warm.body.data.products[i].price.asOf);
      expect(products[i].availability.stale).toBe(true);
    }
    expect(page.body.data.viewer.customer.creditStatus.stale).toBe(true);

    // SKU-00999 was never fetched: it fails alone, with ERP_UNAVAILABLE.
    expect(products[10]).toBeNull();
    const errors = page.body.errors ?? [];
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toEqual(['products', 10]);
    expect(errors[0]!.extensions?.code).toBe('ERP_UNAVAILABLE');
  });

  it('reports the outage on /readyz while still ready to serve stale data', async () => {
    const { status, body } = await stack.readyz();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'degraded', servingStale: true, erp: { reachable: false } });
    expect(Date.parse(body.erp.downSince)).not.toBeNaN();
  });

  it('opens the circuit breaker: reads stop waiting on the ERP and are served stale at once', async () => {
    const ready = (await stack.readyz()).body;
    expect(ready.breaker.state).toBe('open');
    const started = performance.now();
    const page = await stack.graphql(CATALOG_PAGE, { skus: skus(10), quantity: 1 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(page.body.data.products[0].price.stale).toBe(true);
  });

  it("recovers: fresh values again once the ERP answers (after the breaker's probe)", async () => {
    await stack.faults({ outage: false });
    let page = await stack.graphql(CATALOG_PAGE, { skus: skus(10), quantity: 1 });
    for (let i = 0; i < 50 && page.body.data.products.some((p: any) => p.price.stale); i++) {
      await new Promise((r) => setTimeout(r, 200));
      page = await stack.graphql(CATALOG_PAGE, { skus: skus(10), quantity: 1 });
    }
    expect(page.body.errors).toBeUndefined();
    for (const product of page.body.data.products) expect(product.price.stale).toBe(false);
    await new Promise((r) => setTimeout(r, 2100)); // the readiness check is cached for 2 s
    const ready = (await stack.readyz()).body;
    expect(ready).toMatchObject({ status: 'ready', erp: { reachable: true } });
  });
});
