import { describe, expect, it } from 'vitest';
import { decideCredit } from '../../../src/domain/credit/credit-decision.ts';
import { creditStatus } from '../../../src/domain/credit/credit-status.ts';
import { validateOrderInput } from '../../../src/domain/orders/order-input.ts';

const limits = { maxLines: 5, maxQuantity: 1000, today: '2026-11-23' };
const codes = (input: Parameters<typeof validateOrderInput>[0]) => validateOrderInput(input, limits).map((e) => `${e.code}@${e.field.join('.')}`);

describe('validateOrderInput', () => {
  it('accepts a minimal order', () => {
    expect(codes({ lines: [{ sku: 'SKU-00001', quantity: 2 }] })).toEqual([]);
  });
  it('reports every problem at once, with its field', () => {
    expect(
      codes({
        lines: [
          { sku: 'SKU-1', quantity: 0 },
          { sku: 'SKU-2', quantity: -1 },
          { sku: 'SKU-1', quantity: 5 },
          { sku: ' ', quantity: 1 },
        ],
        poNumber: 'P'.repeat(36),
        notes: 'n'.repeat(1001),
        requestedDate: '2026-11-01',
        payment: { method: 'CARD' },
      }),
    ).toEqual([
      'INVALID_QUANTITY@lines.0.quantity',
      'INVALID_QUANTITY@lines.1.quantity',
      'DUPLICATE_LINE@lines.2.sku',
      'INVALID_SKU@lines.3.sku',
      'FIELD_TOO_LONG@poNumber',
      'FIELD_TOO_LONG@notes',
      'INVALID_DATE@requestedDate',
      'PAYMENT_REFERENCE_REQUIRED@payment.authorizationRef',
    ]);
  });
  it('refuses no lines, too many lines and absurd quantities', () => {
    expect(codes({ lines: [] })).toEqual(['NO_LINES@lines']);
    expect(codes({ lines: Array.from({ length: 6 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) })).toEqual(['TOO_MANY_LINES@lines']);
    expect(codes({ lines: [{ sku: 'S', quantity: 1e9 }] })).toEqual(['INVALID_QUANTITY@lines.0.quantity']);
    expect(codes({ lines: [{ sku: 'S', quantity: Number.NaN }] })).toEqual(['INVALID_QUANTITY@lines.0.quantity']);
  });
});

describe('decideCredit', () => {
  const figures = { limit: '1000.00', balance: '300.00', openOrders: '200.00', onHold: false, holdReason: null };
  const onAccount = { method: 'ON_ACCOUNT' } as const;
  it('approves within the available credit', () => {
    expect(decideCredit(creditStatus(figures, 'USD'), '500.00', onAccount, 'REVIEW')).toEqual({ decision: 'APPROVE', reason: null });
  });
  it('routes an order past the limit to review, or blocks it, as configured', () => {
    expect(decideCredit(creditStatus(figures, 'USD'), '500.01', onAccount, 'REVIEW')).toEqual({ decision: 'REVIEW', reason: 'CREDIT_LIMIT_EXCEEDED' });
    expect(decideCredit(creditStatus(figures, 'USD'), '500.01', onAccount, 'BLOCK')).toEqual({ decision: 'BLOCK', reason: 'CREDIT_LIMIT_EXCEEDED' });
  });
  it('approves any order on account for a customer the ERP sets no limit for', () => {
    expect(decideCredit(creditStatus({ ...figures, limit: null }, 'USD', ['400.00']), '9999999.00', onAccount, 'BLOCK')).toEqual({
      decision: 'APPROVE',
      reason: null,
    });
  });
  it('counts orders accepted but not yet in the ERP', () => {
    expect(decideCredit(creditStatus(figures, 'USD', ['400.00']), '100.01', onAccount, 'REVIEW').decision).toBe('REVIEW');
  });
  it('blocks an account on credit hold, by card too unless the business allows it; a card payment needs no credit', () => {
    const card = { method: 'CARD', authorizationRef: 'pi_1' } as const;
    expect(decideCredit(creditStatus({ ...figures, onHold: true }, 'USD'), '1.00', onAccount, 'REVIEW')).toEqual({ decision: 'BLOCK', reason: 'CREDIT_HOLD' });
    expect(decideCredit(creditStatus({ ...figures, onHold: true }, 'USD'), '1.00', card, 'REVIEW')).toEqual({ decision: 'BLOCK', reason: 'CREDIT_HOLD' });
    expect(decideCredit(creditStatus({ ...figures, onHold: true }, 'USD'), '99999.00', card, 'BLOCK', true).decision).toBe('APPROVE');
    expect(decideCredit(creditStatus({ ...figures, onHold: true }, 'USD'), '1.00', onAccount, 'REVIEW', true).decision).toBe('BLOCK');
    expect(decideCredit(creditStatus(figures, 'USD'), '99999.00', card, 'BLOCK').decision).toBe('APPROVE');
  });
});
