/**
 * ERP change events over HTTP, as an ERP sends them: the sandbox ERP (its own process) announces
 * the changes made through its controls as Standard Webhooks to erpfront's `POST /erp/events`
 * (erpfront in its own process), and erpfront drops exactly what changed. Deliveries a test
 * signs itself show what is refused (bad or missing signature, too old, unknown type, too
 * large) and that a replay is accepted without a second effect. What a buyer sees is read over
 * GraphQL; whether erpfront asked the ERP again is read from the sandbox's call counts and the
 * answers' `asOf`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/redis.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { deliver, signedDelivery, webhookSecret } from '../support/webhooks.ts';

const secret = webhookSecret();
const rotated = webhookSecret();
let stack: Stack;
let erpfrontUrl: string;

const PRICES = /* GraphQL */ `query ($skus: [ID!]!) { products(skus: $skus) { sku price { unitPrice { amount } source asOf } } }`;
const STOCK = /* GraphQL */ `query ($skus: [ID!]!) { products(skus: $skus) { availability { warehouses { code onHand } asOf } } }`;
const CREDIT = /* GraphQL */ `{ viewer { customer { creditStatus { limit { amount } asOf } } } }`;

beforeAll(async () => {
  const port = await freePort();
  erpfrontUrl = `http://127.0.0.1:${port}`;
  stack = await startStack(
    // Both secrets are accepted: the ERP may sign with either while the secret is being rotated.
    { PORT: String(port), ERP_WEBHOOK_SECRET: `${rotated} ${secret}` },
    { sandboxEnv: { SANDBOX_WEBHOOK_URL: `${erpfrontUrl}/erp/events`, SANDBOX_WEBHOOK_SECRET: secret } },
  );
}, 60_000);
afterAll(() => stack?.close());

async function prices(customerId: string, skus: string[]): Promise<Array<{ sku: string; amount: string; source: string; asOf: string }>> {
  const answer = await stack.graphql(PRICES, { skus }, { token: await stack.buyerToken(customerId) });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.products.map((p: any) => ({ sku: p.sku, amount: p.price.unitPrice.amount, source: p.price.source, asOf: p.price.asOf }));
}

