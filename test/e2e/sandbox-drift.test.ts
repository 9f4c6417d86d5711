/**
 * The sandbox ERP's drift controls, over real HTTP: an order deleted or a line changed behind the
 * facade's back, as the connector (what erpfront sees) and the order list then show it.
 */
import { describe, expect, it } from 'vitest';
import type { CustomerAccount, ErpOrderRequest } from '../../src/ports/erp-connector.ts';
import { useSandboxErp } from '../support/sandbox-erp.ts';

const erp = useSandboxErp();
const { call, get, post, heldOrders } = erp;
const credit = async (id: string): Promise<CustomerAccount['credit']> => (await get(`/api/v1/customers?ids=${id}`)).body.value[0].credit;
const json = (method: string, body?: unknown) => ({
  method,
  ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
});

const LINES = [
  { sku: 'SKU-00001', quantity: 3, unitPrice: '21.41', unitOfMeasure: 'EA' },
  { sku: 'SKU-00002', quantity: 2, unitPrice: '12.00', unitOfMeasure: 'BX' },
];
let refs = 0;
function order(overrides: Partial<ErpOrderRequest> = {}): ErpOrderRequest {
  return {
    externalRef: `drift-${++refs}`,
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

describe('DELETE /__control/orders/{externalRef}', () => {
  it('deletes the order: the ERP no longer finds it, its credit is released, its number is not given out again', async () => {
    const before = await credit('C0001');
    const kept = await erp.connector.createOrder(order());
    const doomed = await erp.connector.createOrder(order({ externalRef: 'ord/with spaces' }));
    const deleted = await call(`/__control/orders/${encodeURIComponent('ord/with spaces')}`, json('DELETE'));
    expect(deleted).toEqual({ status: 200, body: { deleted: [expect.objectContaining({ number: doomed.number, externalRef: 'ord/with spaces' })] } });
    expect(await erp.connector.findOrdersByExternalRef('ord/with spaces')).toEqual([]);
    expect((await heldOrders()).map((o) => o.number)).toEqual([kept.number]);
    expect(Number((await credit('C0001')).openOrders)).toBeCloseTo(Number(before.openOrders) + Number(kept.total), 2);
    expect((await erp.connector.listOrders('C0001', { offset: 0, limit: 10 })).orders.map((o) => o.number)).toEqual([kept.number]);
    // The next order is numbered on: two orders never share a number.
    expect((await erp.connector.createOrder(order())).number).toBe('SO-100003');
  });

  it('answers 404 for a reference the ERP does not hold', async () => {
    expect(await call('/__control/orders/nobody', json('DELETE'))).toEqual({ status: 404, body: { error: 'No order with external reference nobody' } });
  });
});

describe('PATCH /__control/orders/{externalRef}', () => {
  it("changes a line's quantity and unit price; the total follows, the other lines stay", async () => {
    const placed = await erp.connector.createOrder(order({ externalRef: 'edited' }));
    const changed = await call('/__control/orders/edited', json('PATCH', { sku: 'SKU-00002', quantity: 5, unitPrice: '11.50' }));
    expect(changed.status).toBe(200);
    const [seen] = await erp.connector.findOrdersByExternalRef('edited');
    expect(seen).toMatchObject({ number: placed.number, total: '121.73' });
    expect(seen!.lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([
      ['SKU-00001', 3, '21.41'],
      ['SKU-00002', 5, '11.50'],
    ]);
    expect(changed.body.orders).toEqual([expect.objectContaining({ number: placed.number, total: '121.73', lines: seen!.lines })]);
    // Changed back: the order is as entered again.
    await call('/__control/orders/edited', json('PATCH', { sku: 'SKU-00002', quantity: 2, unitPrice: '12.00' }));
    expect((await erp.connector.findOrdersByExternalRef('edited'))[0]).toMatchObject({ total: placed.total, lines: placed.lines });
  });

  it('refuses what it cannot apply: 404 for an unknown reference or SKU, 400 naming the field', async () => {
    await erp.connector.createOrder(order({ externalRef: 'kept-as-is' }));
    expect((await call('/__control/orders/nobody', json('PATCH', { sku: 'SKU-00001', quantity: 1 }))).status).toBe(404);
    expect(await call('/__control/orders/kept-as-is', json('PATCH', { sku: 'SKU-00099', quantity: 1 }))).toEqual({
      status: 404,
      body: { error: 'The order kept-as-is has no line of SKU-00099' },
    });
    expect(await call('/__control/orders/kept-as-is', json('PATCH', { sku: 'SKU-00001', quantity: -1 }))).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^quantity: /) },
    });
    expect(await call('/__control/orders/kept-as-is', json('PATCH', { sku: 'SKU-00001', unitPrice: 9.5 }))).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^unitPrice: /) },
    });
    expect((await call('/__control/orders/kept-as-is', json('PATCH', { sku: 'SKU-00001' }))).status).toBe(400);
    expect((await call('/__control/orders/kept-as-is', json('PATCH'))).status).toBe(400);
    expect((await erp.connector.findOrdersByExternalRef('kept-as-is'))[0]!.lines).toEqual(LINES.map((l) => ({ ...l, shippedQuantity: 0 })));
  });

  it('reset brings numbering back to SO-100001 after deletions', async () => {
    await erp.connector.createOrder(order({ externalRef: 'gone' }));
    await call('/__control/orders/gone', json('DELETE'));
    await post('/__control/reset', {});
    expect((await erp.connector.createOrder(order())).number).toBe('SO-100001');
  });
});
