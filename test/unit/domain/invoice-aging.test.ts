/**
 * Aging of open invoices and credit memos: buckets by whole UTC days past due, signed decimal sums.
 */
import { describe, expect, it } from 'vitest';
import { accountStatement, bucketOf, daysPastDue, isOverdue, utcToday } from '../../../src/domain/invoices/aging.ts';

const TODAY = '2026-03-31';

describe('aging', () => {
  it('counts whole UTC days past due', () => {
    expect(daysPastDue('2026-03-31', TODAY)).toBe(0);
    expect(daysPastDue('2026-03-30', TODAY)).toBe(1);
    expect(daysPastDue('2026-04-10', TODAY)).toBe(-10);
    // Across the end of February and a year end.
    expect(daysPastDue('2026-02-28', TODAY)).toBe(31);
    expect(daysPastDue('2025-12-31', '2026-01-01')).toBe(1);
  });

  it.each([
    ['2026-04-30', 'current'],
    ['2026-03-31', 'current'],
    ['2026-03-30', 'days1to30'],
    ['2026-03-01', 'days1to30'],
    ['2026-02-28', 'days31to60'],
    ['2026-01-30', 'days31to60'],
    ['2026-01-29', 'days61to90'],
    ['2025-12-31', 'days61to90'],
    ['2025-12-30', 'over90'],
    ['2020-01-01', 'over90'],
  ] as const)('an item due %s is %s on 2026-03-31', (due, bucket) => {
    expect(bucketOf(due, TODAY)).toBe(bucket);
  });

  it('sums open amounts per bucket in decimal, credit memos lowering theirs, paid items left out', () => {
    const statement = accountStatement(
      [
        { dueDate: '2026-04-15', openAmount: '0.10' },
        { dueDate: '2026-04-20', openAmount: '0.20' },
        { dueDate: '2026-03-20', openAmount: '100.00' },
        { dueDate: '2026-03-25', openAmount: '-30.00' },
        { dueDate: '2026-02-01', openAmount: '19.99' },
        { dueDate: '2026-01-01', openAmount: '5.00' },
        { dueDate: '2025-06-01', openAmount: '1000.01' },
        { dueDate: '2025-06-01', openAmount: '0.00' },
      ],
      'USD',
      TODAY,
    );
    expect(statement).toEqual({
      openBalance: { amount: '1095.30', currency: 'USD' },
      aging: { current: '0.30', days1to30: '70.00', days31to60: '19.99', days61to90: '5.00', over90: '1000.01' },
    });
  });

  it('is all zeros for no open items, at the currency scale', () => {
    expect(accountStatement([], 'JPY', TODAY)).toEqual({
      openBalance: { amount: '0', currency: 'JPY' },
      aging: { current: '0', days1to30: '0', days31to60: '0', days61to90: '0', over90: '0' },
    });
  });

  it('calls an open item overdue only after its due date, and never a paid one', () => {
    expect(isOverdue({ dueDate: '2026-03-30', openAmount: '1.00' }, TODAY)).toBe(true);
    expect(isOverdue({ dueDate: '2026-03-31', openAmount: '1.00' }, TODAY)).toBe(false);
    expect(isOverdue({ dueDate: '2026-01-01', openAmount: '0.00' }, TODAY)).toBe(false);
  });

  it('takes today in UTC whatever the hour', () => {
    expect(utcToday(Date.parse('2026-03-31T23:59:59.999Z'))).toBe('2026-03-31');
    expect(utcToday(Date.parse('2026-04-01T00:00:00+02:00'))).toBe('2026-03-31');
  });
});
