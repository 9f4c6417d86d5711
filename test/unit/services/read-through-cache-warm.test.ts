/**
 * The price sheet's way into the cache (`warm`): what it keeps can stand in for a down ERP for its
 * own time, longer than the reader's bound (an order's ORDER_PRICE_MAX_AGE), and a buyer's read of
 * a kept key keeps it kept.
 */
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createMemoryCacheStore } from '../../../src/adapters/stores/memory/cache-store.ts';
import { ErpError } from '../../../src/ports/erp-error.ts';
import { ReadThroughCache, type Cached } from '../../../src/services/read-through-cache.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-29T10:00:00Z');

function setup() {
  let now = T0;
  const clock = { now: () => now };
  const metrics = createPrometheusMetrics();
  const policy = { freshMs: 60_000, staleWhileRevalidateMs: 10_000, maxStaleMs: 24 * HOUR };
  const cache = new ReadThroughCache({
    local: createMemoryCacheStore(),
    clock,
    metrics,
    policies: { items: policy, prices: policy, stock: policy, accounts: policy, reps: policy, activity: policy },
  });
  const calls: string[][] = [];
  let down = false;
  const fetch = async (keys: string[]): Promise<Array<string | Error>> => {
    calls.push([...keys]);
    if (down) throw new ErpError('ERP_UNAVAILABLE', 'ERP down');
    return keys.map((k) => `${k}@${new Date(now).toISOString()}`);
  };
  const sheet = { outageMaxAgeMs: 24 * HOUR };
  return {
    cache,
    calls,
    metrics,
    fetch,
    setDown: (value: boolean) => (down = value),
    advance: (ms: number) => (now += ms),
    now: () => now,
    warm: (keys: string[], since: number) => cache.warm('prices', keys, (k) => k, fetch, { since, ...sheet }),
    /** An order's read: authoritative, a cached value stands in for at most one hour. */
    order: (keys: string[]) => cache.load('prices', keys, (k) => k, fetch, { freshMs: 0, staleWhileRevalidateMs: 0, maxStaleMs: HOUR }),
  };
}

const shown = (results: Array<Cached<string> | Error>) => results.map((r) => (r instanceof Error ? r.message : `${r.value}${r.stale ? ' (stale)' : ''}`));

describe('ReadThroughCache.warm (the price sheet)', () => {
  it('fetches what it does not hold in one call; what it fetched since the pass began is not fetched again', async () => {
    const t = setup();
    const at = (result: { held: Array<{ fetchedAt: number } | Error> }) => result.held.map((h) => (h instanceof Error ? h : h.fetchedAt));
    const first = await t.warm(['a', 'b'], T0);
    expect(first.called).toBe(true);
    expect(first.held[0]).toEqual({ value: 'a@2026-11-29T10:00:00.000Z', fetchedAt: T0 });
    t.advance(1000);
    const second = await t.warm(['a', 'b', 'c'], T0);
    expect([at(second), second.called]).toEqual([[T0, T0, T0 + 1000], true]);
    expect(t.calls).toEqual([['a', 'b'], ['c']]);
    // The next pass (since now) fetches everything again.
    t.advance(1000);
    expect((await t.warm(['a', 'b', 'c'], t.now())).called).toBe(true);
    expect(t.calls.at(-1)).toEqual(['a', 'b', 'c']);
  });

  it("a kept price prices an order while the ERP is down for the sheet's time, not the order's hour", async () => {
    const t = setup();
    await t.cache.load('prices', ['viewed'], (k) => k, t.fetch); // a buyer's read: no sheet bound
    await t.warm(['kept'], T0);
    t.advance(5 * HOUR);
    t.setDown(true);
    expect(shown(await t.order(['kept', 'viewed']))).toEqual(['kept@2026-11-29T10:00:00.000Z (stale)', 'ERP down']);
    t.advance(20 * HOUR); // 25 hours: past the sheet's 24 as well
    expect(shown(await t.order(['kept']))).toEqual(['ERP down']);
  });

  it("a buyer's read of a kept key keeps it kept", async () => {
    const t = setup();
    await t.warm(['kept'], T0);
    t.advance(2 * 60_000);
    await t.cache.load('prices', ['kept'], (k) => k, t.fetch); // past freshness: fetched again for the buyer
    t.advance(3 * HOUR);
    t.setDown(true);
    expect(shown(await t.order(['kept']))).toEqual(['kept@2026-11-29T10:02:00.000Z (stale)']);
  });

  it('a key a buyer read since the pass began is marked kept without asking the ERP again', async () => {
    const t = setup();
    await t.cache.load('prices', ['viewed'], (k) => k, t.fetch);
    expect(await t.warm(['viewed'], T0)).toEqual({ held: [{ value: 'viewed@2026-11-29T10:00:00.000Z', fetchedAt: T0 }], called: false });
    expect(t.calls).toEqual([['viewed']]);
    t.advance(3 * HOUR);
    t.setDown(true);
    expect(shown(await t.order(['viewed']))).toEqual(['viewed@2026-11-29T10:00:00.000Z (stale)']);
  });

  it('while the ERP is down, what the cache holds still counts (and is kept); what it does not hold is the error', async () => {
    const t = setup();
    await t.warm(['a'], T0);
    t.advance(HOUR);
    t.setDown(true);
    const { held, called } = await t.warm(['a', 'b'], t.now());
    expect(called).toBe(true);
    expect(held[0]).toEqual({ value: 'a@2026-11-29T10:00:00.000Z', fetchedAt: T0 });
    expect(held[1]).toBeInstanceOf(ErpError);
  });

  it("with a shared tier, what the sheet fetches goes there only: buyers' hot entries keep their place in the LRU", async () => {
    const local = createMemoryCacheStore();
    const shared = createMemoryCacheStore();
    const policy = { freshMs: 60_000, staleWhileRevalidateMs: 0, maxStaleMs: HOUR };
    const cache = new ReadThroughCache({
      local,
      shared,
      clock: { now: () => T0 },
      metrics: createPrometheusMetrics(),
      policies: { items: policy, prices: policy, stock: policy, accounts: policy, reps: policy, activity: policy },
    });
    const fetch = async (keys: string[]) => keys.map((k) => `${k}!`);
    await cache.warm('prices', ['a'], (k) => k, fetch, { since: T0, outageMaxAgeMs: 24 * HOUR });
    expect(local.getSync('prices:a')).toBeUndefined();
    expect((await shared.getMany(['prices:a']))[0]).toMatchObject({ value: 'a!', outageMaxAgeMs: 24 * HOUR });
    expect(shown(await cache.load('prices', ['a'], (k) => k, fetch))).toEqual(['a!']);
  });

  it("leaves the cache's hit and miss counts to buyers' reads", async () => {
    const t = setup();
    await t.warm(['a', 'b'], T0);
    await t.warm(['a', 'b'], T0);
    expect(await t.metrics.render()).not.toMatch(/erpfront_cache_requests_total\{[^}]*\} [1-9]/);
  });
});
