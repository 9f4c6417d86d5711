/**
 * The ERP budget port: how many calls erpfront may have open against the ERP, and how fast it may
 * start new ones. Every ERP call takes a permit first and gives it back when the ERP has answered.
 *
 * The ERP's limits are the ERP's, not one instance's: NetSuite counts concurrent requests per
 * account, gateways count requests per second per key. So the budget is shared by every instance
 * that talks to the same ERP. The in-process implementation serves a single instance; a Redis one
 * (a token bucket plus a semaphore with leases) and a Durable Object one share it between many.
 * Every implementation runs the contract suite in `test/contract/erp-budget.contract.ts`.
 *
 * The contract:
 * - **Both limits hold at once.** At most `maxConcurrent` permits are out at any moment, and
 *   permits are granted no faster than the configured rate (a token bucket: a short burst may go
 *   at once, the long-run rate never exceeds it).
 * - **Strict priority.** When callers wait, the most urgent is served first — `order`, then
 *   `status`, then `read`, then `background` (see {@link ErpPriority}) — however long the others
 *   have waited. A checkout must never queue behind a catalog refresh; the price of that is that
 *   lower priorities can starve under sustained load, which is what we want: reads have a cache to
 *   fall back on, an order has not.
 * - **FIFO within a priority.** Callers of the same priority are served in the order they asked.
 * - **Abandoning a wait.** When the `signal` passed to {@link ErpBudget.acquire} aborts before the
 *   permit is granted, the caller leaves the queue and `acquire` rejects with the signal's reason.
 *   It never holds a permit it did not get.
 * - **429 pauses everybody.** When the ERP answers "too many requests", {@link ErpBudget.pauseFor}
 *   holds every new grant, whatever its priority, until the ERP's Retry-After has passed. Calls
 *   already in flight carry on.
 *
 * @module
 */
import type { ErpPriority } from './erp-connector.ts';

/** Every priority, most urgent first: the order in which the budget serves waiting callers. */
export const ERP_PRIORITIES: readonly ErpPriority[] = ['order', 'status', 'read', 'background'];

/** The right to have one call open against the ERP. */
export interface ErpPermit {
  /**
   * Gives the permit back, once the ERP has answered or the call was given up. Idempotent: a
   * second call does nothing, so a `finally` and an error path may both release safely.
   */
  release(): void;
}

/** What the budget looks like right now, for operations and readiness. */
export interface ErpBudgetSnapshot {
  /** Permits granted and not yet released (by this instance, for a shared budget). */
  inFlight: number;
  /** Callers waiting for a permit, by priority (on this instance, for a shared budget). */
  waiting: Record<ErpPriority, number>;
  /** When a 429 pause ends (epoch ms), or `null` when no pause holds grants. */
  pausedUntil: number | null;
}

/** A shared allowance of ERP calls. See the module documentation for the contract. */
export interface ErpBudget {
  /**
   * Waits for a permit. Resolves as soon as both the concurrency limit and the rate allow and no
   * more urgent (or earlier, same-priority) caller is waiting; rejects with `signal.reason` when
   * `signal` aborts first (at once if it already has).
   */
  acquire(priority: ErpPriority, signal?: AbortSignal): Promise<ErpPermit>;
  /**
   * Holds every new grant for `ms` milliseconds (from a 429's Retry-After). Pauses never shorten
   * one already running: the later end wins.
   */
  pauseFor(ms: number): void;
  /** The budget's current state; cheap enough to call on every readiness probe. */
  snapshot(): ErpBudgetSnapshot;
}
