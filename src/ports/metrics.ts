/**
 * The metrics port: what erpfront counts and times. The Prometheus adapter renders it at
 * `/metrics`; names and labels are part of the operations contract (dashboards rely on them).
 *
 * @module
 */

/** How an ERP call ended. */
export type ErpOutcome = 'success' | 'error' | 'timeout' | 'unavailable' | 'rate_limited' | 'bad_response' | 'circuit_open' | 'rejected';

/** How a cache lookup ended: fresh hit, stale hit, miss, or joined a fetch already under way. */
export type CacheResult = 'hit' | 'stale' | 'miss' | 'coalesced';

/**
 * Why a request was refused before it did its work: a parser or validation limit, its cost, its
 * caller's throttle, or shed by the load shedder while erpfront was saturated.
 */
export type RefusalReason = 'limit' | 'cost' | 'throttle' | 'shed';

/** The load as the load shedder sees it. */
export interface LoadReading {
  /** Requests admitted and not yet answered. */
  inflight: number;
  /** The event loop's longest turn lately, ms; `null` where the runtime cannot measure it. */
  eventLoopDelayMs: number | null;
}

export interface Metrics {
  /** `erpfront_erp_requests_total{operation,outcome}` and `erpfront_erp_request_duration_seconds`. */
  erpRequest(operation: string, outcome: ErpOutcome, seconds: number): void;
  /** `erpfront_cache_requests_total{cache,result}`; `cache` is the domain, e.g. `prices`. */
  cacheRequest(cache: string, result: CacheResult, count?: number): void;
  /** `erpfront_erp_budget_wait_seconds{priority}`: time a call waited for an ERP permit. */
  budgetWait(priority: string, seconds: number): void;
  /** `erpfront_erp_circuit_state` (0 closed, 1 half-open, 2 open) and transitions. */
  breakerState(state: 'closed' | 'half_open' | 'open'): void;
  /** `erpfront_orders_total{outcome}`: SUBMITTED, QUEUED, ON_HOLD, REJECTED, BLOCKED, INVALID... */
  orderOutcome(outcome: string): void;
  /** `erpfront_erp_duplicate_orders_total`: extra ERP entries found for one erpfront order (never expected). */
  duplicateOrders(count: number): void;
  /**
   * Registers a reading taken at scrape time: `erpfront_order_queue_depth`,
   * `erpfront_order_queue_oldest_age_seconds`, `erpfront_order_dead_letters`.
   */
  observeQueue(read: () => Promise<{ depth: number; oldestAgeSeconds: number; deadLetters: number }>): void;
  /** `erpfront_requests_refused_total{reason}`: requests refused before doing their work. */
  requestRefused(reason: RefusalReason): void;
  /**
   * Registers a reading taken at scrape time: `erpfront_inflight_requests` and
   * `erpfront_event_loop_delay_seconds` (what the load shedder decides on).
   */
  observeLoad(read: () => LoadReading): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  /** The content type of {@link render}'s text. */
  readonly contentType: string;
}
