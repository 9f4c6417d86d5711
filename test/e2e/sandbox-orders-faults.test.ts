/**
 * The sandbox ERP's order faults over real HTTP, and what the connector makes of them: a reply
 * lost after the commit (the order exists, the client cannot know), refusals on demand, the
 * general faults (outage, errors, latency) on the order endpoints, reset, and the counters.
 */
import { describe, expect, it } from 'vitest';
import type { ErpConnector, ErpOrderRequest } from '../../src/ports/erp-connector.ts';
import { ErpError } from '../../src/ports/erp-error.ts';
import { createSandboxConnector } from '../../src/adapters/erp/sandbox/index.ts';
import { erpFailure, useSandboxErp } from '../support/sandbox-erp.ts';

const erp = useSandboxErp();
const { get, post, setFaults, heldOrders } = erp;
const failure = erpFailure;

let refs = 0;
function order(overrides: Partial<ErpOrderRequest> = {}): ErpOrderRequest {
  return {
    externalRef: `fault-${++refs}`,
    customerId: 'C0001',
    poNumber: null,
    shipToId: 'C0001-ST1',
    requestedDate: null,
    currency: 'USD',
    payment: { method: 'ON_ACCOUNT' },
    notes: null,
    lines: [{ sku: 'SKU-00001', quantity: 2, unitPrice: '21.41', unitOfMeasure: 'EA' }],
    ...overrides,
  };
}

describe('dropResponseAfterCommit', () => {
  it('enters the order and loses the reply: the connector sees ERP_UNAVAILABLE, findOrderByExternalRef finds the order', async () => {
    await setFaults({ dropResponseAfterCommit: 1 });
    const lost = order();
    const error = await failure(erp.connector.createOrder(lost));
    expect(error).toMatchObject({ code: 'ERP_UNAVAILABLE', operation: 'createOrder', transient: true });
    // The connection was cut without an HTTP answer.
    expect(error.message).toContain('UND_ERR_SOCKET');
    const held = await heldOrders();
    expect(held).toEqual([expect.objectContaining({ externalRef: lost.externalRef, number: 'SO-100001', status: 'OPEN' })]);
    expect(await erp.connector.findOrderByExternalRef(lost.externalRef)).toMatchObject({ number: 'SO-100001', lines: [{ sku: 'SKU-00001', quantity: 2 }] });
    // The count is used up: the next order is answered, and the fault reads off again.
    expect((await get('/__control/faults')).body.dropResponseAfterCommit).toBe(false);
    expect((await erp.connector.createOrder(order())).number).toBe('SO-100002');
  });

  it('with true loses every reply until turned off; a refused order is not dropped', async () => {
    await setFaults({ dropResponseAfterCommit: true });
    for (let i = 0; i < 2; i++) expect((await failure(erp.connector.createOrder(order()))).code).toBe('ERP_UNAVAILABLE');
    const refused = await failure(erp.connector.createOrder(order({ customerId: 'C0004', shipToId: 'C0004-ST1' })));
    expect(refused).toMatchObject({ code: 'ERP_REJECTED', reason: 'CREDIT_HOLD' });
    expect((await get('/__control/faults')).body.dropResponseAfterCommit).toBe(true);
    await setFaults({ dropResponseAfterCommit: false });
    expect((await erp.connector.createOrder(order())).number).toBe('SO-100003');
    expect((await heldOrders()).map((o) => o.number)).toEqual(['SO-100001', 'SO-100002', 'SO-100003']);
    // Reads were never dropped, and the sandbox kept serving.
    expect((await get('/api/v1/health')).status).toBe(200);
  });
});

