/**
 * A price changed in the sandbox ERP shows on all three scale-out instances within 2 s: the
 * sandbox delivers its signed webhook to one instance (as a load balancer would pick one), which
 * drops the entries from Redis and its own memory and tells the others over pub/sub. A replay of
 * that delivery to another instance is a duplicate (the delivery log is shared in Redis), and a
 * wrongly signed or too-old one is refused by any instance and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';
import { deliver, signedDelivery, webhookSecret } from '../support/webhooks.ts';

const available = redisServerAvailable('scale-out-changes');
const secret = webhookSecret();
let scale: ScaleOut;
const PRICE = /* GraphQL */ `query ($sku: ID!) { products(skus: [$sku]) { price { unitPrice { amount } source asOf } } }`;

describe.skipIf(!available)('scale-out: ERP change webhooks reach every instance', () => {
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

  const price = async (i: number, customerId: string, sku: string) => {
    const answer = await scale.stack(i).graphql(PRICE, { sku }, { token: await scale.buyerToken(customerId) });
    expect(answer.body.errors).toBeUndefined();
    const p = answer.body.data.products[0].price;
    return { amount: p.unitPrice.amount as string, source: p.source as string, asOf: p.asOf as string };
  };
  const getPrices = async () => (await scale.stats()).byOperation.getPrices ?? 0;

  it('a price-list price changed in the sandbox shows on all three instances within 2 s; other lists stay cached', async () => {
    // C0002 buys from PL-OEM, C0001 from PL-CONTRACTOR: both cached on every instance.
    const before = await price(0, 'C0002', 'SKU-00005');
    const other = await price(0, 'C0001', 'SKU-00006');
    for (const i of [1, 2]) {
      expect(await price(i, 'C0002', 'SKU-00005')).toEqual(before);
      expect(await price(i, 'C0001', 'SKU-00006')).toEqual(other);
    }
    expect(before.amount).not.toBe('3.21');

    const started = performance.now();
    const response = await fetch(`${scale.sandbox.url}/__control/changes`, {
      method: 'POST',
      body: JSON.stringify({ type: 'price', sku: 'SKU-00005', priceListId: 'PL-OEM', unitPrice: '3.21' }),
    });
    expect(response.status).toBe(200);
    const seenAfter: number[] = [];
    for (const i of [2, 1, 0]) {
      while ((await price(i, 'C0002', 'SKU-00005')).amount !== '3.21' && performance.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
      seenAfter.push(performance.now() - started);
    }
    console.log(`sandbox price change seen by instances 2, 1, 0 after ${seenAfter.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    expect(Math.max(...seenAfter)).toBeLessThan(2000);
    for (const i of [0, 1, 2]) expect(await price(i, 'C0002', 'SKU-00005')).toMatchObject({ amount: '3.21', source: 'PRICE_LIST' });

    // PL-CONTRACTOR's entries were not touched: the same answers, no ERP call for them.
    const calls = await getPrices();
    for (const i of [0, 1, 2]) expect(await price(i, 'C0001', 'SKU-00006')).toEqual(other);
    expect(await getPrices()).toBe(calls);
  });

  it('a delivery replayed to another instance is a duplicate; wrongly signed or too old is refused anywhere; nothing is dropped', async () => {
    const event = { type: 'price_list.changed', data: { priceListId: 'PL-OEM', skus: ['SKU-00007'] } };
    const delivery = signedDelivery(secret, event);
    expect(await deliver(scale.instances[0]!.url, delivery)).toMatchObject({ status: 200, body: { status: 'accepted' } });
    const cached = [await price(0, 'C0002', 'SKU-00007'), await price(1, 'C0002', 'SKU-00007'), await price(2, 'C0002', 'SKU-00007')];
    const calls = await getPrices();

    expect(await deliver(scale.instances[1]!.url, delivery)).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    expect(await deliver(scale.instances[2]!.url, delivery)).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    expect((await deliver(scale.instances[1]!.url, signedDelivery(webhookSecret(), event))).status).toBe(401);
    expect((await deliver(scale.instances[2]!.url, signedDelivery(secret, event, { timestamp: Math.floor(Date.now() / 1000) - 600 }))).status).toBe(400);

    await new Promise((r) => setTimeout(r, 200)); // what a broadcast would need to arrive
    for (const i of [0, 1, 2]) expect(await price(i, 'C0002', 'SKU-00007')).toEqual(cached[i]);
    expect(await getPrices()).toBe(calls);
  });
});
