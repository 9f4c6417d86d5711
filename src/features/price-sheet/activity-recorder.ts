/**
 * Who the sheet is for: the customers requests act for, recorded on every instance (also those
 * that do not run the sheet) in the backends' activity store, where the instance running the sheet
 * reads them. Kept apart from the pass over the catalog, which only one instance runs.
 *
 * @module
 */
import type { PriceSheetOptions } from './price-sheet-job.ts';

/** How often a customer seen again and again has its activity stored (it counts in days). */
const TOUCH_EVERY_MS = 60_000;
/** Customers whose last store this instance remembers, at most (then it forgets them all: each is stored once more). */
const MAX_STORED_REMEMBERED = 100_000;

/** Records the customers acted for: `seen()` on the request path, `flushSeen()` at each tick. */
export class ActivityRecorder {
  readonly #o: Pick<PriceSheetOptions, 'activity' | 'clock'>;
  /** Customers seen since the last flush to the activity store. */
  #seen = new Set<string>();
  /** When this instance last stored each customer's activity. */
  #stored = new Map<string, number>();

  constructor(options: Pick<PriceSheetOptions, 'activity' | 'clock'>) {
    this.#o = options;
  }

  /** Remembers that a request acted for `customerId` (stored at the next tick: no I/O here). */
  seen(customerId: string): void {
    this.#seen.add(customerId);
  }

  /** Stores the customers seen since the last flush: one seen again, at most once a TOUCH_EVERY_MS. */
  async flushSeen(): Promise<void> {
    if (this.#seen.size === 0) return;
    const now = this.#o.clock.now();
    // A customer new to this instance is stored at once; one seen again, at most once a
    // TOUCH_EVERY_MS: activity counts in days, and a busy storefront otherwise cost a SQLite
    // commit (a sync to disk, on the event loop) every tick, a stall for every page in flight.
    const ids = [...this.#seen].filter((id) => !(now - (this.#stored.get(id) ?? -Infinity) < TOUCH_EVERY_MS));
    this.#seen = new Set();
    if (ids.length === 0) return;
    if (this.#stored.size > MAX_STORED_REMEMBERED) this.#stored.clear();
    for (const id of ids) this.#stored.set(id, now);
    await this.#o.activity.touch(ids, now);
  }
}