describe('rejectNext', () => {
  it('refuses the next order with 422 REJECTED and the test fault’s message, entering nothing', async () => {
    await setFaults({ rejectNext: 1 });
    expect(await post('/api/v1/orders', order())).toEqual({ status: 422, body: { error: 'Refused by the ERP (test fault)', reason: 'REJECTED' } });
    expect((await post('/api/v1/orders', order())).status).toBe(201);
    expect(await heldOrders()).toHaveLength(1);
  });

  it('refuses the next N orders with the reason given; the connector answers ERP_REJECTED with it', async () => {
    expect((await post('/__control/faults', { rejectNext: { count: 2, reason: 'CREDIT_LIMIT_EXCEEDED' } })).body.rejectNext).toEqual({
      count: 2,
      reason: 'CREDIT_LIMIT_EXCEEDED',
      message: 'Refused by the ERP (test fault)',
    });
    for (let i = 0; i < 2; i++) {
      const error = await failure(erp.connector.createOrder(order()));
      expect(error).toMatchObject({ code: 'ERP_REJECTED', reason: 'CREDIT_LIMIT_EXCEEDED', operation: 'createOrder', transient: false });
      expect(error.message).toContain('Refused by the ERP (test fault)');
    }
    expect((await get('/__control/faults')).body.rejectNext).toBeNull();
    expect((await erp.connector.createOrder(order())).number).toBe('SO-100001');
  });

  it('refuses invalid order faults, naming the field', async () => {
    for (const [faults, field] of [
      [{ rejectNext: -1 }, 'rejectNext'],
      [{ rejectNext: { count: 1, reason: 'lower case' } }, 'rejectNext'],
      [{ dropResponseAfterCommit: 'yes' }, 'dropResponseAfterCommit'],
      [{ orderStepMs: 0 }, 'orderStepMs'],
    ] as const) {
      expect(await post('/__control/faults', faults)).toEqual({ status: 400, body: { error: expect.stringMatching(new RegExp(`^${field}(\\.\\w+)?: `)) } });
    }
    expect((await post('/__control/faults', { rejectNext: 0, dropResponseAfterCommit: 0 })).body).toMatchObject({
      rejectNext: null,
      dropResponseAfterCommit: false,
    });
  });
});

describe('general faults on the order endpoints', () => {
  it('an outage refuses creates and reads with 503; the connector sees ERP_UNAVAILABLE; nothing is entered', async () => {
    await setFaults({ outage: true });
    expect(await post('/api/v1/orders', order())).toEqual({ status: 503, body: { error: 'ERP is down for maintenance' } });
    expect((await get('/api/v1/orders?externalRef=x')).status).toBe(503);
    expect(await failure(erp.connector.createOrder(order()))).toMatchObject({ code: 'ERP_UNAVAILABLE', operation: 'createOrder' });
    expect(await failure(erp.connector.findOrderByExternalRef('x'))).toMatchObject({ code: 'ERP_UNAVAILABLE', operation: 'findOrderByExternalRef' });
    expect(await failure(erp.connector.listOrders('C0001', { offset: 0, limit: 5 }))).toMatchObject({ code: 'ERP_UNAVAILABLE', operation: 'listOrders' });
    await setFaults({ outage: false });
    expect(await heldOrders()).toEqual([]);
    expect((await get('/__control/stats')).body.rejected.outage).toBe(5);
  });

  it('errorRate answers 500 before the order is entered; rate limits answer 429', async () => {
    await setFaults({ errorRate: 1 });
    expect((await post('/api/v1/orders', order())).status).toBe(500);
    // A reset empties the rate window, which the request that failed above is in.
    await post('/__control/reset', {});
    await setFaults({ rps: 1 });
    await erp.connector.createOrder(order());
    expect(await failure(erp.connector.createOrder(order()))).toMatchObject({ code: 'ERP_RATE_LIMITED', retryAfterMs: 1000 });
    expect(await heldOrders()).toHaveLength(1);
  });

  it('times out a slow create as ERP_TIMEOUT, though the ERP enters the order after all', async () => {
    await setFaults({ latencyMs: 300 });
    const slow = order();
    const hasty = createSandboxConnector({ baseUrl: erp.sandbox.url, timeoutMs: 100 });
    expect(await failure(hasty.createOrder(slow))).toMatchObject({ code: 'ERP_TIMEOUT', transient: true });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await setFaults({ latencyMs: 0 });
    expect((await erp.connector.findOrderByExternalRef(slow.externalRef))?.number).toBe('SO-100001');
  });

  it('counts order operations, and maxInFlight across all API requests', async () => {
    await setFaults({ latencyMs: 150 });
    await Promise.all([
      erp.connector.createOrder(order()),
      erp.connector.createOrder(order()),
      erp.connector.findOrderByExternalRef('fault-1'),
      erp.connector.listOrders('C0001', { offset: 0, limit: 5 }),
      erp.connector.ping(),
    ]);
    const stats = (await get('/__control/stats')).body;
    expect(stats.byOperation).toMatchObject({ createOrder: 2, findOrderByExternalRef: 1, listOrders: 1, ping: 1 });
    expect(stats.maxInFlight).toBe(5);
    expect(stats.inFlight).toBe(0);
  });
});

