/**
 * The in-process ERP budget: a token bucket for the rate and a counter for concurrency, with one
 * waiting line per priority. Right for a single instance; several instances need a shared budget
 * (Redis, a Durable Object) or each their own share of the ERP's limits.
 *
 * @module
 */
import { systemClock, type Clock } from '../../../ports/clock.ts';
import type { ErpBudget, ErpBudgetSnapshot, ErpPermit } from '../../../ports/erp-budget.ts';
import { PriorityLines } from '../priority-lines.ts';

/** The timer functions the budget needs; passed in so tests can move time instead of waiting. */
export interface BudgetTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface MemoryErpBudgetOptions {
  /** Long-run rate of new ERP calls (default 25, a NetSuite-like account). */
  requestsPerSecond?: number;
  /** Most calls open against the ERP at once (default 15, NetSuite's default concurrency limit). */
  maxConcurrent?: number;
  /**
   * Most calls that may start at once after a quiet spell: the bucket's capacity (default
   * `requestsPerSecond`, one second's worth, and at least 1). Set it to 1 for an ERP that counts
   * strictly per second and refuses any burst.
   */
  burst?: number;
  clock?: Clock;
  timers?: BudgetTimers;
}

// Looked up at call time, not captured at import, so fake timers installed later still apply.
const realTimers: BudgetTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Creates an in-process ERP budget. Throws a `TypeError` on limits that are not positive. */
export function createMemoryErpBudget(options: MemoryErpBudgetOptions = {}): ErpBudget {
  const rate = positive('requestsPerSecond', options.requestsPerSecond ?? 25);
  const maxConcurrent = positiveInteger('maxConcurrent', options.maxConcurrent ?? 15);
  // Why a full second's worth by default: a page fans out into a handful of batched ERP calls at
  // once, and an idle facade should answer it without queueing; sustained load still gets exactly
  // `rate`, because the bucket refills no faster.
  const capacity = positive('burst', options.burst ?? Math.max(1, rate));
  if (capacity < 1) throw new TypeError(`ERP budget: burst must be at least 1 (one call), but got: ${capacity}`);
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? realTimers;

  const lines = new PriorityLines();
  let tokens = capacity;
  /** When `tokens` was last brought up to date; after a pause, the instant the pause ends. */
  let refilledAt = clock.now();
  let inFlight = 0;
  let pausedUntil: number | null = null;
  /** The one timer the budget may own: the next instant a waiter could be served. */
  let wakeTimer: unknown = null;
  let wakeAt = Infinity;

  function refill(now: number): void {
    if (now <= refilledAt) return;
    tokens = Math.min(capacity, tokens + ((now - refilledAt) * rate) / 1000);
    refilledAt = now;
  }

  /** Serves waiters while the limits allow; otherwise arms one timer for when they might. */
  function drain(): void {
    for (let waiter = lines.head(); waiter !== undefined; waiter = lines.head()) {
      // A full house waits for a release, which drains again: no timer needed.
      if (inFlight >= maxConcurrent) {
        clearWake();
        return;
      }
      const now = clock.now();
      if (pausedUntil !== null && now < pausedUntil) {
        wakeIn(pausedUntil - now);
        return;
      }
      pausedUntil = null;
      refill(now);
      // The epsilon absorbs float error in the refill, so a timer armed for "one token" is
      // never followed by a second, 0 ms timer.
      if (tokens < 1 - 1e-9) {
        wakeIn(((1 - tokens) * 1000) / rate);
        return;
      }
      // Strict priority: only the head of the most urgent line is ever considered, so a read
      // never slips past a waiting order even when it would fit.
      tokens = Math.max(0, tokens - 1);
      inFlight += 1;
      lines.take(waiter);
      waiter.resolve(permit());
    }
    clearWake();
  }

  function wakeIn(ms: number): void {
    const at = clock.now() + Math.max(1, Math.ceil(ms));
    if (wakeTimer !== null && wakeAt <= at) return;
    clearWake();
    wakeAt = at;
    wakeTimer = timers.setTimeout(() => {
      wakeTimer = null;
      wakeAt = Infinity;
      drain();
    }, at - clock.now());
  }

  function clearWake(): void {
    if (wakeTimer === null) return;
    timers.clearTimeout(wakeTimer);
    wakeTimer = null;
    wakeAt = Infinity;
  }

  function permit(): ErpPermit {
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        inFlight -= 1;
        drain();
      },
    };
  }

  return {
    acquire(priority, signal) {
      // A leaver may have been the head the timer was armed for: drain again.
      const granted = lines.join(priority, signal, drain);
      drain();
      return granted;
    },

    pauseFor(ms) {
      if (!(ms > 0)) return;
      const until = clock.now() + ms;
      if (pausedUntil !== null && pausedUntil >= until) return;
      pausedUntil = until;
      // The ERP asked us to come back later, not to come back with a burst: the bucket restarts
      // empty when the pause ends and refills at the steady rate from there.
      tokens = 0;
      refilledAt = until;
      drain();
    },

    snapshot(): ErpBudgetSnapshot {
      const now = clock.now();
      return {
        inFlight,
        waiting: lines.waiting(),
        pausedUntil: pausedUntil !== null && pausedUntil > now ? pausedUntil : null,
      };
    },
  };
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`ERP budget: ${name} must be a positive number, but got: ${String(value)}`);
  }
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new TypeError(`ERP budget: ${name} must be a positive integer, but got: ${String(value)}`);
  }
  return value;
}
