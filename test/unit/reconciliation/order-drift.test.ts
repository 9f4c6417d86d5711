/**
 * What counts as drift between an order erpfront submitted and the ERP's entries for its
 * reference: the rules reconciliation reports by, one case each.
 */
import { describe, expect, it } from 'vitest';
import { driftOf } from '../../../src/features/reconciliation/order-drift.ts';
import type { ErpOrder, ErpOrderLine } from '../../../src/ports/erp-connector.ts';
import type { StoredOrder } from '../../../src/ports/order-store.ts';

const LINES: ErpOrderLine[] = [
  { sku: 'SKU-00001', quantity: 3, unitPrice: '21.405', unitOfMeasure: 'EA' },
  { sku: 'SKU-00002', quantity: 2, unitPrice: '12.00', unitOfMeasure: 'BX' },
];

function stored(lines = LINES, total = '88.22'): StoredOrder {
  return {
    id: 'ord_1',
    seq: 1,
    customerId: 'C0001',
    status: 'SUBMITTED',
    total,
    currency: 'USD',
    placedBy: 'buyer',
    creditDecision: { decision: 'APPROVE', reason: null },
    request: {
      externalRef: 'ord_1',
      customerId: 'C0001',
      poNumber: null,
      shipToId: 'C0001-ST1',
      requestedDate: null,
      currency: 'USD',
      payment: { method: 'ON_ACCOUNT' },
      notes: null,
      lines,
    },
    idempotencyKey: null,
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:00:00.000Z',
    submittedAt: '2026-11-29T10:00:00.000Z',
    erpOrderNumber: 'SO-100001',
    attempts: 1,
    inDoubt: false,
    sentBefore: null,
    nextAttemptAt: 0,
    lastError: null,
    rejection: null,
  };
}

function inErp(overrides: Partial<ErpOrder> = {}, lines: ErpOrderLine[] = LINES): ErpOrder {
  return {
    number: 'SO-100001',
    externalRef: 'ord_1',
    customerId: 'C0001',
    status: 'OPEN',
    poNumber: null,
    createdAt: '2026-11-29T10:00:00.100Z',
    currency: 'USD',
    // The ERP rounds each line first: 64.22 + 24.00.
    total: '88.22',
    lines: lines.map((l) => ({ ...l, shippedQuantity: 0 })),
    shipments: [],
    invoices: [],
    ...overrides,
  };
}

describe('drift of one order', () => {
  it('none when the ERP holds what was submitted: lines in another order, decimals written otherwise, totals a rounding apart', () => {
    const reordered = [
      { ...LINES[1]!, unitPrice: '12' },
      { ...LINES[0]!, quantity: 3.0, unitPrice: '21.4050' },
    ];
    expect(driftOf(stored(LINES, '88.21'), [inErp({ total: '88.22' }, reordered)])).toEqual([]);
  });

  it('LINES_DIFFER with each difference: quantity, unit price, unit, a line on one side only, and the total', () => {
    const edited = [
      { ...LINES[0]!, quantity: 5, unitOfMeasure: 'PK' },
      { sku: 'SKU-00009', quantity: 1, unitPrice: '1.00', unitOfMeasure: 'EA' },
    ];
    const [drift, ...more] = driftOf(stored(), [inErp({ total: '108.03' }, edited)]);
    expect(more).toEqual([]);
    expect(drift).toMatchObject({ kind: 'LINES_DIFFER', erpOrderNumber: 'SO-100001' });
    expect(drift!.differences).toEqual([
      { field: 'quantity', sku: 'SKU-00001', erpfront: '3', erp: '5' },
      { field: 'unitOfMeasure', sku: 'SKU-00001', erpfront: 'EA', erp: 'PK' },
      { field: 'line', sku: 'SKU-00002', erpfront: '2 BX at 12', erp: null },
      { field: 'line', sku: 'SKU-00009', erpfront: null, erp: '1 EA at 1' },
      { field: 'total', sku: null, erpfront: '88.22 USD', erp: '108.03 USD' },
    ]);
    expect(drift!.detail).toBe(
      "The ERP's order SO-100001 has other lines than erpfront submitted: SKU-00001 quantity 3 in erpfront, 5 in the ERP; SKU-00001 unitOfMeasure EA in erpfront, PK in the ERP; " +
        'line SKU-00002 (2 BX at 12) is missing in the ERP; line SKU-00009 (1 EA at 1) is only in the ERP; total 88.22 USD in erpfront, 108.03 USD in the ERP.',
    );
  });

  it('a changed unit price is a line difference', () => {
    const [drift] = driftOf(stored(), [inErp({ total: '86.22' }, [LINES[0]!, { ...LINES[1]!, unitPrice: '11.00' }])]);
    expect(drift!.differences[0]).toEqual({ field: 'unitPrice', sku: 'SKU-00002', erpfront: '12', erp: '11' });
  });

  it('TOTAL_DIFFERS when the lines agree and the total is more than rounding apart, or in another currency', () => {
    expect(driftOf(stored(), [inErp({ total: '80.00' })])).toEqual([
      {
        kind: 'TOTAL_DIFFERS',
        erpOrderNumber: 'SO-100001',
        differences: [{ field: 'total', sku: null, erpfront: '88.22 USD', erp: '80.00 USD' }],
        detail: expect.stringContaining('another total'),
      },
    ]);
    expect(driftOf(stored(), [inErp({ currency: 'EUR' })])[0]).toMatchObject({
      kind: 'TOTAL_DIFFERS',
      differences: [{ field: 'currency', erpfront: 'USD', erp: 'EUR' }],
    });
  });

  it('DUPLICATE_IN_ERP when more than one live entry has the reference; a cancelled extra is no duplicate; the number erpfront was given is compared', () => {
    const extra = inErp({ number: 'SO-100002', total: '1.00' }, [{ sku: 'SKU-00001', quantity: 1, unitPrice: '1.00', unitOfMeasure: 'EA' }]);
    const found = driftOf(stored(), [extra, inErp()]);
    expect(found).toEqual([
      expect.objectContaining({
        kind: 'DUPLICATE_IN_ERP',
        erpOrderNumber: 'SO-100001',
        differences: [{ field: 'erpOrders', sku: null, erpfront: '1', erp: '2' }],
      }),
    ]);
    expect(found[0]!.detail).toContain('SO-100002 (OPEN), SO-100001 (OPEN)');
    expect(driftOf(stored(), [{ ...extra, status: 'CANCELLED' }, inErp()])).toEqual([]);
  });
});
