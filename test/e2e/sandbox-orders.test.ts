/**
 * Orders in the sandbox ERP, over real HTTP: entering them (no deduplication by external
 * reference, credit holds and limits, refusals with reasons), their progress to shipped and
 * invoiced, the order faults (a reply lost after the commit, refusals on demand), and the
 * general faults applied to orders. Raw REST to see exactly what the ERP holds, the connector to
 * see what erpfront would see.
 */
import { describe, expect, it } from 'vitest';
import type { CustomerAccount, ErpConnector, ErpOrder, ErpOrderRequest } from '../../src/ports/erp-connector.ts';
import { ErpError } from '../../src/ports/erp-error.ts';
import { erpFailure, useSandboxErp } from '../support/sandbox-erp.ts';

const erp = useSandboxErp();
const { call, get, post, setFaults, heldOrders } = erp;
const credit = async (id: string): Promise<CustomerAccount['credit']> => (await get(`/api/v1/customers?ids=${id}`)).body.value[0].credit;
const failure = erpFailure;

const LINES = [
  { sku: 'SKU-00001', quantity: 3, unitPrice: '21.41', unitOfMeasure: 'EA' },
  { sku: 'SKU-00002', quantity: 2, unitPrice: '12.00', unitOfMeasure: 'BX' },
];
const TOTAL = '88.23';
let refs = 0;
function order(overrides: Partial<ErpOrderRequest> = {}): ErpOrderRequest {
  return {
    externalRef: `e2e-${++refs}`,
    customerId: 'C0001',
    poNumber: null,
    shipToId: 'C0001-ST1',
    requestedDate: null,
    currency: 'USD',
    payment: { method: 'ON_ACCOUNT' },
    notes: null,
    lines: LINES,
    ...overrides,
  };
}

