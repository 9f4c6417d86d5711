/**
 * The sandbox connector against a scripted fake ERP that misbehaves: malformed data, non-JSON,
 * throttling, failures and silence. Every failure must become the right ErpError code, with a
 * message naming the offending field, and never a crash or a wrong value.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/adapters/erp/shared/retry-after.ts';
import { createSandboxConnector } from '../../src/adapters/erp/sandbox/index.ts';
import type { ErpConnector } from '../../src/ports/erp-connector.ts';
import { ErpError } from '../../src/ports/erp-error.ts';
import { erpFailure } from '../support/sandbox-erp.ts';

const ITEM = {
  sku: 'SKU-00001',
  name: 'Hex bolt M8x40 zinc-plated, box of 100',
  description: 'ISO 4017',
  unitOfMeasure: 'BX',
  category: 'Fasteners',
  salable: true,
  restrictedToPriceLists: null,
};
const CUSTOMER = {
  id: 'C0001',
  name: 'Acme',
  currency: 'USD',
  priceListId: 'PL-CONTRACTOR',
  hasContractPrices: true,
  paymentTerms: { code: 'NET30', description: 'Net 30 days', netDays: 30 },
  poRequired: false,
  shipTos: [
    { id: 'C0001-ST1', name: 'Main', line1: '1 Mill St', line2: null, city: 'Chicago', region: 'IL', postalCode: '60607', country: 'US', isDefault: true },
  ],
  credit: { limit: '10000.00', balance: '250.50', openOrders: '0.00', onHold: false, holdReason: null },
  primaryContact: 'purchasing@acme.example',
};
const entry = (sku: string, unitPrice: unknown, minQuantity = 1) => ({
  sku,
  scope: 'list',
  scopeId: 'USD',
  currency: 'USD',
  breaks: [{ minQuantity, unitPrice }],
});
const STOCK = {
  sku: 'SKU-00001',
  leadTimeDays: 7,
  warehouses: [{ code: 'EAST', onHand: 5, reserved: 0, safetyStock: 1, incoming: [{ date: '2030-01-15', quantity: 10 }] }],
};

/** The fake ERP: the first path segment names the misbehaviour, the rest is the sandbox's API. */
function fakeErp(hangs: Array<() => void>): Hono {
  const app = new Hono();
  const hang = () => new Promise<Response>((resolve) => hangs.push(() => resolve(new Response('late'))));
  app.all('/:scenario/api/v1/*', async (c) => {
    switch (c.req.param('scenario')) {
      case 'price-as-number':
        return c.json({ value: [entry('SKU-1', '1.00'), entry('SKU-2', '2.00'), entry('SKU-3', '3.00'), entry('SKU-4', 12.5)] });
      case 'price-with-currency':
        return c.json({ value: [entry('SKU-1', '12.50 USD')] });
      case 'price-in-exponent':
        return c.json({ value: [entry('SKU-1', '1e3')] });
      case 'no-breaks':
        return c.json({ value: [{ ...entry('SKU-1', '1.00'), breaks: [] }] });
      case 'unsorted-breaks':
        return c.json({
          value: [
            {
              ...entry('SKU-1', '1.00'),
              breaks: [
                { minQuantity: 100, unitPrice: '8.00' },
                { minQuantity: 1, unitPrice: '10.00' },
                { minQuantity: 10, unitPrice: '9.00' },
              ],
            },
          ],
        });
      case 'missing-field': {
        const { limit: _limit, ...credit } = CUSTOMER.credit;
        return c.json({ value: [{ ...CUSTOMER, credit }], missing: [] });
      }
      case 'bad-date':
        return c.json({ value: [{ ...STOCK, warehouses: [{ ...STOCK.warehouses[0], incoming: [{ date: '2030-13-01', quantity: 10 }] }] }], missing: [] });
      case 'silent-key':
        return c.json({ value: [ITEM], missing: [] });
      case 'not-found':
        return c.json({ value: [ITEM], missing: ['SKU-99999'] });
      case 'html':
        return c.html('<html><body><h1>502 Bad Gateway</h1></body></html>');
      case 'html-error':
        return c.html('<html><body>Bad Gateway</body></html>', 502);
      case 'rate-limited':
        c.header('Retry-After', '2');
        return c.json({ error: 'slow down' }, 429);
      case 'down':
        return c.json({ error: 'ERP is down for maintenance' }, 503);
      case 'auth':
        return c.json({ error: 'invalid token' }, 401);
      case 'forbidden':
        return c.json({ error: 'no access' }, 403);
      case 'bad-request':
        return c.json({ error: 'ids: at most 500 keys per call' }, 400);
      case 'hang':
        return hang();
      case 'stall-body':
        // Headers now, then a body that never ends.
        return new Response(new ReadableStream({ start: (ctl) => ctl.enqueue(new TextEncoder().encode('{"value":')) }), {
          headers: { 'content-type': 'application/json' },
        });
      default:
        return c.json({ error: 'unknown scenario' }, 404);
    }
  });
  return app;
}