async function change(body: Record<string, unknown>): Promise<any> {
  const response = await fetch(`${stack.sandbox.url}/__control/changes`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return response.json();
}

/** Polls `read` until `done` holds; how long it took, in ms (fails after `withinMs`). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, withinMs = 2000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const value = await read();
    if (done(value)) return performance.now() - started;
    if (performance.now() - started > withinMs) throw new Error(`not seen within ${withinMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const getPrices = async () => (await stack.stats()).byOperation.getPrices ?? 0;
const event = (priceListId: string, skus?: string[]) => ({ type: 'price_list.changed', data: skus ? { priceListId, skus } : { priceListId } });

describe('ERP change events: the sandbox announces, erpfront drops what changed', () => {
  it('a price-list price changed in the sandbox shows to the buyer within 2 s', async () => {
    const [before] = await prices('C0002', ['SKU-00001']);
    expect(before!.amount).not.toBe('7.77');
    const answer = await change({ type: 'price', sku: 'SKU-00001', priceListId: 'PL-OEM', unitPrice: '7.77' });
    expect(answer.event).toEqual(event('PL-OEM', ['SKU-00001']));
    const ms = await until(
      () => prices('C0002', ['SKU-00001']),
      ([p]) => p!.amount === '7.77',
    );
    console.log(`price change visible after ${ms.toFixed(0)} ms`);
    expect((await prices('C0002', ['SKU-00001']))[0]).toMatchObject({ amount: '7.77', source: 'PRICE_LIST' });
    const webhooks = await (await fetch(`${stack.sandbox.url}/__control/webhooks`)).json();
    expect(webhooks).toMatchObject({ configured: true, queued: 0, failed: 0 });
    expect(webhooks.delivered).toBeGreaterThanOrEqual(1);
  });

  it('a contract price, a stock count and a credit limit changed in the sandbox show within 2 s', async () => {
    const token = await stack.buyerToken('C0001');
    await prices('C0001', ['SKU-00003']);
    const stockOf = async () =>
      (await stack.graphql(STOCK, { skus: ['SKU-00001'] }, { token })).body.data.products[0].availability.warehouses.find((w: any) => w.code === 'EAST')
        ?.onHand;
    const limitOf = async () => (await stack.graphql(CREDIT, {}, { token })).body.data.viewer.customer.creditStatus.limit?.amount;
    expect(await stockOf()).not.toBe(4321);
    expect(await limitOf()).not.toBe('123456.00');

    await change({ type: 'price', sku: 'SKU-00003', customerId: 'C0001', unitPrice: '1.23' });
    await change({ type: 'stock', sku: 'SKU-00001', warehouse: 'EAST', onHand: 4321 });
    await change({ type: 'creditLimit', customerId: 'C0001', limit: '123456.00' });
    await until(
      () => prices('C0001', ['SKU-00003']),
      ([p]) => p!.amount === '1.23' && p!.source === 'CONTRACT',
    );
    await until(stockOf, (onHand) => onHand === 4321);
    await until(limitOf, (limit) => limit === '123456.00');
  });

  it("a price-list change without SKUs drops that whole list, and leaves other lists' entries cached", async () => {
    const skus = ['SKU-00001', 'SKU-00002', 'SKU-00003', 'SKU-00004'];
    const oem = await prices('C0002', skus); // PL-OEM
    const contractor = await prices('C0001', skus); // PL-CONTRACTOR (and C0001's contracts)
    const calls = await getPrices();
    expect(await prices('C0002', skus)).toEqual(oem);
    expect(await getPrices()).toBe(calls);
    await new Promise((r) => setTimeout(r, 5)); // a refetch gets a later asOf

    const accepted = await deliver(erpfrontUrl, signedDelivery(secret, event('PL-OEM')));
    expect(accepted).toMatchObject({ status: 200, body: { status: 'accepted', type: 'price_list.changed' } });
    // The other list's buyer: every entry still cached, no ERP call, the same asOf.
    expect(await prices('C0001', skus)).toEqual(contractor);
    expect(await getPrices()).toBe(calls);
    // PL-OEM's buyer: its price-list entries were dropped and fetched again, in one call (the
    // answer's asOf is its oldest entry's: the list prices it shares with C0001, still cached).
    expect((await prices('C0002', skus)).map((p) => p.amount)).toEqual(oem.map((p) => p.amount));
    expect(await getPrices()).toBe(calls + 1);
  });

  it('refuses a wrongly signed, unsigned, too old or future delivery (401/400), and drops nothing', async () => {
    const cached = await prices('C0002', ['SKU-00001']);
    const calls = await getPrices();
    const good = signedDelivery(secret, event('PL-OEM', ['SKU-00001']));

    const wrongSecret = signedDelivery(webhookSecret(), event('PL-OEM', ['SKU-00001']));
    const tamperedBody = { ...good, body: JSON.stringify(event('PL-OEM', ['SKU-00002'])) };
    const tamperedId = { ...good, headers: { ...good.headers, 'webhook-id': 'msg_other' } };
    const unsigned = { ...good, headers: { 'content-type': 'application/json', 'webhook-id': good.id, 'webhook-timestamp': String(good.timestamp) } };
    const notV1 = { ...good, headers: { ...good.headers, 'webhook-signature': good.headers['webhook-signature']!.replace('v1,', 'v2,') } };
    for (const delivery of [wrongSecret, tamperedBody, tamperedId, unsigned, notV1]) {
      const refused = await deliver(erpfrontUrl, delivery);
      expect(refused.status).toBe(401);
      expect(refused.body.errors[0].extensions.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    // Well past the 300 s tolerance either way: a timestamp 1 s past it can land inside it once the
    // second it was taken in has ticked over by the time erpfront checks it.
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 330, now - 3600, now + 330]) {
      const refused = await deliver(erpfrontUrl, signedDelivery(secret, event('PL-OEM', ['SKU-00001']), { timestamp }));
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].extensions.code).toBe('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE');
    }
    expect(await prices('C0002', ['SKU-00001'])).toEqual(cached);
    expect(await getPrices()).toBe(calls);
  });

  it('refuses an unknown type or bad data (400), and a body over 64 KiB (413) before reading it', async () => {
    for (const body of [
      { type: 'warehouse.moved', data: {} },
      { type: 'stock.changed', data: { skus: [] } },
      { type: 'price_list.changed', data: { skus: ['SKU-00001'] } },
      { data: {} },
    ]) {
      const refused = await deliver(erpfrontUrl, signedDelivery(secret, body as never));
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    }
    const unknown = await deliver(erpfrontUrl, signedDelivery(secret, { type: 'warehouse.moved', data: {} }));
    expect(unknown.body.errors[0].message).toContain('price_list.changed');
    const huge = signedDelivery(secret, {
      type: 'stock.changed',
      data: { skus: Array.from({ length: 5000 }, (_, i) => `SKU-${String(i).padStart(20, '0')}`) },
    });
    expect((await deliver(erpfrontUrl, huge)).status).toBe(413);
  });

  it('a replayed delivery (same webhook-id) is accepted once: the duplicate answers 2xx and drops nothing', async () => {
    await prices('C0002', ['SKU-00002']);
    await new Promise((r) => setTimeout(r, 5));
    const delivery = signedDelivery(secret, event('PL-OEM', ['SKU-00002']));
    expect(await deliver(erpfrontUrl, delivery)).toMatchObject({ status: 200, body: { status: 'accepted', id: delivery.id } });
    const refetched = await prices('C0002', ['SKU-00002']);
    const calls = await getPrices();

    // The same bytes again (a replay), and the sender's retry signed anew with a later timestamp.
    expect(await deliver(erpfrontUrl, delivery)).toMatchObject({ status: 200, body: { status: 'duplicate', id: delivery.id } });
    const retry = signedDelivery(secret, event('PL-OEM', ['SKU-00002']), { id: delivery.id, timestamp: delivery.timestamp + 2 });
    expect(await deliver(erpfrontUrl, retry)).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    expect(await prices('C0002', ['SKU-00002'])).toEqual(refetched);
    expect(await getPrices()).toBe(calls);
  });

  it('accepts a delivery signed with either secret while the secret rotates', async () => {
    for (const key of [rotated, secret]) {
      expect(await deliver(erpfrontUrl, signedDelivery(key, { type: 'order.changed', data: { externalRefs: ['ord_1'] } }))).toMatchObject({
        status: 200,
        body: { status: 'accepted' },
      });
    }
  });
});
