/**
 * Repeated catalog pages with the response cache off: every page runs, and a price or an
 * availability an earlier page computed from the same cache entries is served again instead of
 * being read and computed again (services/read-memo.ts). What a buyer and an operator see must be
 * what reading every entry shows: each customer's own prices, a change in the ERP as soon as its
 * event arrives, nothing older than its freshness allows, and the cache hits counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/redis.ts';
import { CATALOG_PAGE, counter, skus, startStack, type Stack } from '../support/stack.ts';
import { webhookSecret } from '../support/webhooks.ts';

const secret = webhookSecret();
let stack: Stack;

beforeAll(async () => {
  const port = await freePort();
  const roomy = { capacity: 1e9, restorePerSecond: 1e9 };
  stack = await startStack(
    {
      PORT: String(port),
      RESPONSE_CACHE: 'false',
      ERP_WEBHOOK_SECRET: secret,
      // Stock is fresh for 0.4 s here: well within the 1 s an answer's reads stand for.
      FRESHNESS_AVAILABILITY_SECONDS: '0.4',
      STALE_WHILE_REVALIDATE_FRACTION: '0',
      OVERLOAD_EVENT_LOOP_DELAY_MS: '0',
      THROTTLE_LIMITS: JSON.stringify({ customers: { C0001: roomy, C0002: roomy, C0003: roomy } }),
    },
    { sandboxEnv: { SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${port}/erp/events`, SANDBOX_WEBHOOK_SECRET: secret } },
  );
}, 60_000);
afterAll(() => stack?.close());

const PRICES = /* GraphQL */ `query Prices($skus: [ID!]!) {
  products(skus: $skus) { sku price(quantity: 2) { unitPrice { amount currency } source } }
}`;

const hits = async () => {
  const text = await stack.metrics();
  return Object.fromEntries(
    ['items', 'prices', 'stock', 'accounts'].map((cache) => [cache, counter(text, 'erpfront_cache_requests_total', { cache, result: 'hit' })]),
  );
};
const erpCalls = async () => Object.values((await stack.stats()).byOperation).reduce((sum, n) => sum + n, 0);

async function change(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${stack.sandbox.url}/__control/changes`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

describe('repeated catalog pages, response cache off', () => {
  it('answers as the page before did, asks the ERP nothing, and counts every cache hit a page makes', async () => {
    const variables = { skus: skus(24), quantity: 1 };
    const cold = await stack.graphql(CATALOG_PAGE, variables);
    expect(cold.body.errors).toBeUndefined();
    const calls = await erpCalls();
    // The first warm page reads every entry; the next ones are served what it computed.
    const h0 = await hits();
    const warm = await stack.graphql(CATALOG_PAGE, variables);
    const h1 = await hits();
    const again = await stack.graphql(CATALOG_PAGE, variables);
    const h2 = await hits();
    expect(warm.body.data).toEqual(cold.body.data);
    expect(again.body.data).toEqual(cold.body.data);
    expect(await erpCalls()).toBe(calls);
    for (const cache of Object.keys(h0)) expect(h2[cache]! - h1[cache]!, cache).toBe(h1[cache]! - h0[cache]!);
    // Prices: a list price and a price-list price per SKU, stock one per SKU.
    expect(h1.prices! - h0.prices!).toBeGreaterThanOrEqual(48);
    expect(h1.stock! - h0.stock!).toBe(24);
  });

  it('shows a price and a stock count changed in the ERP on the very next page once their entries are dropped', async () => {
    const variables = { skus: skus(8, 501), quantity: 1 };
    const token = await stack.buyerToken('C0002'); // PL-OEM
    const page = async () => (await stack.graphql(CATALOG_PAGE, variables, { token })).body.data.products;
    const before = await page();
    await page();
    await page();
    expect(before[3].price.unitPrice.amount).not.toBe('3.21');
    await change({ type: 'price', sku: 'SKU-00504', priceListId: 'PL-OEM', unitPrice: '3.21' });
    await change({ type: 'stock', sku: 'SKU-00506', warehouse: 'WEST', onHand: 5432 });
    // Dropped by an operator (the ERP's own event may come first): done when the answer comes.
    const dropped = await fetch(`${stack.erpfront.url}/ops/invalidate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await stack.opsToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        changes: [
          { domain: 'prices', keys: ['priceList:PL-OEM:SKU-00504'] },
          { domain: 'stock', keys: ['SKU-00506'] },
        ],
      }),
    });
    expect(dropped.status).toBe(200);
    const products = await page();
    expect(products[3].price).toMatchObject({ unitPrice: { amount: '3.21' }, source: 'PRICE_LIST' });
    expect(products[5].availability.warehouses.find((w: { code: string }) => w.code === 'WEST').onHand).toBe(5432);
    // Nothing else moved.
    expect(products[0].price).toEqual(before[0].price);
    expect(products[4].availability.warehouses).toEqual(before[4].availability.warehouses);
  });

  it('never serves availability older than its freshness: stock fresh for 0.4 s is read again as it ages', async () => {
    const variables = { skus: skus(6, 601), quantity: 1 };
    await stack.graphql(CATALOG_PAGE, variables);
    const getStock = async () => (await stack.stats()).byOperation.getStock ?? 0;
    const fetches = await getStock();
    let oldest = 0;
    const until = performance.now() + 2500;
    while (performance.now() < until) {
      const answer = await stack.graphql(CATALOG_PAGE, variables);
      const received = Date.now();
      for (const product of answer.body.data.products) {
        expect(product.availability.stale).toBe(false);
        oldest = Math.max(oldest, received - Date.parse(product.availability.asOf));
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    // Served from entries at most 0.4 s old (plus the answer's way back); an answer whose reads
    // were trusted for their full second would be up to 1.4 s old.
    console.log(`oldest availability served: ${oldest} ms`);
    expect(oldest).toBeLessThan(850);
    expect((await getStock()) - fetches).toBeGreaterThanOrEqual(4);
  });

  it("never serves one customer another's prices: three price lists, concurrent, 300 rounds", async () => {
    const customers = ['C0001', 'C0002', 'C0003'];
    const tokens = await Promise.all(customers.map((c) => stack.buyerToken(c)));
    const variables = { skus: skus(12, 701) };
    // What a buyer sees: the data, and which SKUs failed how (an error's request id is the request's own).
    const ask = async (i: number) => {
      const { body } = await stack.graphql(PRICES, variables, { token: tokens[i]! });
      return JSON.stringify({ data: body.data, errors: body.errors?.map((e: any) => [e.path, e.extensions.code]) });
    };
    const own = await Promise.all(customers.map((_, i) => ask(i)));
    expect(new Set(own).size).toBe(3);
    for (let round = 0; round < 300; round++) {
      const answers = await Promise.all(customers.map((_, i) => ask((i + round) % 3)));
      for (const [i, answer] of answers.entries()) {
        if (answer !== own[(i + round) % 3]) throw new Error(`round ${round}: ${customers[(i + round) % 3]} got ${answer.slice(0, 300)}`);
      }
    }
  }, 60_000);
});