describe('sandbox connector against a misbehaving ERP', () => {
  const hangs: Array<() => void> = [];
  let server: ServerType;
  let url: string;
  const connect = (scenario: string, timeoutMs = 2000): ErpConnector => createSandboxConnector({ baseUrl: `${url}/${scenario}`, timeoutMs });

  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: fakeErp(hangs).fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        url = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(async () => {
    for (const release of hangs) release();
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const failure = erpFailure;

  it('refuses a price sent as a JSON number, naming the field', async () => {
    const error = await failure(
      connect('price-as-number').getPrices(['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4'].map((sku) => ({ scope: 'list', scopeId: 'USD', sku }))),
    );
    expect(error.code).toBe('ERP_BAD_RESPONSE');
    expect(error.operation).toBe('getPrices');
    expect(error.message).toBe('getPrices: value[3].breaks[0].unitPrice: expected a decimal string');
    expect(error.cause).toBeDefined();
  });

  it.each(['price-with-currency', 'price-in-exponent'])('refuses a price that is not a plain decimal (%s)', async (scenario) => {
    const error = await failure(connect(scenario).getPrices([{ scope: 'list', scopeId: 'USD', sku: 'SKU-1' }]));
    expect(error.code).toBe('ERP_BAD_RESPONSE');
    expect(error.message).toBe('getPrices: value[0].breaks[0].unitPrice: expected a decimal string');
  });

  it('refuses a price entry without breaks', async () => {
    const error = await failure(connect('no-breaks').getPrices([{ scope: 'list', scopeId: 'USD', sku: 'SKU-1' }]));
    expect(error.code).toBe('ERP_BAD_RESPONSE');
    expect(error.message).toBe('getPrices: value[0].breaks: expected at least one quantity break');
  });

  it('sorts breaks the ERP sent out of order', async () => {
    const [entry] = await connect('unsorted-breaks').getPrices([{ scope: 'list', scopeId: 'USD', sku: 'SKU-1' }]);
    expect(entry).toMatchObject({
      breaks: [
        { minQuantity: 1, unitPrice: '10.00' },
        { minQuantity: 10, unitPrice: '9.00' },
        { minQuantity: 100, unitPrice: '8.00' },
      ],
    });
  });

  it('refuses an answer with a missing field, naming it', async () => {
    const error = await failure(connect('missing-field').getCustomers(['C0001']));
    expect(error.code).toBe('ERP_BAD_RESPONSE');
    expect(error.message).toMatch(/^getCustomers: value\[0\]\.credit\.limit: expected a decimal string/);
  });

  it('refuses an impossible date, naming it', async () => {
    const error = await failure(connect('bad-date').getStock(['SKU-00001']));
    expect(error.code).toBe('ERP_BAD_RESPONSE');
    expect(error.message).toBe('getStock: value[0].warehouses[0].incoming[0].date: expected a real calendar date');
  });

  it('fails only the key the ERP reports missing, as ERP_NOT_FOUND', async () => {
    const [item, missing] = await connect('not-found').getItems(['SKU-00001', 'SKU-99999']);
    expect(item).toEqual(ITEM);
    expect(missing).toBeInstanceOf(ErpError);
    expect(missing).toMatchObject({ code: 'ERP_NOT_FOUND', operation: 'getItems', message: 'Item SKU-99999 does not exist in the ERP' });
  });

  it('fails a key the ERP neither answered nor reported missing as ERP_BAD_RESPONSE', async () => {
    const [, silent] = await connect('silent-key').getItems(['SKU-00001', 'SKU-00002']);
    expect(silent).toMatchObject({ code: 'ERP_BAD_RESPONSE', operation: 'getItems' });
    expect((silent as Error).message).toContain('SKU-00002');
  });

  it('refuses HTML where JSON was expected', async () => {
    const error = await failure(connect('html').getItems(['SKU-00001']));
    expect(error.code).toBe('ERP_BAD_RESPONSE');
    expect(error.message).toMatch(/^getItems: the ERP answered 200 with a body that is not JSON \(text\/html/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('maps an HTML 502 from a gateway to ERP_UNAVAILABLE', async () => {
    const error = await failure(connect('html-error').getItems(['SKU-00001']));
    expect(error.code).toBe('ERP_UNAVAILABLE');
    expect(error.message).toContain('502');
  });

  it('maps 429 to ERP_RATE_LIMITED with Retry-After in milliseconds', async () => {
    const error = await failure(connect('rate-limited').getStock(['SKU-00001']));
    expect(error).toMatchObject({ code: 'ERP_RATE_LIMITED', operation: 'getStock', retryAfterMs: 2000, transient: true });
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('maps 503 to ERP_UNAVAILABLE with the ERP’s own words', async () => {
    const error = await failure(connect('down').ping());
    expect(error).toMatchObject({ code: 'ERP_UNAVAILABLE', operation: 'ping', transient: true });
    expect(error.message).toBe('ping: the ERP answered 503: ERP is down for maintenance');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it.each([
    ['auth', 401],
    ['forbidden', 403],
  ])('maps %s (%i) to ERP_AUTH_FAILED', async (scenario) => {
    const error = await failure(connect(scenario).getSalesReps(['R01']));
    expect(error).toMatchObject({ code: 'ERP_AUTH_FAILED', operation: 'getSalesReps', transient: false });
  });

  it('maps another refusal (400) to ERP_BAD_RESPONSE', async () => {
    const error = await failure(connect('bad-request').getItems(['SKU-00001']));
    expect(error.code).toBe('ERP_BAD_RESPONSE');
    expect(error.message).toContain('ids: at most 500 keys per call');
  });

  it('gives up on an ERP that does not answer, with ERP_TIMEOUT', async () => {
    const started = Date.now();
    const error = await failure(connect('hang', 150).getItems(['SKU-00001']));
    expect(error).toMatchObject({ code: 'ERP_TIMEOUT', operation: 'getItems', transient: true });
    expect(error.message).toBe('getItems: no answer from the ERP within 150 ms');
    expect(error.cause).toBeDefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up on a body that stalls after the headers, with ERP_TIMEOUT', async () => {
    const error = await failure(connect('stall-body', 150).getItems(['SKU-00001']));
    expect(error.code).toBe('ERP_TIMEOUT');
  });

  it('treats the caller’s own deadline as ERP_TIMEOUT', async () => {
    const error = await failure(connect('hang').getItems(['SKU-00001'], { signal: AbortSignal.timeout(100) }));
    expect(error).toMatchObject({ code: 'ERP_TIMEOUT', operation: 'getItems' });
  });

  it('rejects with the caller’s reason when the caller gives up', async () => {
    const controller = new AbortController();
    const reason = new Error('buyer navigated away');
    const call = connect('hang').getItems(['SKU-00001'], { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(call).rejects.toBe(reason);
  });

  it('maps a refused connection to ERP_UNAVAILABLE', async () => {
    const closed = serve({ fetch: () => new Response('x'), port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => closed.once('listening', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(createSandboxConnector({ baseUrl: `http://127.0.0.1:${port}` }).ping());
    expect(error).toMatchObject({ code: 'ERP_UNAVAILABLE', operation: 'ping' });
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('uses the fetch it is given, and maps its network errors to ERP_UNAVAILABLE', async () => {
    const seen: string[] = [];
    const failing: typeof fetch = async (input) => {
      seen.push(String(input));
      throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
    };
    const connector = createSandboxConnector({ baseUrl: 'http://erp.invalid/', fetch: failing });
    const error = await failure(connector.getCustomers(['C0001', 'C0002']));
    expect(error).toMatchObject({ code: 'ERP_UNAVAILABLE', operation: 'getCustomers' });
    expect(error.message).toContain('ENOTFOUND');
    expect(seen).toEqual(['http://erp.invalid/api/v1/customers?ids=C0001,C0002']);
  });
});