describe('entering orders', () => {
  it('enters an order: 201, numbered SO-100001 on, OPEN, totalled; the customer’s open orders rise by it', async () => {
    const before = await credit('C0001');
    const { status, body } = await post('/api/v1/orders', order({ poNumber: 'PO-1', notes: 'gate 2' }));
    expect(status).toBe(201);
    expect(body).toMatchObject({
      number: 'SO-100001',
      customerId: 'C0001',
      status: 'OPEN',
      poNumber: 'PO-1',
      currency: 'USD',
      total: TOTAL,
      shipments: [],
      invoices: [],
    });
    expect(body.lines).toEqual(LINES.map((line) => ({ ...line, shippedQuantity: 0 })));
    expect(Math.abs(Date.parse(body.createdAt) - Date.now())).toBeLessThan(5000);
    expect((await post('/api/v1/orders', order())).body.number).toBe('SO-100002');
    const after = await credit('C0001');
    expect(Number(after.openOrders)).toBeCloseTo(Number(before.openOrders) + 2 * Number(TOTAL), 2);
    expect(after.balance).toBe(before.balance);
  });

  it('does not deduplicate by externalRef: the same order sent twice is two orders', async () => {
    const twice = order({ externalRef: 'sent-twice' });
    await erp.connector.createOrder(twice);
    await erp.connector.createOrder(twice);
    const held = await heldOrders();
    expect(held.map((o) => [o.externalRef, o.number])).toEqual([
      ['sent-twice', 'SO-100001'],
      ['sent-twice', 'SO-100002'],
    ]);
    expect(held[0]).toEqual({
      externalRef: 'sent-twice',
      number: 'SO-100001',
      customerId: 'C0001',
      lines: LINES,
      status: 'OPEN',
      createdAt: expect.any(String),
      total: TOTAL,
    });
    expect((await get('/api/v1/orders?externalRef=sent-twice')).body.value).toHaveLength(2);
    expect((await erp.connector.findOrderByExternalRef('sent-twice'))!.number).toBe('SO-100001');
  });

  it('refuses an order on account from a customer on credit hold, and takes its card order', async () => {
    const onHold = { customerId: 'C0004', shipToId: 'C0004-ST1' };
    const refused = await post('/api/v1/orders', order(onHold));
    expect(refused).toEqual({ status: 422, body: { error: expect.stringContaining('credit hold'), reason: 'CREDIT_HOLD' } });
    const error = await failure(erp.connector.createOrder(order(onHold)));
    expect(error).toMatchObject({ code: 'ERP_REJECTED', reason: 'CREDIT_HOLD', operation: 'createOrder', transient: false });
    const before = await credit('C0004');
    const card = await erp.connector.createOrder(order({ ...onHold, payment: { method: 'CARD', authorizationRef: 'auth_7Hq2' } }));
    expect(card.status).toBe('OPEN');
    // Card orders are paid by the card, not on credit.
    expect(await credit('C0004')).toEqual(before);
    expect((await heldOrders()).map((o) => o.number)).toEqual([card.number]);
  });

  it('refuses an order beyond the credit limit, counting the open orders; never enters it on hold', async () => {
    // C0005: limit 10000.00, balance 8000.00, open orders 1600.00: 400.00 available.
    const at = (unitPrice: string, quantity = 1) => order({ customerId: 'C0005', shipToId: 'C0005-ST1', lines: [{ ...LINES[0]!, quantity, unitPrice }] });
    expect((await post('/api/v1/orders', at('50.00', 7))).status).toBe(201);
    const over = await post('/api/v1/orders', at('50.01'));
    expect(over).toEqual({ status: 422, body: { error: expect.stringContaining('50.00 of 10000.00'), reason: 'CREDIT_LIMIT_EXCEEDED' } });
    expect(await failure(erp.connector.createOrder(at('50.01')))).toMatchObject({ code: 'ERP_REJECTED', reason: 'CREDIT_LIMIT_EXCEEDED' });
    expect((await post('/api/v1/orders', at('50.00'))).status).toBe(201);
    expect(await credit('C0005')).toMatchObject({ openOrders: '2000.00', balance: '8000.00', onHold: false });
    expect((await heldOrders()).map((o) => o.status)).toEqual(['OPEN', 'OPEN']);
  });

  it.each([
    ['UNKNOWN_CUSTOMER', { customerId: 'C9999' }],
    ['UNKNOWN_SHIP_TO', { shipToId: 'C0002-ST1' }],
    ['UNKNOWN_ITEM', { lines: [{ sku: 'SKU-99999', quantity: 1, unitPrice: '1.00', unitOfMeasure: 'EA' }] }],
    ['ITEM_NOT_SOLD', { lines: [{ sku: 'SKU-00050', quantity: 1, unitPrice: '1.00', unitOfMeasure: 'RO' }] }],
    ['ITEM_NOT_SOLD', { lines: [LINES[0]!, { sku: 'SKU-00049', quantity: 1, unitPrice: '1.00', unitOfMeasure: 'EA' }] }],
    ['REJECTED', { customerId: 'C0003', shipToId: 'C0003-ST1', poNumber: null }],
    ['REJECTED', { currency: 'EUR' }],
    ['REJECTED', { lines: [{ ...LINES[0]!, unitOfMeasure: 'BX' }] }],
  ] as const)('refuses with %s: %j', async (reason, overrides) => {
    const { status, body } = await post('/api/v1/orders', order(overrides as Partial<ErpOrderRequest>));
    expect(status).toBe(422);
    expect(body).toEqual({ error: expect.any(String), reason });
    expect(await heldOrders()).toEqual([]);
  });

  it('answers 400 naming the field for a malformed order', async () => {
    const { payment: _payment, ...noPayment } = order();
    const cases: Array<[unknown, RegExp]> = [
      [order({ lines: [{ ...LINES[0]!, unitPrice: 21.41 as unknown as string }] }), /^lines\.0\.unitPrice: /],
      [noPayment, /^payment: /],
      [order({ lines: [] }), /^lines: expected at least one line/],
      [order({ requestedDate: '2026-02-30' }), /^requestedDate: /],
      [order({ externalRef: '  ' }), /^externalRef: /],
    ];
    for (const [body, message] of cases) {
      expect(await post('/api/v1/orders', body)).toEqual({ status: 400, body: { error: expect.stringMatching(message) } });
    }
    const notJson = await call('/api/v1/orders', { method: 'POST', body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(await heldOrders()).toEqual([]);
  });

  it('lists a customer’s orders newest first, paged, apart from other customers’', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 5; i++) numbers.push((await erp.connector.createOrder(order())).number);
    await erp.connector.createOrder(order({ customerId: 'C0002', shipToId: 'C0002-ST1' }));
    const newestFirst = [...numbers].reverse();
    const all = await erp.connector.listOrders('C0001', { offset: 0, limit: 20 });
    expect(all.total).toBe(5);
    expect(all.orders.map((o) => o.number)).toEqual(newestFirst);
    expect((await erp.connector.listOrders('C0001', { offset: 1, limit: 2 })).orders.map((o) => o.number)).toEqual(newestFirst.slice(1, 3));
    expect(await erp.connector.listOrders('C0003', { offset: 0, limit: 20 })).toEqual({ orders: [], total: 0 });
    expect((await get('/api/v1/orders?customerId=C0001&limit=101')).status).toBe(400);
    expect((await get('/api/v1/orders')).status).toBe(400);
  });
});

