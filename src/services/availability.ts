/**
 * Availability to promise for a product, from the cached stock record.
 *
 * @module
 */
import { utcDate } from '../domain/atp/calendar.ts';
import { computeAvailability, type Availability } from '../domain/atp/availability.ts';
import type { Clock } from '../ports/clock.ts';
import type { Item, StockRecord } from '../ports/erp-connector.ts';
import type { ErpReader } from './erp-reader.ts';
import { after, type MaybePromise } from './maybe-promise.ts';
import type { Cached } from './read-through-cache.ts';
import { ReadMemo } from './read-memo.ts';
import { perTick } from './tick-clock.ts';
import { deepFreeze } from '../domain/deep-freeze.ts';

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
interface Answers {
  /** By `quantity|day|allowSplit`. */
  byKey: Map<string, Availability>;
  /**
   * The answer last given, whole (with its age): a page asks one quantity of every record, so the
   * next page's question is nearly always this one, answered with no key built and no copy made.
   */
  last?: { quantity: number; today: string; allowSplit: boolean; answer: AvailabilityAnswer };
}
const computed = new WeakMap<StockRecord, Answers>();

function answersOf(stock: StockRecord): Answers {
  let answers = computed.get(stock);
  if (answers === undefined) computed.set(stock, (answers = { byKey: new Map() }));
  return answers;
}

function availabilityOf(answers: Answers, stock: StockRecord, quantity: number, today: string, allowSplit: boolean): Availability {
  const key = `${quantity}|${today}|${allowSplit}`;
  let answer = answers.byKey.get(key);
  if (answer === undefined) {
    // A few distinct quantities per record are normal; a flood of them must not grow it forever.
    if (answers.byKey.size >= 64) answers.byKey.clear();
    // Frozen through: every answer made of it shares its warehouses.
    answer = deepFreeze(computeAvailability(stock, quantity, { today, allowSplit }));
    answers.byKey.set(key, answer);
  }
  return answer;
}

/** The answer for a cached record: shared by every read of the same question (frozen, as answers are never changed). */
function answerFor(stock: Cached<StockRecord>, quantity: number, today: string, allowSplit: boolean): AvailabilityAnswer {
  const answers = answersOf(stock.value);
  const last = answers.last;
  if (
    last !== undefined &&
    last.quantity === quantity &&
    last.today === today &&
    last.allowSplit === allowSplit &&
    last.answer.asOf === stock.asOf &&
    last.answer.stale === stock.stale
  ) {
    return last.answer;
  }
  const answer = Object.freeze({ ...availabilityOf(answers, stock.value, quantity, today, allowSplit), asOf: stock.asOf, stale: stock.stale });
  answers.last = { quantity, today, allowSplit, answer };
  return answer;
}

/** ATP for `quantity` of `sku`, dated from today (UTC; the clock read once per synchronous run, see tick-clock.ts). */
export function availabilityFor(reader: ErpReader, sku: string, quantity: number, clock: Clock, policy: AvailabilityPolicy): MaybePromise<AvailabilityAnswer> {
  return after(reader.stock(sku), (stock: Cached<StockRecord>) => answerFor(stock, quantity, utcDate(perTick(clock).now()), policy.allowSplit));
}

/**
 * {@link availabilityFor} a catalog item, as every catalog page asks it: the answer an earlier
 * page computed for the same quantity and policy, while its stock entry holds and the day lasts.
 */
export function itemAvailability(reader: ErpReader, item: Item, quantity: number, clock: Clock, policy: AvailabilityPolicy): MaybePromise<AvailabilityAnswer> {
  return itemAnswers.answer(reader, item, quantity, policy.allowSplit, () => availabilityFor(reader, item.sku, quantity, clock, policy));
}

const itemAnswers = new ReadMemo<Item, AvailabilityAnswer>({ dayBound: true });
