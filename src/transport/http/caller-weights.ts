/**
 * Who sends more than their share: requests counted per caller over one-second windows, so that
 * under pressure the load shedder refuses the callers causing it before the others. A buyer who
 * floods erpfront with pages is shed; the buyer beside it, sending a page now and then, is not.
 *
 * A caller is known by its `Authorization` header as sent, before any check (anonymous requests
 * are one caller together): telling callers apart must cost less than refusing them. A client
 * that sends a new token on every request looks light here, but buys nothing with it: a caller is
 * only spared the stricter limit of heavy callers, never the bound on requests in flight nor the
 * limit every request has, and a token that is not valid is refused by the GraphQL route at once.
 *
 * Memory is bounded: at most `maxCallers` are counted per window; callers past that count as heavy.
 *
 * @module
 */

export interface CallerWeightsOptions {
  /** Length of one window, ms (default 1000). */
  windowMs?: number;
  /** Most callers counted in one window (default 10,000). */
  maxCallers?: number;
  /** A monotonic clock, ms. */
  now?: () => number;
}

interface Tally {
  /** Requests in the window. */
  count: number;
  /** The last turn of the event loop a request arrived in, how many arrived in it, and in the turn before. */
  turn: number;
  inTurn: number;
  inLastTurn: number;
}

/** A caller with fewer requests than this in a window is never heavy: too few to judge, and too few to matter. */
const MIN_HEAVY = 10;

export class CallerWeights {
  readonly #windowMs: number;
  readonly #maxCallers: number;
  readonly #now: () => number;
  #windowStart: number;
  #current = new Map<string, Tally>();
  #currentTotal = 0;
  #previous = new Map<string, Tally>();
  #previousAverage = Infinity;

  constructor(options: CallerWeightsOptions = {}) {
    this.#windowMs = options.windowMs ?? 1000;
    this.#maxCallers = options.maxCallers ?? 10_000;
    this.#now = options.now ?? (() => performance.now());
    this.#windowStart = this.#now();
  }

  /** Counts one request of `caller`, arrived in `turn` of the event loop. */
  count(caller: string, turn: number): void {
    const now = this.#now();
    if (now - this.#windowStart >= this.#windowMs) this.#roll(now);
    this.#currentTotal++;
    const tally = this.#current.get(caller) ?? this.#previous.get(caller);
    if (tally === undefined) {
      if (this.#current.size < this.#maxCallers) this.#current.set(caller, { count: 1, turn, inTurn: 1, inLastTurn: 0 });
      return;
    }
    if (!this.#current.has(caller)) {
      // First request of this window: carry its turns over, start its count.
      if (this.#current.size >= this.#maxCallers) return;
      this.#current.set(caller, { count: 0, turn: tally.turn, inTurn: tally.inTurn, inLastTurn: tally.inLastTurn });
    }
    const mine = this.#current.get(caller)!;
    mine.count++;
    if (mine.turn === turn) mine.inTurn++;
    else {
      mine.inLastTurn = mine.inTurn;
      mine.turn = turn;
      mine.inTurn = 1;
    }
  }

  /**
   * Whether `caller` sends requests side by side (several arrive within one turn of the event
   * loop: many connections), not each after the last one's answer.
   */
  sideBySide(caller: string): boolean {
    const tally = this.#current.get(caller);
    return tally !== undefined && (tally.inTurn >= 2 || tally.inLastTurn >= 2);
  }

  /**
   * Whether `caller` sent at least as many requests as the average caller (and at least a few), in
   * the last full window or so far in this one: a surge is recognised as it starts, not a window
   * later. A caller alone is heavy when it sends enough.
   */
  heavy(caller: string): boolean {
    const current = this.#current.get(caller)?.count;
    if (current === undefined) return this.#current.size >= this.#maxCallers;
    if (current >= MIN_HEAVY && current >= this.#currentTotal / this.#current.size) return true;
    const previous = this.#previous.get(caller)?.count ?? 0;
    return previous >= MIN_HEAVY && previous >= this.#previousAverage;
  }

  #roll(now: number): void {
    // After a quiet spell of more than a window, the last one says nothing about now.
    const skipped = now - this.#windowStart >= 2 * this.#windowMs;
    this.#previous = skipped ? new Map() : this.#current;
    this.#previousAverage = skipped || this.#current.size === 0 ? Infinity : this.#currentTotal / this.#current.size;
    this.#current = new Map();
    this.#currentTotal = 0;
    this.#windowStart = now;
  }
}