describe('reset', () => {
  it('clears the orders, restores the customers’ credit, and numbers from SO-100001 again', async () => {
    const before = (await get('/api/v1/customers?ids=C0001')).body.value[0].credit;
    await erp.connector.createOrder(order());
    await erp.connector.createOrder(order());
    await setFaults({ rejectNext: 3, dropResponseAfterCommit: 2, orderStepMs: 50 });
    expect((await get('/api/v1/customers?ids=C0001')).body.value[0].credit).not.toEqual(before);
    await post('/__control/reset', {});
    expect(await heldOrders()).toEqual([]);
    expect((await get('/api/v1/customers?ids=C0001')).body.value[0].credit).toEqual(before);
    expect((await get('/__control/faults')).body).toMatchObject({ rejectNext: null, dropResponseAfterCommit: false, orderStepMs: 30_000 });
    expect((await erp.connector.createOrder(order())).number).toBe('SO-100001');
  });
});

describe("a slow ERP: order entry that outlives the client, the ERP's own time limit, its duplicate check", () => {
  it('orderLatencyMs: the client times out, the ERP commits the order afterwards all the same', async () => {
    await setFaults({ orderLatencyMs: 600, orderLatencyCount: 1 });
    const impatient = createSandboxConnector({ baseUrl: erp.sandbox.url, timeoutMs: 150 });
    const slow = order();
    expect(await failure(impatient.createOrder(slow))).toMatchObject({ code: 'ERP_TIMEOUT' });
    // Right after the timeout the ERP has not committed it yet: a lookup finds nothing...
    expect(await impatient.findOrderByExternalRef(slow.externalRef)).toBeNull();
    await new Promise((r) => setTimeout(r, 800));
    // ...and then it is there. The count is used up: the next order is quick.
    expect(await impatient.findOrderByExternalRef(slow.externalRef)).toMatchObject({ number: 'SO-100001' });
    expect((await get('/__control/faults')).body.orderLatencyCount).toBe(0);
    expect((await impatient.createOrder(order())).number).toBe('SO-100002');
  });

  it("maxRequestMs: a request still running past the ERP's own limit is abandoned and commits nothing", async () => {
    await setFaults({ orderLatencyMs: 1000, maxRequestMs: 300 });
    const abandoned = order();
    const started = Date.now();
    expect(await failure(erp.connector.createOrder(abandoned))).toMatchObject({ code: 'ERP_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(900);
    await new Promise((r) => setTimeout(r, 900));
    expect(await heldOrders()).toEqual([]);
    expect((await get('/__control/stats')).body.rejected.timeLimit).toBe(1);
    // The general latency is cut off by the same limit.
    await setFaults({ orderLatencyMs: 0, latencyMs: 1000 });
    expect(await failure(erp.connector.getItems(['SKU-00001']))).toMatchObject({ code: 'ERP_UNAVAILABLE' });
  });

  it('uniqueExternalRefs: a second order with one reference is refused as a duplicate (ERP_DUPLICATE_REF); off by default', async () => {
    const twice = order();
    await erp.connector.createOrder(twice);
    expect((await erp.connector.createOrder(twice)).number).toBe('SO-100002');
    await setFaults({ uniqueExternalRefs: true });
    const unique = createSandboxConnector({ baseUrl: erp.sandbox.url, uniqueExternalRefs: true });
    expect(unique.refusesDuplicateExternalRef).toBe(true);
    const once = order();
    await unique.createOrder(once);
    expect(await failure(unique.createOrder(once))).toMatchObject({ code: 'ERP_DUPLICATE_REF', transient: false });
    expect((await heldOrders()).filter((o) => o.externalRef === once.externalRef)).toHaveLength(1);
    expect((await unique.findOrdersByExternalRef(twice.externalRef)).map((o) => o.number)).toEqual(['SO-100001', 'SO-100002']);
  });

  it('cancels an order that has not shipped; refuses one that has', async () => {
    const first = await erp.connector.createOrder(order());
    expect(await erp.connector.cancelOrder!(first.number)).toMatchObject({ number: first.number, status: 'CANCELLED' });
    const second = await erp.connector.createOrder(order());
    await post('/__control/orders/advance', { number: second.number });
    expect(await failure(erp.connector.cancelOrder!(second.number))).toMatchObject({ code: 'ERP_REJECTED', reason: 'ALREADY_SHIPPED' });
  });
});
