/**
 * Metrics in Prometheus' text format, through prom-client. Each app gets its own registry, so
 * several instances in one process (tests) never mix their counts.
 *
 * @module
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CacheResult, ErpOutcome, LoadReading, Metrics } from '../../ports/metrics.ts';
import { changeFeedMetrics } from './change-feed-metrics.ts';
import { priceSheetGauges } from './price-sheet-metrics.ts';
import { reconciliationMetrics } from './reconciliation-metrics.ts';

/** Distinct operation names given a series of their own; later ones are counted as `other`. */
const MAX_OPERATION_NAMES = 100;

export interface PrometheusMetricsOptions {
  /** Also collect the process' own metrics (CPU, memory, event loop lag). Node only. */
  processMetrics?: boolean;
}

export function createPrometheusMetrics(options: PrometheusMetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'erpfront_' });
  const erpRequests = new Counter({
    name: 'erpfront_erp_requests_total',
    help: 'Calls to the ERP, by connector operation and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const erpDuration = new Histogram({
    name: 'erpfront_erp_request_duration_seconds',
    help: 'Duration of calls to the ERP, by operation.',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // Cache lookups happen hundreds of times per page: they are added up in plain numbers and
  // handed to prom-client only when /metrics is scraped.
  // By cache, then result: no key built per lookup.
  const cacheCounts = new Map<string, Map<CacheResult, { cache: string; result: CacheResult; count: number }>>();
  new Counter({
    name: 'erpfront_cache_requests_total',
    help: 'Cache lookups, by cache (data domain) and result: hit, stale, miss, coalesced.',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const results of cacheCounts.values()) for (const { cache, result, count } of results.values()) this.inc({ cache, result }, count);
    },
  });

  const budgetWait = new Histogram({
    name: 'erpfront_erp_budget_wait_seconds',
    help: 'Time ERP calls waited for a permit of the ERP budget, by priority.',
    labelNames: ['priority'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const breaker = new Gauge({
    name: 'erpfront_erp_circuit_state',
    help: 'The ERP circuit breaker: 0 closed, 1 half-open, 2 open.',
    registers: [registry],
  });
  const breakerTransitions = new Counter({
    name: 'erpfront_erp_circuit_transitions_total',
    help: 'Circuit breaker state changes, by the state entered.',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const orders = new Counter({
    name: 'erpfront_orders_total',
    help: 'Orders placed, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const documents = new Counter({
    name: 'erpfront_graphql_documents_total',
    help: 'GraphQL documents admitted, by source (trusted: registered, by id; apq: by hash; text) and kind of caller.',
    labelNames: ['source', 'caller'] as const,
    registers: [registry],
  });
  const duplicates = new Counter({
    name: 'erpfront_erp_duplicate_orders_total',
    help: 'Extra ERP orders found with the external reference of an erpfront order (should stay 0).',
    registers: [registry],
  });
  const refused = new Counter({
    name: 'erpfront_requests_refused_total',
    help: 'Requests refused before any work was done for them, by reason: limit, cost, throttle, shed.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  let readLoad: (() => LoadReading) | null = null;
  new Gauge({
    name: 'erpfront_inflight_requests',
    help: 'Requests admitted by the load shedder and not yet answered.',
    registers: [registry],
    collect() {
      this.set(readLoad ? readLoad().inflight : 0);
    },
  });
  new Gauge({
    name: 'erpfront_event_loop_delay_seconds',
    help: "The event loop's longest turn lately caused by erpfront's own work, what the load shedder decides on.",
    registers: [registry],
    collect() {
      const delay = readLoad?.().eventLoopDelayMs;
      if (delay !== null && delay !== undefined) this.set(delay / 1000);
    },
  });
  // Every reason from the first scrape, at 0: a dashboard's rate() needs the series to exist.
  for (const reason of ['limit', 'cost', 'throttle', 'shed'] as const) refused.inc({ reason }, 0);
  const throttleLevel = new Histogram({
    name: 'erpfront_throttle_bucket_fill_ratio',
    help: "How full the caller's throttle bucket was after a request drew from it (0 empty, 1 full), by role.",
    labelNames: ['role'] as const,
    buckets: [0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 1],
    registers: [registry],
  });
  const operationCost = new Histogram({
    name: 'erpfront_graphql_operation_cost',
    help: 'Query cost points of the GraphQL operations that ran, by operation name: requested (before) and actual (after, reads served from the cache given back).',
    labelNames: ['operation', 'cost'] as const,
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000],
    registers: [registry],
  });
  // Operation names are the clients' to choose: the first ones seen get a series each, the rest share one.
  const operationNames = new Set<string>();
  const operationLabel = (name: string | null) => {
    const label = name ?? 'anonymous';
    if (operationNames.has(label)) return label;
    if (operationNames.size >= MAX_OPERATION_NAMES || label.length > 64) return 'other';
    operationNames.add(label);
    return label;
  };
  let readQueue: (() => Promise<{ depth: number; oldestAgeSeconds: number; deadLetters: number }>) | null = null;
  let queueReading: Promise<{ depth: number; oldestAgeSeconds: number; deadLetters: number } | null> | null = null;
  // One read of the queue per scrape serves all three gauges.
  const queueGauge = (name: string, help: string, pick: (q: { depth: number; oldestAgeSeconds: number; deadLetters: number }) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        queueReading ??= (readQueue ? readQueue() : Promise.resolve(null)).finally(() => setTimeout(() => (queueReading = null), 0));
        const q = await queueReading;
        this.set(q ? pick(q) : 0);
      },
    });
  queueGauge('erpfront_order_queue_depth', 'Orders accepted and waiting to be submitted to the ERP.', (q) => q.depth);
  queueGauge('erpfront_order_queue_oldest_age_seconds', 'Age of the oldest order waiting for the ERP.', (q) => q.oldestAgeSeconds);
  queueGauge('erpfront_order_dead_letters', 'Orders the ERP refused, waiting for a person.', (q) => q.deadLetters);

  const reconciliation = reconciliationMetrics(registry);

  const changeFeed = changeFeedMetrics(registry);

  const observePriceSheet = priceSheetGauges(registry);

  return {
    contentType: registry.contentType,
    observePriceSheet,
    ...changeFeed,
    ...reconciliation,
    budgetWait: (priority, seconds) => budgetWait.observe({ priority }, seconds),
    breakerState(state) {
      breaker.set(state === 'closed' ? 0 : state === 'half_open' ? 1 : 2);
      breakerTransitions.inc({ state });
    },
    orderOutcome: (outcome) => orders.inc({ outcome }),
    graphqlDocument: (source, caller) => documents.inc({ source, caller }),
    duplicateOrders: (count) => duplicates.inc(count),
    requestRefused: (reason) => refused.inc({ reason }),
    observeLoad(read) {
      readLoad = read;
    },
    throttleLevel: (role, fillRatio) => throttleLevel.observe({ role }, fillRatio),
    observeQueue(read) {
      readQueue = read;
    },
    erpRequest(operation: string, outcome: ErpOutcome, seconds: number) {
      erpRequests.inc({ operation, outcome });
      erpDuration.observe({ operation }, seconds);
    },
    cacheRequest(cache: string, result: CacheResult, count = 1) {
      let results = cacheCounts.get(cache);
      if (results === undefined) cacheCounts.set(cache, (results = new Map()));
      const entry = results.get(result);
      if (entry) entry.count += count;
      else results.set(result, { cache, result, count });
    },
    operationCost(name, requested, actual) {
      const operation = operationLabel(name);
      operationCost.observe({ operation, cost: 'requested' }, requested);
      operationCost.observe({ operation, cost: 'actual' }, actual);
    },
    render: () => registry.metrics(),
  };
}
