/**
 * Cached responses on three scale-out instances: a price changed in the sandbox ERP (its signed
 * webhook delivered to one instance, the others told over pub/sub) drops every cached answer built
 * from that price, on all three, within the change-event bound (2 s, as for the entries themselves).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counter } from '../support/stack.ts';
import { freePort, redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';
import { webhookSecret } from '../support/webhooks.ts';

const available = redisServerAvailable('scale-out-response-cache');
const secret = webhookSecret();
let scale: ScaleOut;
const PAGE = /* GraphQL */ `query Page($skus: [ID!]!) {
  products(skus: $skus) { sku price { unitPrice { amount } source asOf } }
  viewer { customer { id } }
}`;
const SKUS = ['SKU-00005', 'SKU-00007', 'SKU-00008'];

describe.skipIf(!available)('scale-out: cached responses follow ERP changes on every instance', () => {
  beforeAll(async () => {
    const port = await freePort();
    scale = await startScaleOut(
      3,
      { ERP_WEBHOOK_SECRET: secret },
      {
        sandboxEnv: { SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${port}/erp/events`, SANDBOX_WEBHOOK_SECRET: secret },
        instanceEnv: (i): Record<string, string> => (i === 0 ? { PORT: String(port) } : {}),
      },
    );
  }, 90_000);
  afterAll(() => scale?.close());

  const hits = async (i: number) => {
    const response = await fetch(`${scale.instances[i]!.url}/metrics`, { headers: { authorization: `Bearer ${await scale.opsToken()}` } });
    return counter(await response.text(), 'erpfront_cache_requests_total', { cache: 'responses', result: 'hit' });
  };
  const page = async (i: number) => {
    const answer = await scale.stack(i).graphql(PAGE, { skus: SKUS }, { token: await scale.buyerToken('C0002') });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.viewer.customer.id).toBe('C0002');
    return answer.body.data.products as Array<{ sku: string; price: { unitPrice: { amount: string }; source: string } }>;
  };

  it('a price-list change drops the cached answers built from it on all three instances within 2 s', async () => {
    const before = await page(0);
    expect(before[0]!.price.unitPrice.amount).not.toBe('4.32');
    // Each instance keeps the answer (one run), then serves it from its cache.
    for (const i of [0, 1, 2]) {
      await page(i);
      const h = await hits(i);
      expect(await page(i)).toEqual(before);
      expect(await hits(i)).toBe(h + 1);
    }

    const started = performance.now();
    const response = await fetch(`${scale.sandbox.url}/__control/changes`, {
      method: 'POST',
      body: JSON.stringify({ type: 'price', sku: 'SKU-00005', priceListId: 'PL-OEM', unitPrice: '4.32' }),
    });
    expect(response.status).toBe(200);
    const seenAfter: number[] = [];
    for (const i of [2, 1, 0]) {
      while ((await page(i))[0]!.price.unitPrice.amount !== '4.32' && performance.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
      seenAfter.push(performance.now() - started);
    }
    console.log(`cached responses changed on instances 2, 1, 0 after ${seenAfter.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    expect(Math.max(...seenAfter)).toBeLessThan(2000);
    for (const i of [0, 1, 2]) {
      const after = await page(i);
      expect(after[0]!.price).toMatchObject({ unitPrice: { amount: '4.32' }, source: 'PRICE_LIST' });
      // The other SKUs' prices did not change.
      expect(after.slice(1)).toEqual(before.slice(1));
      // And the new answer is kept in turn.
      const h = await hits(i);
      await page(i);
      expect(await hits(i)).toBe(h + 1);
    }
  });
});
