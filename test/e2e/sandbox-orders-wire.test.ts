/**
 * The sandbox connector's order calls against a scripted fake ERP over HTTP (the reads' are in
 * `test/unit/sandbox-connector-wire.test.ts`): refusals become ERP_REJECTED with the ERP's
 * reason, ambiguous failures a transient code, malformed orders ERP_BAD_RESPONSE naming the
 * field, and several orders for one reference the oldest of them.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxConnector } from '../../src/adapters/erp/sandbox/index.ts';
import type { ErpConnector, ErpOrder, ErpOrderRequest } from '../../src/ports/erp-connector.ts';
import { ErpError } from '../../src/ports/erp-error.ts';
import { erpFailure } from '../support/sandbox-erp.ts';

const REQUEST: ErpOrderRequest = {
  externalRef: 'ord_01',
  customerId: 'C0001',
  poNumber: 'PO-7',
  shipToId: 'C0001-ST1',
  requestedDate: '2026-12-01',
  currency: 'USD',
  payment: { method: 'CARD', authorizationRef: 'auth_9' },
  notes: null,
  lines: [{ sku: 'SKU-00001', quantity: 2, unitPrice: '21.41', unitOfMeasure: 'EA' }],
};
const ORDER: ErpOrder = {
  number: 'SO-100001',
  externalRef: 'ord_01',
  customerId: 'C0001',
  status: 'SHIPPED',
  poNumber: 'PO-7',
  createdAt: '2026-11-23T12:00:00.000Z',
  currency: 'USD',
  total: '42.82',
  lines: [{ sku: 'SKU-00001', quantity: 2, unitPrice: '21.41', unitOfMeasure: 'EA', shippedQuantity: 2 }],
  shipments: [
    { id: 'SH-1', carrier: 'UPS', trackingNumber: '1Z999AA10123456784', shippedAt: '2026-11-24T09:30:00.000Z', lines: [{ sku: 'SKU-00001', quantity: 2 }] },
  ],
  invoices: [{ number: 'INV-1', kind: 'INVOICE', issuedAt: '2026-11-25', dueDate: '2026-12-25', total: '42.82', currency: 'USD', paid: true }],
  holdReason: null,
};

/** The fake ERP: the first path segment names the misbehaviour; the bodies it received are kept. */
function fakeErp(received: unknown[]): Hono {
  const app = new Hono();
  app.all('/:scenario/api/v1/orders', async (c) => {
    if (c.req.method === 'POST') received.push(await c.req.json());
    else received.push(Object.fromEntries(new URL(c.req.url).searchParams));
    switch (c.req.param('scenario')) {
      case 'ok':
        return c.req.method === 'POST' ? c.json({ ...ORDER, status: 'OPEN' }, 201) : c.json({ value: [ORDER] });
      case 'refused':
        return c.json({ error: 'Customer C0004 is on credit hold', reason: 'CREDIT_HOLD' }, 422);
      case 'refused-bare':
        return c.html('<p>Unprocessable</p>', 422);
      case 'gateway-timeout':
        return c.html('<html>504 Gateway Time-out</html>', 504);
      case 'total-as-number':
        return c.json({ ...ORDER, total: 42.82 }, 201);
      case 'bad-shipment-time':
        return c.json({ ...ORDER, shipments: [{ ...ORDER.shipments[0], shippedAt: '24/11/2026 09:30' }] }, 201);
      case 'unknown-status':
        return c.json({ value: [{ ...ORDER, status: 'BACKORDERED' }] });
      case 'offset-time':
        return c.json({ ...ORDER, createdAt: '2026-11-23T13:00:00+01:00' }, 201);
      case 'other-ref':
        return c.json({ ...ORDER, externalRef: 'ord_02' }, 201);
      case 'several':
        // Newest first, plus a near miss a lenient filter let through.
        return c.json({
          value: [
            { ...ORDER, number: 'SO-100009', createdAt: '2026-11-23T12:05:00.000Z' },
            { ...ORDER, number: 'SO-100003', externalRef: 'ORD_01', createdAt: '2026-11-23T11:00:00.000Z' },
            { ...ORDER, number: 'SO-100004', createdAt: '2026-11-23T12:00:00.000Z' },
          ],
        });
      case 'none':
        return c.json({ value: [] });
      case 'stranger':
        return c.json({ value: [{ ...ORDER, customerId: 'C0002' }], total: 1 });
      case 'hang':
        return new Promise<Response>(() => {});
      default:
        return c.json({ error: 'unknown scenario' }, 404);
    }
  });
  return app;
}

