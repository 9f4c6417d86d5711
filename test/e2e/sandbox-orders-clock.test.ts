/**
 * Order progress in the sandbox ERP against a clock the test turns: steps dated exactly when they
 * fell due, the same orders however often they are read, a change of pace that moves only the
 * steps to come, and how orders of one unit, one line or fractional quantities ship. Through
 * `app.request()` (no Node server), which is also where a lost reply shows as a 504.
 */
import { describe, expect, it } from 'vitest';
import type { ErpOrder, ErpOrderRequest } from '../../src/ports/erp-connector.ts';
import { createSandboxApp } from '../../src/sandbox-erp/app.ts';

const START = Date.parse('2026-01-30T23:59:59.000Z');

function sandbox() {
  let now = START;
  const app = createSandboxApp({ now: () => new Date(now) });
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };
  return {
    at: (ms: number) => {
      now = START + ms;
    },
    faults: (faults: Record<string, unknown>) => request('POST', '/__control/faults', faults),
    create: async (order: ErpOrderRequest) => (await request('POST', '/api/v1/orders', order)).body as ErpOrder,
    find: async (ref: string) => (await request('GET', `/api/v1/orders?externalRef=${ref}`)).body.value[0] as ErpOrder,
    request,
  };
}

function order(ref: string, lines: ErpOrderRequest['lines'], overrides: Partial<ErpOrderRequest> = {}): ErpOrderRequest {
  return {
    externalRef: ref,
    customerId: 'C0001',
    poNumber: null,
    shipToId: 'C0001-ST1',
    requestedDate: null,
    currency: 'USD',
    payment: { method: 'ON_ACCOUNT' },
    notes: null,
    lines,
    ...overrides,
  };
}
const line = (sku: string, quantity: number, unitOfMeasure: string, unitPrice = '10.00') => ({ sku, quantity, unitPrice, unitOfMeasure });
const THREE_LINES = [line('SKU-00001', 4, 'EA'), line('SKU-00002', 2, 'BX'), line('SKU-00003', 1, 'PK')];

