/**
 * What the price sheet costs the ERP: ERP calls per hour for 200 customers × 5,000 items (the
 * sandbox's own data set, seed 42), at the configured pace (env defaults).
 *
 * The job runs in this process against the sandbox ERP over HTTP, flat out, so a pass takes
 * seconds instead of minutes; its calls are counted by the sandbox (`/__control/stats`) and by the
 * job. The hour is then extrapolated from one full pass with the configured pace: a pass starts
 * every PRICE_SHEET_REFRESH_MINUTES, or back to back when a pass at PRICE_SHEET_CALLS_PER_TICK
 * calls every PRICE_SHEET_INTERVAL_SECONDS takes longer than that.
 */
import { createSandboxConnector } from '../src/adapters/erp/sandbox/index.ts';
import { createPrometheusMetrics } from '../src/adapters/metrics/prometheus.ts';
import { createMemoryCacheStore } from '../src/adapters/stores/memory/cache-store.ts';
import { createMemoryCursorStore } from '../src/adapters/stores/memory/cursor-store.ts';
import { createMemoryCustomerActivity } from '../src/adapters/stores/memory/customer-activity.ts';
import { createMemoryErpBudget } from '../src/adapters/stores/memory/erp-budget.ts';
import { freshnessPolicies } from '../src/config/defaults.ts';
import { parseEnv } from '../src/config/env.ts';
import { PriceSheet } from '../src/features/price-sheet/price-sheet-job.ts';
import { readStatus } from '../src/features/price-sheet/sheet-status.ts';
import { silentLogger } from '../src/ports/logger.ts';
import { CircuitBreaker } from '../src/services/circuit-breaker.ts';
import { decorateConnector } from '../src/services/erp/decorate-connector.ts';
import { guardLinks } from '../src/services/erp/guard-links.ts';
import { ReadThroughCache } from '../src/services/read-through-cache.ts';
import { CUSTOMER_COUNT } from '../src/sandbox-erp/customers.ts';
import { ITEM_COUNT } from '../src/sandbox-erp/catalog.ts';
import { startSandboxErp } from '../src/sandbox-erp/server.ts';

export interface PassCount {
  /** HTTP requests the sandbox ERP received, by operation. */
  byOperation: Record<string, number>;
  /** All of them. */
  erpRequests: number;
  /** Calls the job made through the connector (one may be several HTTP requests). */
  jobCalls: number;
  seconds: number;
  ticks: number;
}

