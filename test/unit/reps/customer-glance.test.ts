/**
 * A rep's customer at a glance, pure: open orders are the ERP's plus erpfront's on their way (an
 * order submitted after the ERP's summary was read still counts, one submitted before does not
 * count twice), orders awaiting approval apart, and overdue invoices decided against UTC today.
 */
import { describe, expect, it } from 'vitest';
import { creditStatus } from '../../../src/domain/credit/credit-status.ts';
import { awaitingApprovalGlance, creditState, openOrdersGlance, overdueGlance } from '../../../src/features/reps/services/customer-glance.ts';
import type { OpenInvoice } from '../../../src/ports/erp-connector.ts';
import type { LocalOrderStatus, StoredOrder } from '../../../src/ports/order-store.ts';

const AS_OF = '2026-11-23T10:00:00.000Z';
const order = (status: LocalOrderStatus, total: string, submittedAt: string | null = null) => ({ status, total, currency: 'USD', submittedAt }) as StoredOrder;
const invoice = (dueDate: string, total: string, fields: Partial<OpenInvoice> = {}): OpenInvoice => ({
  number: `INV-${dueDate}`,
  kind: 'INVOICE',
  issuedAt: '2026-09-01',
  dueDate,
  total,
  currency: 'USD',
  paid: false,
  orderNumber: null,
  ...fields,
});

describe('open orders', () => {
  it("the ERP's, plus queued and held ones, plus those submitted after the summary was read", () => {
    const summary = { value: { customerId: 'C1', count: 2, total: '100.00', currency: 'USD' }, asOf: AS_OF, stale: false };
    const local = {
      waiting: [order('QUEUED', '10.00'), order('ON_HOLD', '5.50'), order('PENDING_APPROVAL', '999.00')],
      submitted: [order('SUBMITTED', '7.00', '2026-11-23T10:00:01.000Z'), order('SUBMITTED', '1000.00', '2026-11-23T09:59:59.000Z')],
    };
    expect(openOrdersGlance(summary, local)).toEqual({ count: 5, total: { amount: '122.50', currency: 'USD' }, inErpfront: 3, asOf: AS_OF, stale: false });
    expect(openOrdersGlance(summary, null)).toMatchObject({ count: 2, inErpfront: 0, total: { amount: '100.00' } });
  });

  it('orders awaiting approval are counted apart', () => {
    expect(awaitingApprovalGlance({ waiting: [order('QUEUED', '1.00')], submitted: [] })).toEqual({ count: 0, total: null });
    expect(awaitingApprovalGlance({ waiting: [order('PENDING_APPROVAL', '0.10'), order('PENDING_APPROVAL', '0.20')], submitted: [] })).toEqual({
      count: 2,
      total: { amount: '0.30', currency: 'USD' },
    });
  });
});

describe('overdue invoices', () => {
  const open = {
    value: {
      customerId: 'C1',
      invoices: [
        invoice('2026-11-22', '0.10'),
        invoice('2026-10-01', '0.20'),
        invoice('2026-11-23', '5.00'), // due today: not overdue yet
        invoice('2026-10-01', '3.00', { kind: 'CREDIT_MEMO' }),
        invoice('2026-10-01', '4.00', { paid: true }),
      ],
    },
    asOf: AS_OF,
    stale: true,
  };

  it('are unpaid invoices due before UTC today, summed in decimals', () => {
    expect(overdueGlance(open, 'USD', Date.parse('2026-11-23T23:59:00Z'))).toEqual({
      count: 2,
      amount: { amount: '0.30', currency: 'USD' },
      oldestDueDate: '2026-10-01',
      openCount: 3,
      openAmount: { amount: '5.30', currency: 'USD' },
      asOf: AS_OF,
      stale: true,
    });
  });

  it('a cached list is judged against the day it is read: after midnight, one more is overdue', () => {
    expect(overdueGlance(open, 'USD', Date.parse('2026-11-24T00:00:01Z')).count).toBe(3);
  });
});

describe('credit state', () => {
  it('on hold first, then over the limit, else OK', () => {
    const figures = { limit: '100.00', balance: '60.00', openOrders: '30.00', onHold: false, holdReason: null };
    expect(creditState(creditStatus(figures, 'USD'))).toBe('OK');
    expect(creditState(creditStatus(figures, 'USD', ['10.01']))).toBe('OVER_LIMIT');
    expect(creditState(creditStatus({ ...figures, onHold: true, holdReason: 'x' }, 'USD', ['50']))).toBe('ON_HOLD');
    expect(creditState(creditStatus({ ...figures, limit: null }, 'USD', ['1000']))).toBe('OK');
  });
});