describe('order progress on the sandbox clock', () => {
  it('dates each step when it fell due, at orderStepMs apart, whenever the order is read', async () => {
    const erp = sandbox();
    await erp.faults({ orderStepMs: 1000 });
    await erp.create(order('A', THREE_LINES));
    erp.at(999);
    expect((await erp.find('A')).status).toBe('OPEN');
    erp.at(1000);
    const partial = await erp.find('A');
    expect(partial.status).toBe('PARTIALLY_SHIPPED');
    expect(partial.shipments).toEqual([
      expect.objectContaining({
        shippedAt: '2026-01-31T00:00:00.000Z',
        lines: [
          { sku: 'SKU-00001', quantity: 4 },
          { sku: 'SKU-00002', quantity: 2 },
        ],
      }),
    ]);
    erp.at(60_000);
    const invoiced = await erp.find('A');
    expect(invoiced.status).toBe('INVOICED');
    expect(invoiced.shipments.map((s) => [s.shippedAt, s.lines])).toEqual([
      [
        '2026-01-31T00:00:00.000Z',
        [
          { sku: 'SKU-00001', quantity: 4 },
          { sku: 'SKU-00002', quantity: 2 },
        ],
      ],
      ['2026-01-31T00:00:01.000Z', [{ sku: 'SKU-00003', quantity: 1 }]],
    ]);
    // Invoiced a day after it was ordered (the UTC date turned), due net 30 from then.
    expect(invoiced.invoices).toEqual([
      { number: 'INV-100001', kind: 'INVOICE', issuedAt: '2026-01-31', dueDate: '2026-03-02', total: '70.00', currency: 'USD', paid: false },
    ]);

    // A twin read only at the end holds exactly the same order: reading does not drive progress.
    const twin = sandbox();
    await twin.faults({ orderStepMs: 1000 });
    await twin.create(order('A', THREE_LINES));
    twin.at(60_000);
    expect(await twin.find('A')).toEqual(invoiced);
  });

  it('keeps the steps that happened when the pace changes, and moves the rest at the new pace', async () => {
    const erp = sandbox();
    await erp.create(order('A', THREE_LINES));
    erp.at(30_000);
    expect((await erp.find('A')).status).toBe('PARTIALLY_SHIPPED');
    await erp.faults({ orderStepMs: 100 });
    erp.at(30_150);
    const now = await erp.find('A');
    expect(now.status).toBe('SHIPPED');
    expect(now.shipments.map((s) => Date.parse(s.shippedAt) - START)).toEqual([30_000, 30_100]);
    await erp.faults({ orderStepMs: null });
    erp.at(10_000_000);
    expect((await erp.find('A')).status).toBe('SHIPPED');
  });

  it('ships a single line in two halves, fractional quantities exactly, and a single unit whole', async () => {
    const erp = sandbox();
    await erp.faults({ orderStepMs: 10 });
    await erp.create(order('five', [line('SKU-00001', 5, 'EA')]));
    await erp.create(order('metres', [line('SKU-00001', 2.7, 'EA')]));
    await erp.create(order('one', [line('SKU-00001', 1, 'EA')]));
    erp.at(10);
    expect((await erp.find('five')).lines[0]!.shippedQuantity).toBe(2);
    expect((await erp.find('metres')).lines[0]!.shippedQuantity).toBe(1);
    expect((await erp.find('one')).status).toBe('SHIPPED');
    erp.at(30);
    for (const ref of ['five', 'metres', 'one']) expect((await erp.find(ref)).status).toBe('INVOICED');
    expect((await erp.find('metres')).shipments.map((s) => s.lines[0]!.quantity)).toEqual([1, 1.7]);
    expect((await erp.find('one')).shipments).toHaveLength(1);
  });

  it('gives the same carriers and tracking numbers for the same seed and clock', async () => {
    const run = async () => {
      const erp = sandbox();
      await erp.faults({ orderStepMs: 10 });
      for (let i = 0; i < 6; i++) await erp.create(order(`R${i}`, THREE_LINES));
      erp.at(100);
      return (await erp.request('GET', '/api/v1/orders?customerId=C0001&limit=10')).body.value as ErpOrder[];
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first.map((o) => o.shipments[0]!.carrier)).size).toBeGreaterThan(1);
  });

  it('marks a card order’s invoice paid, dues an EUR customer on its own terms, and rounds line amounts half-even', async () => {
    const erp = sandbox();
    await erp.faults({ orderStepMs: 10 });
    await erp.create(order('card', [line('SKU-00001', 3, 'EA', '0.335')], { payment: { method: 'CARD', authorizationRef: 'auth_1' } }));
    const eur = await erp.create(
      order('eur', [line('SKU-00002', 2.5, 'BX', '1.25')], { customerId: 'C0006', shipToId: 'C0006-ST1', currency: 'EUR', poNumber: 'PO-9' }),
    );
    // 3 × 0.335 = 1.005 → 1.00; 2.5 × 1.25 = 3.125 → 3.12.
    expect((await erp.find('card')).total).toBe('1.00');
    expect(eur.total).toBe('3.12');
    erp.at(30);
    expect((await erp.find('card')).invoices[0]).toMatchObject({ paid: true, total: '1.00' });
    expect((await erp.find('eur')).invoices[0]).toMatchObject({ issuedAt: '2026-01-30', dueDate: '2026-03-31', currency: 'EUR', paid: false });
  });
});

describe('a lost reply without a socket to cut', () => {
  it('answers 504 after committing the order', async () => {
    const erp = sandbox();
    await erp.faults({ dropResponseAfterCommit: true });
    const lost = await erp.request('POST', '/api/v1/orders', order('lost', THREE_LINES));
    expect(lost).toEqual({ status: 504, body: { error: expect.stringContaining('Gateway timeout') } });
    expect((await erp.request('GET', '/__control/orders')).body.orders).toEqual([expect.objectContaining({ externalRef: 'lost', number: 'SO-100001' })]);
  });
});