describe('order progress', () => {
  it('moves on by itself every orderStepMs: part shipped, the rest shipped, then invoiced on the customer’s terms', async () => {
    const before = await credit('C0001');
    await setFaults({ orderStepMs: 100 });
    const created = await erp.connector.createOrder(order());
    let seen: ErpOrder | null = created;
    const statuses = new Set<string>([created.status]);
    const deadline = Date.now() + 5000;
    while (seen?.status !== 'INVOICED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = await erp.connector.findOrderByExternalRef(created.externalRef!);
      statuses.add(seen!.status);
    }
    const done = seen!;
    expect(done.status).toBe('INVOICED');
    expect([...statuses].every((s) => ['OPEN', 'PARTIALLY_SHIPPED', 'SHIPPED', 'INVOICED'].includes(s))).toBe(true);
    const [first, rest] = done.shipments;
    expect(done.shipments).toHaveLength(2);
    expect(first!.lines).toEqual([{ sku: 'SKU-00001', quantity: 3 }]);
    expect(rest!.lines).toEqual([{ sku: 'SKU-00002', quantity: 2 }]);
    const created0 = Date.parse(done.createdAt);
    expect(Date.parse(first!.shippedAt) - created0).toBe(100);
    expect(Date.parse(rest!.shippedAt) - created0).toBe(200);
    for (const shipment of done.shipments) {
      expect(['UPS', 'FedEx', 'DHL']).toContain(shipment.carrier);
      expect(shipment.trackingNumber).toMatch(/^(1Z[0-9A-Z]{16}|\d{12}|\d{10})$/);
    }
    expect(done.lines.map((l) => l.shippedQuantity)).toEqual([3, 2]);
    const [invoice] = done.invoices;
    expect(invoice).toMatchObject({ kind: 'INVOICE', total: TOTAL, currency: 'USD', paid: false });
    expect(invoice!.number).toMatch(/\S/);
    // C0001 pays net 30.
    expect(Date.parse(invoice!.dueDate) - Date.parse(invoice!.issuedAt)).toBe(30 * 86_400_000);
    // Invoiced: no longer an open order, now owed.
    const after = await credit('C0001');
    expect(after.openOrders).toBe(before.openOrders);
    expect(Number(after.balance)).toBeCloseTo(Number(before.balance) + Number(TOTAL), 2);
  });

  it('moves one step per POST /__control/orders/advance, and only then when orderStepMs is null', async () => {
    await setFaults({ orderStepMs: null });
    const { number } = await erp.connector.createOrder(order());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await heldOrders())[0].status).toBe('OPEN');
    const step = () => post('/__control/orders/advance', { number });
    const partial = await step();
    expect(partial.body).toMatchObject({ status: 'PARTIALLY_SHIPPED', lines: [{ shippedQuantity: 3 }, { shippedQuantity: 0 }] });
    expect(partial.body.shipments).toHaveLength(1);
    expect((await step()).body).toMatchObject({ status: 'SHIPPED', lines: [{ shippedQuantity: 3 }, { shippedQuantity: 2 }] });
    expect((await step()).body.invoices).toHaveLength(1);
    expect((await heldOrders())[0].status).toBe('INVOICED');
    expect((await step()).status).toBe(409);
    expect((await post('/__control/orders/advance', { number: 'SO-999999' })).status).toBe(404);
  });
});