export async function benchPriceSheet() {
  const env = parseEnv({});
  const sandbox = await startSandboxErp({ port: 0 });
  let skew = 0; // moves the job's clock to the next pass without waiting for it
  const clock = { now: () => Date.now() + skew };
  const metrics = createPrometheusMetrics();
  // The ERP budget out of the way: the pace is extrapolated, not waited for.
  const budget = createMemoryErpBudget({ requestsPerSecond: 10_000, maxConcurrent: 15 });
  const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 1000, metrics, clock });
  const connector = createSandboxConnector({ baseUrl: sandbox.url, timeoutMs: 10_000 });
  const erp = decorateConnector(connector, guardLinks({ budget, breaker, metrics, clock }));
  const cache = new ReadThroughCache({
    local: createMemoryCacheStore({ maxEntries: 2_000_000, maxBytes: 2 * 1024 ** 3 }),
    policies: freshnessPolicies(env),
    clock,
    metrics,
  });
  const activity = createMemoryCustomerActivity();
  const cursors = createMemoryCursorStore();
  const sheet = new PriceSheet({
    erp,
    cache,
    activity,
    cursors,
    budget,
    clock,
    logger: silentLogger,
    instanceId: 'bench',
    punchOutCustomers: [],
    pace: { intervalMs: 0, callsPerTick: 1000, batchSize: env.PRICE_SHEET_BATCH, keysPerCall: env.ERP_MAX_BATCH * 3 },
    activeWindowMs: env.PRICE_SHEET_ACTIVE_DAYS * 86_400_000,
    maxAgeMs: env.PRICE_SHEET_MAX_AGE_HOURS * 3_600_000,
    refreshMs: env.PRICE_SHEET_REFRESH_MINUTES * 60_000,
    maxEntries: null,
  });
  const stats = async () => (await (await fetch(`${sandbox.url}/__control/stats`)).json()) as { total: number; byOperation: Record<string, number> };
  const pass = async (): Promise<PassCount> => {
    const before = await stats();
    const calls = sheet.calls;
    const started = performance.now();
    let ticks = 0;
    do {
      await sheet.tick();
      ticks++;
    } while (sheet.passing);
    const after = await stats();
    const byOperation = Object.fromEntries(
      Object.entries(after.byOperation)
        .map(([op, n]) => [op, n - (before.byOperation[op] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    return { byOperation, erpRequests: after.total - before.total, jobCalls: sheet.calls - calls, seconds: (performance.now() - started) / 1000, ticks };
  };

  try {
    const ids = Array.from({ length: CUSTOMER_COUNT }, (_, i) => `C${String(i + 1).padStart(4, '0')}`);
    // 199 customers active; then the 200th turns active between passes (a short pass); then the
    // next full pass, for all 200: the figure.
    await activity.touch(ids.slice(0, -1), clock.now());
    const first = await pass();
    await activity.touch(ids.slice(-1), clock.now());
    const joined = await pass();
    skew += env.PRICE_SHEET_REFRESH_MINUTES * 60_000;
    await activity.touch(ids, clock.now());
    const full = await pass();
    const status = await readStatus(cursors, clock.now());

    const perTick = env.PRICE_SHEET_CALLS_PER_TICK;
    const interval = env.PRICE_SHEET_INTERVAL_SECONDS;
    const passSeconds = Math.ceil(full.jobCalls / perTick) * interval;
    const cycleSeconds = Math.max(passSeconds, env.PRICE_SHEET_REFRESH_MINUTES * 60);
    return {
      customers: status.customers,
      items: status.items,
      coverageRatio: status.coverageRatio,
      first,
      joined,
      full,
      pace: { perTick, interval, refreshMinutes: env.PRICE_SHEET_REFRESH_MINUTES, ceilingPerHour: (3600 / interval) * perTick },
      passSeconds,
      erpRequestsPerHour: Math.round((full.erpRequests * 3600) / cycleSeconds),
      jobCallsPerHour: Math.round((full.jobCalls * 3600) / cycleSeconds),
      budgetPerHour: env.ERP_REQUESTS_PER_SECOND * 3600,
    };
  } finally {
    await sandbox.close();
  }
}

export function formatPriceSheet(r: Awaited<ReturnType<typeof benchPriceSheet>>): string {
  const ops = (p: PassCount) =>
    Object.entries(p.byOperation)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ');
  const pass = (p: PassCount) => `${p.erpRequests} ERP requests (${ops(p)}; ${p.jobCalls} calls by the job), ${p.seconds.toFixed(1)} s flat out`;
  return [
    `## Price sheet: ERP calls for ${r.customers} customers × ${r.items.toLocaleString('en')} items (sandbox seed 42; catalog ${ITEM_COUNT})`,
    `full pass, ${r.customers} customers: ${pass(r.full)}; coverage ${r.coverageRatio.toFixed(3)}`,
    `first pass, 199 customers: ${pass(r.first)}`,
    `short pass when the 200th customer turns active between passes: ${pass(r.joined)}`,
    `at the configured pace (${r.pace.perTick} calls every ${r.pace.interval} s, a pass every ${r.pace.refreshMinutes} min): a pass takes ${(r.passSeconds / 60).toFixed(1)} min`,
    `ERP calls per hour the price-sheet job spends for 200 customers × 5,000 items: ${r.erpRequestsPerHour.toLocaleString('en')} ` +
      `(pace ceiling ${r.pace.ceilingPerHour.toLocaleString('en')}/h; ${((r.erpRequestsPerHour / r.budgetPerHour) * 100).toFixed(2)}% of the ERP budget's ${r.budgetPerHour.toLocaleString('en')}/h)`,
  ].join('\n');
}

if (import.meta.main) console.log(formatPriceSheet(await benchPriceSheet()));
