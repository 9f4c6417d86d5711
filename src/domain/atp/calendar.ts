/**
 * UTC calendar-date arithmetic on `YYYY-MM-DD` strings, the form dates take on the wire.
 *
 * Dates are few (today and a handful of receipt dates) and asked for on every availability
 * answer, so the results are remembered: a warm catalog page then builds no Date objects.
 *
 * @module
 */
import type { IsoDate } from '../../ports/erp-connector.ts';

const DAY_MS = 86_400_000;
const MEMO_LIMIT = 10_000;
const byDay = new Map<number, IsoDate>();
const shifted = new Map<string, IsoDate>();

/** The UTC date of an instant. */
export function utcDate(instantMs: number): IsoDate {
  const day = Math.floor(instantMs / DAY_MS);
  let date = byDay.get(day);
  if (date === undefined) {
    if (byDay.size >= MEMO_LIMIT) byDay.clear();
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    byDay.set(day, date);
  }
  return date;
}

/** The date `days` after `date` (negative goes back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const key = `${date}|${days}`;
  let result = shifted.get(key);
  if (result === undefined) {
    if (shifted.size >= MEMO_LIMIT) shifted.clear();
    result = utcDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
    shifted.set(key, result);
  }
  return result;
}

/** The later of two dates (ISO dates compare correctly as strings). */
export function laterOf(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}
