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
 * Why a request was refused before any work was done for it: a parser or validation `limit`, its
 * `cost` over the maximum, the caller's `throttle` bucket, or load `shed` under overload.
 */
export type RefusalReason = 'limit' | 'cost' | 'throttle' | 'shed';

/** The price sheet as it stands (see `features/price-sheet`), read at scrape time. */
export interface PriceSheetReading {
  /** Active customers the sheet keeps prices for. */
  customers: number;
  /** Items in the catalog the sheet walks. */
  items: number;
  /** Share of (active customer, item) pairs the sheet can price, 0 to 1. */
  coverageRatio: number;
  /** Age of the oldest price the sheet holds, in seconds; `null` while it holds none. */
  ageSeconds: number | null;
}

/** The load as the load shedder sees it. */
export interface LoadReading {
  /** Requests admitted and not yet answered. */
  inflight: number;
  /** The event loop's longest turn lately, ms; `null` where the runtime cannot measure it. */
  eventLoopDelayMs: number | null;
}

/** How an ERP change reached erpfront: a webhook delivery (`push`) or the polling job (`poll`). */
export type ChangeSource = 'push' | 'poll';

/**
 * What became of one ERP change event: `applied` (its cache entries dropped everywhere),
 * `duplicate` (a delivery already acted on), `refused` (bad signature, timestamp or body),
 * `failed` (could not be acted on everywhere; the sender retries).
 */
export type ChangeEventOutcome = 'applied' | 'duplicate' | 'refused' | 'failed';

/** The change feed as read at scrape time (see features/changes/feed-monitor.ts for the lag's definition). */
export interface ChangeFeedReading {
  /** Which path the lag is of; `null` before any change or poll. */
  source: ChangeSource | null;
  /** `null` while unknown (nothing received, nothing polled yet). */
  lagSeconds: number | null;
  /** When erpfront last applied a change, epoch ms; `null` before the first. */
  lastEventAt: number | null;
}

/** How a GraphQL operation's document arrived: a registered one by id, an APQ registration by hash, or its text. */
export type DocumentSource = 'trusted' | 'apq' | 'text';

export interface Metrics {
  /** `erpfront_erp_requests_total{operation,outcome}` and `erpfront_erp_request_duration_seconds`. */
  erpRequest(operation: string, outcome: ErpOutcome, seconds: number): void;
  /** `erpfront_cache_requests_total{cache,result}`; `cache` is the domain, e.g. `prices`. */
  cacheRequest(cache: string, result: CacheResult, count?: number): void;
  /** `erpfront_erp_budget_wait_seconds{priority}`: time a call waited for an ERP permit. */
  budgetWait(priority: string, seconds: number): void;
  /** `erpfront_erp_circuit_state` (0 closed, 1 half-open, 2 open) and transitions. */
  breakerState(state: 'closed' | 'half_open' | 'open'): void;
  /**
   * `erpfront_graphql_documents_total{source,caller}`: documents admitted, by how they arrived and
   * the kind of caller (`buyer`, `rep`, `punchout`, `ops`). When buyers' `text` stays at zero with
   * a manifest in place, `TRUSTED_DOCUMENTS=only` breaks nothing.
   */
  graphqlDocument(source: DocumentSource, caller: string): void;
  /** `erpfront_orders_total{outcome}`: SUBMITTED, QUEUED, ON_HOLD, REJECTED, BLOCKED, INVALID... */
  orderOutcome(outcome: string): void;
  /** `erpfront_erp_duplicate_orders_total`: extra ERP entries found for one erpfront order (never expected). */
  duplicateOrders(count: number): void;
  /** `erpfront_requests_refused_total{reason}`: one request refused before any work was done for it. */
  requestRefused(reason: RefusalReason): void;
  /**
   * Registers a reading taken at scrape time: `erpfront_inflight_requests` and
   * `erpfront_event_loop_delay_seconds` (what the load shedder decides on).
   */
  observeLoad(read: () => LoadReading): void;
  /**
   * `erpfront_throttle_bucket_fill_ratio{role}`: how full a caller's bucket was (0 empty, 1 full)
   * after a request drew from it. Aggregated by role, never a series per caller: the histogram
   * shows how many requests find their caller near empty.
   */
  throttleLevel(role: string, fillRatio: number): void;
  /**
   * Registers a reading taken at scrape time: `erpfront_order_queue_depth`,
   * `erpfront_order_queue_oldest_age_seconds`, `erpfront_order_dead_letters`.
   */
  observeQueue(read: () => Promise<{ depth: number; oldestAgeSeconds: number; deadLetters: number }>): void;
  /**
   * `erpfront_graphql_operation_cost{operation,cost}`: the requested and the actual cost of one
   * operation that ran (a histogram each, `cost="requested"` and `cost="actual"`). `operation` is
   * the operation's name (`anonymous` without one); the adapter keeps the number of names bounded,
   * since clients choose them.
   */
  operationCost(operation: string | null, requested: number, actual: number): void;
  /**
   * `erpfront_reconciliation_runs_total{outcome}` (`completed`, `failed`) and
   * `erpfront_reconciliation_run_duration_seconds`: one reconciliation run that ended.
   */
  reconciliationRun(outcome: 'completed' | 'failed', seconds: number): void;
  /** `erpfront_reconciliation_findings_total{kind}`: a finding opened (drift first seen). */
  findingOpened(kind: string): void;
  /** `erpfront_reconciliation_requeued_total`: orders the ERP no longer held, queued again. */
  ordersRequeued(count: number): void;
  /**
   * Registers a reading taken at scrape time: `erpfront_reconciliation_findings_open{kind}` and
   * `erpfront_reconciliation_last_run_timestamp_seconds` (0 before the first run), from the
   * shared store, so every instance reports the same figures.
   */
  observeReconciliation(read: () => Promise<{ open: Record<string, number>; lastRunAt: number | null }>): void;
  /**
   * Registers a reading taken at scrape time: `erpfront_price_sheet_age_seconds` (the oldest price
   * the sheet holds for active customers; 0 while it holds none), `erpfront_price_sheet_coverage_ratio`,
   * `erpfront_price_sheet_customers` and `erpfront_price_sheet_items`. From the shared store, so
   * every instance reports the figures of the one that runs the sheet.
   */
  observePriceSheet(read: () => Promise<PriceSheetReading>): void;
  /**
   * `erpfront_change_events_total{source,type,outcome}`: ERP change events, by how they came
   * (`push`, `poll`), their type (an ERP change type, or `unknown` when refused before it was
   * read) and what became of them.
   */
  changeEvent(source: ChangeSource, type: string, outcome: ChangeEventOutcome, count?: number): void;
  /**
   * Registers a reading taken at scrape time: `erpfront_change_feed_lag_seconds{source}` (absent
   * while unknown) and `erpfront_change_feed_last_event_timestamp_seconds` (0 before the first),
   * from the shared store, so every instance reports the same figures.
   */
  observeChangeFeed(read: () => Promise<ChangeFeedReading>): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  /** The content type of {@link render}'s text. */
  readonly contentType: string;
}
