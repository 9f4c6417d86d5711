/**
 * The event-loop delay port: how long erpfront's own work keeps the event loop from coming round,
 * the signal that the process is saturated (CPU-bound work queued behind other work). Node
 * measures it (`adapters/event-loop/node-event-loop-delay.ts`); a runtime that cannot (Workers)
 * passes none, and the load shedder then relies on its bound on requests in flight alone.
 *
 * @module
 */

/** Two readings, in milliseconds beyond the measuring timer's own period; 0 when idle. */
export interface EventLoopReading {
  /** The turn under way: how long the loop has been busy without coming round to timers. */
  turnMs: number;
  /** How long turns have been lately (a high percentile over the last second or so), or the turn under way if longer. */
  recentMs: number;
  /** Which turn this is: requests that read the same number arrived within one turn. */
  turn: number;
}

/** Reads the event loop's delay; called on every request, so it must be cheap. */
export type EventLoopDelay = () => EventLoopReading;
