/**
 * The price sheet job against the sandbox ERP over HTTP (in this process): it yields to callers
 * waiting for the ERP, one instance runs it while every instance records who it saw, and without
 * a shared tier it keeps to its share of the in-process cache and says what it leaves out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxConnector } from '../../../src/adapters/erp/sandbox/index.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createMemoryCacheStore } from '../../../src/adapters/stores/memory/cache-store.ts';
import { createMemoryCursorStore } from '../../../src/adapters/stores/memory/cursor-store.ts';
import { createMemoryCustomerActivity } from '../../../src/adapters/stores/memory/customer-activity.ts';
import { createMemoryErpBudget } from '../../../src/adapters/stores/memory/erp-budget.ts';
import { PriceSheet, type PriceSheetOptions } from '../../../src/features/price-sheet/price-sheet-job.ts';
import { readStatus } from '../../../src/features/price-sheet/sheet-status.ts';
import { silentLogger } from '../../../src/ports/logger.ts';
import type { ErpBudget } from '../../../src/ports/erp-budget.ts';
import { CircuitBreaker } from '../../../src/services/circuit-breaker.ts';
import { decorateConnector } from '../../../src/services/erp/decorate-connector.ts';
import { guardLinks } from '../../../src/services/erp/guard-links.ts';
import { ReadThroughCache } from '../../../src/services/read-through-cache.ts';
import { startSandboxErp, type RunningSandbox } from '../../../src/sandbox-erp/server.ts';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandboxErp({ port: 0 });
});
afterAll(() => sandbox?.close());

const HOUR = 3_600_000;
const policy = { freshMs: 300_000, staleWhileRevalidateMs: 60_000, maxStaleMs: 24 * HOUR };

/** One instance's sheet over shared stores (the cursor store and activity a scale-out shares). */
function instance(shared: { cursors: PriceSheetOptions['cursors']; activity: PriceSheetOptions['activity'] }, overrides: Partial<PriceSheetOptions> = {}) {
  const metrics = createPrometheusMetrics();
  const budget: ErpBudget = overrides.budget ?? createMemoryErpBudget({ requestsPerSecond: 10_000, maxConcurrent: 4 });
  const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 1000, metrics });
  const erp = decorateConnector(createSandboxConnector({ baseUrl: sandbox.url, timeoutMs: 5000 }), guardLinks({ budget, breaker, metrics }));
  const cache = new ReadThroughCache({
    local: createMemoryCacheStore({ maxEntries: 500_000 }),
    policies: { items: policy, prices: policy, stock: policy, accounts: policy, reps: policy, activity: policy, invoices: policy },
    clock: { now: () => Date.now() },
    metrics,
  });
  const sheet = new PriceSheet({
    erp,
    cache,
    budget,
    clock: { now: () => Date.now() },
    logger: silentLogger,
    instanceId: `i-${Math.random()}`,
    punchOutCustomers: [],
    pace: { intervalMs: 10, callsPerTick: 1000, batchSize: 250, keysPerCall: 750 },
    activeWindowMs: 7 * 24 * HOUR,
    maxAgeMs: 24 * HOUR,
    refreshMs: HOUR,
    maxEntries: null,
    ...shared,
    ...overrides,
  });
  return { sheet, cache };
}

const stores = () => ({ cursors: createMemoryCursorStore(), activity: createMemoryCustomerActivity() });

async function runPass(sheet: PriceSheet): Promise<void> {
  do await sheet.tick();
  while (sheet.passing);
}

describe('the price sheet job', () => {
  it('stores a customer new to it at once, and one seen on every tick only once a minute (each store is a commit to disk)', async () => {
    const shared = stores();
    const touched: string[][] = [];
    const activity = { ...shared.activity, touch: (ids: string[], at: number) => (touched.push([...ids]), shared.activity.touch(ids, at)) };
    let now = Date.now();
    const { sheet } = instance({ ...shared, activity }, { clock: { now: () => now } });
    sheet.seen('C0001');
    await sheet.tick();
    expect(touched).toEqual([['C0001']]);
    for (let i = 0; i < 5; i++) {
      now += 2_000;
      sheet.seen('C0001');
      await sheet.tick();
    }
    sheet.seen('C0001');
    sheet.seen('C0002');
    await sheet.tick();
    expect(touched).toEqual([['C0001'], ['C0002']]);
    now += 60_000;
    sheet.seen('C0001');
    await sheet.tick();
    expect(touched).toEqual([['C0001'], ['C0002'], ['C0001']]);
    expect((await shared.activity.seenSince(now - 1000)).sort()).toEqual(['C0001']);
  });

  it('leaves the ERP budget to a caller waiting for it: no call in that tick, the pass once the caller is served', async () => {
    const budget = createMemoryErpBudget({ requestsPerSecond: 10_000, maxConcurrent: 1 });
    const shared = stores();
    const { sheet } = instance(shared, { budget });
    await shared.activity.touch(['C0001'], Date.now());
    const held = await budget.acquire('order');
    const waiting = budget.acquire('read'); // a buyer's page, waiting behind the order
    await sheet.tick();
    expect(sheet.calls).toBe(0);
    expect(sheet.passing).toBe(false);
    held.release();
    (await waiting).release();
    await runPass(sheet);
    expect(sheet.calls).toBeGreaterThan(0);
    expect((await readStatus(shared.cursors, Date.now())).coverageRatio).toBe(1);
  });

  it('one instance runs it; the others only record who they saw, and the runner prices those customers too', async () => {
    const shared = stores();
    const a = instance(shared);
    const b = instance(shared);
    a.sheet.seen('C0001');
    await runPass(a.sheet);
    expect((await readStatus(shared.cursors, Date.now())).customers).toBe(1);
    b.sheet.seen('C0002');
    await b.sheet.tick(); // stores who it saw; the lease is a's
    expect(b.sheet.calls).toBe(0);
    expect(b.sheet.passing).toBe(false);
    const before = a.sheet.calls;
    await runPass(a.sheet); // C0002 turned active between passes: a short pass
    const status = await readStatus(shared.cursors, Date.now());
    expect(status).toMatchObject({ customers: 2, items: 5000, coverageRatio: 1 });
    // The short pass reuses the catalog pages it knows: no search, only what C0002 adds.
    expect(a.sheet.calls - before).toBeLessThan(25);
    expect(status.ageSeconds).toBeLessThan(60);
    expect(status.lastRunAt).not.toBeNull();
  });

  it('without a shared tier it keeps to its share of the cache: most shared scopes first, the rest reported uncovered', async () => {
    const shared = stores();
    // Room for the items and two scopes of 5,000 entries: the USD list prices and one price list.
    const { sheet } = instance(shared, { maxEntries: 15_000 });
    const ids = Array.from({ length: 40 }, (_, i) => `C${String(i + 1).padStart(4, '0')}`);
    await shared.activity.touch(ids, Date.now());
    await runPass(sheet);
    const status = await readStatus(shared.cursors, Date.now());
    expect(status.customers).toBe(40);
    expect(status.coverageRatio).toBeGreaterThan(0);
    expect(status.coverageRatio).toBeLessThan(1);
  });
});
