/**
 * A customer's account statement: what is open, and how long past due, in the buckets a credit
 * controller reads (current, 1–30, 31–60, 61–90, over 90 days past due). Pure: the same invoices
 * and the same day give the same statement.
 *
 * Days past due are whole UTC calendar days from the due date to `today`: an invoice due today is
 * current, due yesterday is 1 day past due. Amounts are signed (a credit memo's open amount is
 * negative and lowers its bucket), summed in decimal, never through a float.
 *
 * @module
 */
import { Big, formatAmount, type Money } from '../money.ts';
import type { CurrencyCode, DecimalString, IsoDate } from '../../ports/erp-connector.ts';

/** What aging needs of an invoice or credit memo. */
export interface OpenItem {
  dueDate: IsoDate;
  /** Signed; `0` once paid. */
  openAmount: DecimalString;
}

export interface AgingBuckets {
  current: DecimalString;
  days1to30: DecimalString;
  days31to60: DecimalString;
  days61to90: DecimalString;
  over90: DecimalString;
}

export interface AccountStatement {
  openBalance: Money;
  aging: AgingBuckets;
}

const DAY_MS = 86_400_000;

/** Whole UTC days from `dueDate` to `today` (negative before it falls due). */
export function daysPastDue(dueDate: IsoDate, today: IsoDate): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / DAY_MS);
}

/** Whether an item is open and past its due date on `today`. */
export function isOverdue(item: OpenItem, today: IsoDate): boolean {
  return !new Big(item.openAmount).eq(0) && daysPastDue(item.dueDate, today) > 0;
}

/** The bucket an item falls in on `today`. */
export function bucketOf(dueDate: IsoDate, today: IsoDate): keyof AgingBuckets {
  const days = daysPastDue(dueDate, today);
  if (days <= 0) return 'current';
  if (days <= 30) return 'days1to30';
  if (days <= 60) return 'days31to60';
  if (days <= 90) return 'days61to90';
  return 'over90';
}

/** The statement of `items` (all in `currency`) on `today` (`YYYY-MM-DD`, UTC). */
export function accountStatement(items: readonly OpenItem[], currency: CurrencyCode, today: IsoDate): AccountStatement {
  const totals: Record<keyof AgingBuckets, Big> = {
    current: new Big(0),
    days1to30: new Big(0),
    days31to60: new Big(0),
    days61to90: new Big(0),
    over90: new Big(0),
  };
  let open = new Big(0);
  for (const item of items) {
    const amount = new Big(item.openAmount);
    if (amount.eq(0)) continue;
    const bucket = bucketOf(item.dueDate, today);
    totals[bucket] = totals[bucket].plus(amount);
    open = open.plus(amount);
  }
  const format = (value: Big) => formatAmount(value, currency);
  return {
    openBalance: { amount: format(open), currency },
    aging: {
      current: format(totals.current),
      days1to30: format(totals.days1to30),
      days31to60: format(totals.days31to60),
      days61to90: format(totals.days61to90),
      over90: format(totals.over90),
    },
  };
}

/** Today's date in UTC, `YYYY-MM-DD`. */
export function utcToday(nowMs: number): IsoDate {
  return new Date(nowMs).toISOString().slice(0, 10);
}
