/**
 * Availability to promise for a product, from the cached stock record.
 *
 * @module
 */
import { utcDate } from '../domain/atp/calendar.ts';
import { computeAvailability, type Availability } from '../domain/atp/availability.ts';
import type { Clock } from '../ports/clock.ts';
import type { StockRecord } from '../ports/erp-connector.ts';
import type { ErpReader } from './erp-reader.ts';
import { after, type MaybePromise } from './maybe-promise.ts';
import type { Cached } from './read-through-cache.ts';

export interface AvailabilityAnswer extends Availability {
  asOf: string;
  stale: boolean;
}

export interface AvailabilityPolicy {
  /** Whether one line may ship from several warehouses. */
  allowSplit: boolean;
}

/**
 * Answers already computed, per cached stock record. Availability is a pure function of the
 * record, the quantity, the day and the policy; a cached record is the same object until the next
 * ERP read replaces it, and then its answers go with it (a WeakMap holds nothing alive).
 */
const computed = new WeakMap<StockRecord, Map<string, Availability>>();

function availabilityOf(stock: StockRecord, quantity: number, today: string, allowSplit: boolean): Availability {
  let answers = computed.get(stock);
  if (answers === undefined) computed.set(stock, (answers = new Map()));
  const key = `${quantity}|${today}|${allowSplit}`;
  let answer = answers.get(key);
  if (answer === undefined) {
    // A few distinct quantities per record are normal; a flood of them must not grow it forever.
    if (answers.size >= 64) answers.clear();
    answer = computeAvailability(stock, quantity, { today, allowSplit });
    answers.set(key, answer);
  }
  return answer;
}

/** ATP for `quantity` of `sku`, dated from today (UTC). */
export function availabilityFor(reader: ErpReader, sku: string, quantity: number, clock: Clock, policy: AvailabilityPolicy): MaybePromise<AvailabilityAnswer> {
  return after(reader.stock(sku), (stock: Cached<StockRecord>) => ({
    ...availabilityOf(stock.value, quantity, utcDate(clock.now()), policy.allowSplit),
    asOf: stock.asOf,
    stale: stock.stale,
  }));
}