describe('sandbox connector orders against a misbehaving ERP', () => {
  const received: unknown[] = [];
  let server: ServerType;
  let url: string;
  const connect = (scenario: string, timeoutMs = 2000): ErpConnector => createSandboxConnector({ baseUrl: `${url}/${scenario}`, timeoutMs });

  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: fakeErp(received).fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        url = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(async () => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const failure = erpFailure;

  it('posts the order as it is and answers the order the ERP entered', async () => {
    received.length = 0;
    expect(await connect('ok').createOrder(REQUEST)).toEqual({ ...ORDER, status: 'OPEN' });
    expect(received).toEqual([REQUEST]);
  });

  it('maps 422 to ERP_REJECTED with the ERP’s reason and words', async () => {
    const error = await failure(connect('refused').createOrder(REQUEST));
    expect(error).toMatchObject({ code: 'ERP_REJECTED', reason: 'CREDIT_HOLD', operation: 'createOrder', transient: false });
    expect(error.message).toBe('createOrder: the ERP refused (CREDIT_HOLD): Customer C0004 is on credit hold');
  });

  it('gives a 422 without a reason the reason REJECTED', async () => {
    expect(await failure(connect('refused-bare').createOrder(REQUEST))).toMatchObject({ code: 'ERP_REJECTED', reason: 'REJECTED' });
  });

  it('maps a 504 and a silent ERP to transient codes: the order may exist', async () => {
    expect(await failure(connect('gateway-timeout').createOrder(REQUEST))).toMatchObject({ code: 'ERP_UNAVAILABLE', transient: true });
    expect(await failure(connect('hang', 150).createOrder(REQUEST))).toMatchObject({ code: 'ERP_TIMEOUT', operation: 'createOrder', transient: true });
  });

  it.each([
    ['total-as-number', 'createOrder: total: expected a decimal string'],
    ['bad-shipment-time', 'createOrder: shipments[0].shippedAt: expected a date-time (ISO 8601 with an offset)'],
  ])('refuses a malformed order (%s), naming the field', async (scenario, message) => {
    const error = await failure(connect(scenario).createOrder(REQUEST));
    expect(error.code).toBe('ERP_BAD_RESPONSE');
    expect(error.message).toBe(message);
  });

  it('refuses a status the port does not know', async () => {
    const error = await failure(connect('unknown-status').findOrderByExternalRef('ord_01'));
    expect(error.code).toBe('ERP_BAD_RESPONSE');
    expect(error.message).toMatch(/^findOrderByExternalRef: value\[0\]\.status: /);
  });

  it('answers times in UTC whatever offset the ERP used', async () => {
    expect((await connect('offset-time').createOrder(REQUEST)).createdAt).toBe('2026-11-23T12:00:00.000Z');
  });

  it('refuses an answer for another order than the one sent', async () => {
    const error = await failure(connect('other-ref').createOrder(REQUEST));
    expect(error.code).toBe('ERP_BAD_RESPONSE');
    expect(error.message).toContain('ord_02');
  });

  it('finds the oldest of several orders with one reference, ignoring near misses; null for none', async () => {
    received.length = 0;
    expect((await connect('several').findOrderByExternalRef('ord_01'))!.number).toBe('SO-100004');
    expect(received).toEqual([{ externalRef: 'ord_01' }]);
    expect(await connect('none').findOrderByExternalRef('ord_01')).toBeNull();
  });

  it('refuses a list holding another customer’s order', async () => {
    const error = await failure(connect('stranger').listOrders('C0001', { offset: 0, limit: 5 }));
    expect(error).toMatchObject({ code: 'ERP_BAD_RESPONSE', operation: 'listOrders' });
  });
});
