/**
 * The sandbox ERP's change controls, over real HTTP: `POST /__control/changes` changes what the
 * ERP answers (prices, stock, credit limits, and what its own credit check uses), and announces
 * each change as a Standard Webhooks delivery to its configured URL, retried with back-off until
 * the receiver takes it. The receiver here is the test's own server, verifying with the
 * `standardwebhooks` package.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandboxErp, type RunningSandbox } from '../../src/sandbox-erp/server.ts';
import { webhookSecret } from '../support/webhooks.ts';

const secret = webhookSecret();
let sandbox: RunningSandbox;
let plain: RunningSandbox;
let receiver: Server;
/** Deliveries received, verified or not. */
let received: Array<{ id: string; timestamp: number; verified: boolean; body: any; at: number }> = [];
let failNext = 0;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(request.headers[h] ?? '')]));
      let verified = true;
      try {
        new Webhook(secret).verify(text, headers);
      } catch {
        verified = false;
      }
      received.push({ id: headers['webhook-id']!, timestamp: Number(headers['webhook-timestamp']), verified, body: JSON.parse(text), at: Date.now() });
      response.statusCode = failNext-- > 0 ? 503 : 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/erp/events`;
  sandbox = await startSandboxErp({ port: 0, webhook: { url, secret } });
  plain = await startSandboxErp({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
  await plain?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});
beforeEach(async () => {
  // The last test's deliveries first: one still on its way would otherwise land in this test's
  // `received`, or take a refusal (`failNext`) meant for this test's own delivery.
  for (const started = Date.now(); Date.now() - started < 5000; ) {
    if ((await get('/__control/webhooks')).body.queued === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await post('/__control/reset', {});
  received = [];
  failNext = 0;
});

async function call(path: string, init?: RequestInit, base = sandbox.url): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${path}`, init);
  return { status: response.status, body: await response.json() };
}
const get = (path: string, base?: string) => call(path, undefined, base);
const post = (path: string, body: unknown, base?: string) => call(path, { method: 'POST', body: JSON.stringify(body) }, base);
const priceOf = async (scope: string, scopeId: string, sku: string) => (await post('/api/v1/prices/query', { keys: [{ scope, scopeId, sku }] })).body.value[0];
async function deliveredFor(webhookId: string, withinMs = 3000) {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    // The deliveries are counted once nothing is queued, not before asking: a retry can land
    // while the question is on its way (CI saw 2 attempts of 3 counted that way).
    if ((await get('/__control/webhooks')).body.queued === 0) {
      const found = received.filter((d) => d.id === webhookId);
      if (found.length > 0) return found;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no delivery ${webhookId} within ${withinMs} ms`);
}

describe('POST /__control/changes', () => {
  it('a price-list price: the ERP answers it, and announces price_list.changed, signed', async () => {
    const changed = await post('/__control/changes', { type: 'price', sku: 'SKU-00001', priceListId: 'PL-OEM', unitPrice: '9.50' });
    expect(changed.status).toBe(200);
    expect(changed.body.event).toEqual({ type: 'price_list.changed', data: { priceListId: 'PL-OEM', skus: ['SKU-00001'] } });
    expect(await priceOf('priceList', 'PL-OEM', 'SKU-00001')).toEqual({
      sku: 'SKU-00001',
      scope: 'priceList',
      scopeId: 'PL-OEM',
      currency: 'USD',
      breaks: [{ minQuantity: 1, unitPrice: '9.50' }],
    });
    const [delivery] = await deliveredFor(changed.body.webhookId);
    expect(delivery).toMatchObject({ verified: true, body: { type: 'price_list.changed', data: { priceListId: 'PL-OEM', skus: ['SKU-00001'] } } });
    expect(Math.abs(delivery!.timestamp - Date.now() / 1000)).toBeLessThan(5);
  });

  it('a contract price (the customer now has contract prices), and a list price (announced as item.changed)', async () => {
    const contract = await post('/__control/changes', { type: 'price', sku: 'SKU-00004', customerId: 'C0002', unitPrice: '4.00' });
    expect(contract.body.event).toEqual({ type: 'contract_price.changed', data: { customerId: 'C0002', skus: ['SKU-00004'] } });
    expect((await priceOf('contract', 'C0002', 'SKU-00004')).breaks).toEqual([{ minQuantity: 1, unitPrice: '4.00' }]);
    expect((await get('/api/v1/customers?ids=C0002')).body.value[0].hasContractPrices).toBe(true);

    const list = await post('/__control/changes', { type: 'price', sku: 'SKU-00004', priceListId: null, unitPrice: '44.00', currency: 'EUR' });
    expect(list.body.event).toEqual({ type: 'item.changed', data: { skus: ['SKU-00004'] } });
    expect((await priceOf('list', 'EUR', 'SKU-00004')).breaks).toEqual([{ minQuantity: 1, unitPrice: '44.00' }]);
    await deliveredFor(list.body.webhookId);
    expect(received.map((d) => d.body.type)).toEqual(['contract_price.changed', 'item.changed']);
  });

  it("stock on hand and a credit limit, which the ERP's own credit check then uses", async () => {
    const stock = await post('/__control/changes', { type: 'stock', sku: 'SKU-00012', warehouse: 'WEST', onHand: 7 });
    expect(stock.body.event).toEqual({ type: 'stock.changed', data: { skus: ['SKU-00012'] } });
    const record = (await get('/api/v1/stock?skus=SKU-00012')).body.value[0];
    expect(record.warehouses.find((w: any) => w.code === 'WEST').onHand).toBe(7);

    const limit = await post('/__control/changes', { type: 'creditLimit', customerId: 'C0002', limit: '10.00' });
    expect(limit.body.event).toEqual({ type: 'customer.changed', data: { customerIds: ['C0002'] } });
    expect((await get('/api/v1/customers?ids=C0002')).body.value[0].credit.limit).toBe('10.00');
    const order = {
      externalRef: 'changes-1',
      customerId: 'C0002',
      poNumber: null,
      shipToId: 'C0002-ST1',
      requestedDate: null,
      currency: 'USD',
      payment: { method: 'ON_ACCOUNT' },
      notes: null,
      lines: [{ sku: 'SKU-00001', quantity: 3, unitPrice: '21.41', unitOfMeasure: 'EA' }],
    };
    expect(await post('/api/v1/orders', order)).toMatchObject({ status: 422, body: { reason: 'CREDIT_LIMIT_EXCEEDED' } });
    await post('/__control/changes', { type: 'creditLimit', customerId: 'C0002', limit: null });
    expect((await post('/api/v1/orders', order)).status).toBe(201);
  });

  it('retries a delivery the receiver refused, with back-off, the same webhook-id, each attempt signed anew', async () => {
    failNext = 2;
    const changed = await post('/__control/changes', { type: 'stock', sku: 'SKU-00001', warehouse: 'EAST', onHand: 1 });
    const attempts = await deliveredFor(changed.body.webhookId, 5000);
    expect(attempts).toHaveLength(3);
    expect(attempts.every((a) => a.verified)).toBe(true);
    // 0.5 s, then 1 s between attempts.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(450);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(950);
    expect((await get('/__control/webhooks')).body).toMatchObject({
      configured: true,
      queued: 0,
      failed: 0,
      last: { id: changed.body.webhookId, attempt: 3, status: 204 },
    });
  });

  it('refuses what it cannot apply (400, 404) and changes nothing; reset puts the data set back', async () => {
    for (const [body, status] of [
      [{ type: 'price', sku: 'SKU-99999', priceListId: 'PL-OEM', unitPrice: '1.00' }, 404],
      [{ type: 'price', sku: 'SKU-00001', priceListId: 'PL-NONE', unitPrice: '1.00' }, 404],
      [{ type: 'price', sku: 'SKU-00001', customerId: 'C9999', unitPrice: '1.00' }, 404],
      [{ type: 'price', sku: 'SKU-00001', priceListId: 'PL-OEM', customerId: 'C0001', unitPrice: '1.00' }, 400],
      [{ type: 'price', sku: 'SKU-00001', priceListId: 'PL-OEM', unitPrice: 1 }, 400],
      [{ type: 'price', sku: 'SKU-00001', priceListId: 'PL-OEM', unitPrice: '0' }, 400],
      [{ type: 'stock', sku: 'SKU-00001', warehouse: 'EAST', onHand: -1 }, 400],
      [{ type: 'creditLimit', customerId: 'C9999', limit: '1.00' }, 404],
      [{ type: 'weather' }, 400],
    ] as const) {
      const refused = await post('/__control/changes', body);
      expect(refused.status, JSON.stringify(body)).toBe(status);
      expect(refused.body.error).toEqual(expect.any(String));
    }
    const original = await priceOf('list', 'USD', 'SKU-00001');
    await post('/__control/changes', { type: 'price', sku: 'SKU-00001', priceListId: null, unitPrice: '1.00' });
    expect(await priceOf('list', 'USD', 'SKU-00001')).not.toEqual(original);
    await post('/__control/reset', {});
    expect(await priceOf('list', 'USD', 'SKU-00001')).toEqual(original);
    await new Promise((r) => setTimeout(r, 100));
    expect(received.map((d) => d.body.type)).toEqual(['item.changed']);
  });

  it('without a webhook target a change is applied and announced to nobody; each sandbox has its own changes', async () => {
    const changed = await post('/__control/changes', { type: 'price', sku: 'SKU-00002', priceListId: 'PL-OEM', unitPrice: '2.22' }, plain.url);
    expect(changed).toMatchObject({ status: 200, body: { webhookId: null } });
    expect((await get('/__control/webhooks', plain.url)).body).toMatchObject({ configured: false, delivered: 0 });
    // The other sandbox (same seed, same generated data) still answers the generated price.
    expect((await priceOf('priceList', 'PL-OEM', 'SKU-00002'))?.breaks).not.toEqual([{ minQuantity: 1, unitPrice: '2.22' }]);
  });
});
