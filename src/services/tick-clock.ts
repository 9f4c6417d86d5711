/**
 * A clock read once per synchronous run of JavaScript, for the hot path's many small questions
 * ("is this entry still fresh?", "what day is it?"): a warm CatalogPage asks about 250 of them in
 * one synchronous run, and each `Date.now()` is a clock read (~45 ns on a VM's kvm-clock).
 *
 * The bound: a reading is kept until the microtasks queued before it have run, so it never outlives
 * the run it was taken in: no I/O, timer or other request's turn comes between it and its use. It
 * lags the real time by at most the CPU time of that run (a page's execution, well under a
 * second), against freshness windows of seconds to minutes.
 *
 * @module
 */
import type { Clock } from '../ports/clock.ts';

/** `clock`, read at most once per synchronous run. */
export class TickClock implements Clock {
  readonly #clock: Clock;
  #reading: number | undefined;
  readonly #forget = () => {
    this.#reading = undefined;
  };

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  now(): number {
    if (this.#reading === undefined) {
      this.#reading = this.#clock.now();
      queueMicrotask(this.#forget);
    }
    return this.#reading;
  }
}

let lastClock: Clock | undefined;
let lastTick: TickClock | undefined;

/**
 * The per-run reading of `clock`, for code handed a clock on every call (resolvers): the same
 * `TickClock` while the same clock is passed (in a process, one: the system clock).
 */
export function perTick(clock: Clock): Clock {
  if (clock !== lastClock) {
    lastClock = clock;
    lastTick = new TickClock(clock);
  }
  return lastTick!;
}
