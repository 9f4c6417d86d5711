/**
 * What the overview shows, read from the services that already hold it: the ERP's health and the
 * breaker, the ERP budget, the order queue, reconciliation, the cache, the change feed and the
 * price sheet, and the recent errors. Each part is read on its own: one that fails (a store that
 * is down) shows as unavailable, and the rest of the page still answers.
 *
 * @module
 */
import type { Env } from '../../config/env.ts';
import { withoutAddresses } from '../../domain/loggable-error.ts';
import { ERP_PRIORITIES, type ErpBudget, type ErpBudgetSnapshot } from '../../ports/erp-budget.ts';
import type { FindingKind, FindingStore, ReconciliationRunRecord } from '../../ports/finding-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { OrderStore, QueueStats } from '../../ports/order-store.ts';
import type { BreakerSnapshot, CircuitBreaker } from '../../services/circuit-breaker.ts';
import type { ErpHealth, ErpHealthReport } from '../../services/erp-health.ts';
import type { CacheDomain, FreshnessPolicy, ReadThroughCache } from '../../services/read-through-cache.ts';
import type { ErrorEvent, RecentErrors } from '../../services/recent-errors.ts';
import { readMetrics, type MetricReadings } from './metric-readings.ts';
import type { ChangeFeedStatus, ConsoleSources, PriceSheetStatus } from './sources.ts';

/** A part of the page: its figures, or why they cannot be shown now. */
export type Reading<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Reads one part; a failure becomes a sentence (its code, never its text: that may name internal addresses). */
export async function reading<T>(read: () => Promise<T> | T): Promise<Reading<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'UNAVAILABLE';
    return { ok: false, problem: `Cannot be read right now (${code}); retry shortly.` };
  }
}

export interface ConsoleStatusDeps {
  env: Env;
  connector: string;
  health: ErpHealth;
  breaker: CircuitBreaker;
  budget: ErpBudget;
  orders: OrderStore | null;
  findings: FindingStore;
  cache: ReadThroughCache;
  metrics: Metrics;
  clock: Clock;
  recentErrors: RecentErrors;
  sources: () => ConsoleSources;
}

/** At most this many held orders are counted (the orders page lists them). */
export const HELD_COUNT_LIMIT = 1000;

export interface OverviewStatus {
  readAt: string;
  connector: string;
  erp: Reading<ErpHealthReport>;
  breaker: BreakerSnapshot;
  budget: { limits: { requestsPerSecond: number; maxConcurrent: number }; now: ErpBudgetSnapshot; priorities: readonly string[] };
  metrics: Reading<MetricReadings>;
  queue: Reading<(QueueStats & { held: number }) | null>;
  reconciliation: Reading<{ open: Record<FindingKind, number>; lastRun: ReconciliationRunRecord | null }>;
  cacheDomains: Array<{ domain: CacheDomain; policy: FreshnessPolicy; lastFetchedAt: number | null }>;
  changeFeed: Reading<ChangeFeedStatus> | null;
  priceSheet: Reading<PriceSheetStatus> | null;
  errors: ErrorEvent[];
}

export async function readOverview(deps: ConsoleStatusDeps): Promise<OverviewStatus> {
  const now = deps.clock.now();
  const sources = deps.sources();
  const [erp, metrics, queue, reconciliation, changeFeed, priceSheet] = await Promise.all([
    reading(async () => {
      const report = await deps.health.check();
      // The connector's own words can name the ERP's address: operators see them in the log.
      return { ...report, lastError: report.lastError === null ? null : withoutAddresses(report.lastError, 300) };
    }),
    reading(() => readMetrics(deps.metrics)),
    reading(async () => {
      const store = deps.orders;
      if (!store) return null;
      const [stats, held] = await Promise.all([store.queueStats(now), store.listByStatus(['ON_HOLD'], { limit: HELD_COUNT_LIMIT })]);
      return { ...stats, held: held.length };
    }),
    reading(async () => {
      const [open, lastRun] = await Promise.all([deps.findings.openCounts(), deps.findings.lastRun()]);
      return { open, lastRun };
    }),
    sources.changeFeed ? reading(() => sources.changeFeed!.status()) : null,
    sources.priceSheet ? reading(() => sources.priceSheet!.status()) : null,
  ]);
  const policies = deps.cache.policies;
  return {
    readAt: new Date(now).toISOString(),
    connector: deps.connector,
    erp,
    breaker: deps.breaker.snapshot(),
    budget: {
      limits: { requestsPerSecond: deps.env.ERP_REQUESTS_PER_SECOND, maxConcurrent: deps.env.ERP_MAX_CONCURRENT },
      now: deps.budget.snapshot(),
      priorities: ERP_PRIORITIES,
    },
    metrics,
    queue,
    reconciliation,
    cacheDomains: (Object.keys(policies) as CacheDomain[]).map((domain) => ({
      domain,
      policy: policies[domain],
      lastFetchedAt: deps.cache.lastFetchedAt(domain),
    })),
    changeFeed,
    priceSheet,
    errors: deps.recentErrors.list(),
  };
}
