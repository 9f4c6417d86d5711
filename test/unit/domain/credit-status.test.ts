import { describe, expect, it } from 'vitest';
import { creditStatus } from '../../../src/domain/credit/credit-status.ts';

const figures = { limit: '10000.00', balance: '4200.10', openOrders: '1799.95', onHold: false, holdReason: null };

describe('creditStatus', () => {
  it('exposure is balance plus open orders; available is what remains of the limit', () => {
    const s = creditStatus(figures, 'USD');
    expect(s.exposure).toEqual({ amount: '6000.05', currency: 'USD' });
    expect(s.available).toEqual({ amount: '3999.95', currency: 'USD' });
    expect(s.overLimit.amount).toBe('0.00');
  });

  it('counts orders accepted but not yet in the ERP as exposure', () => {
    const s = creditStatus(figures, 'USD', ['2500.00', '1500.00']);
    expect(s.exposure.amount).toBe('10000.05');
    expect(s.available?.amount).toBe('0.00');
    expect(s.overLimit.amount).toBe('0.05');
  });

  it('adds decimals exactly (0.1 + 0.2 is 0.30, not 0.30000000000000004)', () => {
    const s = creditStatus({ limit: '1', balance: '0.1', openOrders: '0.2', onHold: false, holdReason: null }, 'USD');
    expect(s.exposure.amount).toBe('0.30');
    expect(s.available?.amount).toBe('0.70');
  });

  it('without a limit: nothing available to run out of, never over it, exposure still counted', () => {
    const s = creditStatus({ ...figures, limit: null }, 'USD', ['2500.00']);
    expect(s).toMatchObject({ limit: null, available: null, overLimit: { amount: '0.00', currency: 'USD' }, exposure: { amount: '8500.05' } });
  });

  it('passes the hold and its reason through', () => {
    const s = creditStatus({ ...figures, onHold: true, holdReason: 'Overdue invoices' }, 'EUR');
    expect(s).toMatchObject({ onHold: true, holdReason: 'Overdue invoices', limit: { currency: 'EUR' } });
  });
});
