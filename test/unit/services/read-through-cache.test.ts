import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createMemoryCacheStore } from '../../../src/adapters/stores/memory/cache-store.ts';
import { ErpError } from '../../../src/ports/erp-error.ts';
import { ReadThroughCache, type Cached } from '../../../src/services/read-through-cache.ts';

/** An ERP stand-in that records every batch it is asked for, as dataloader's tests do. */
function fakeErp() {
  const calls: string[][] = [];
  let down = false;
  let version = 1;
  let gate: Promise<void> = Promise.resolve();
  return {
    calls,
    setDown: (value: boolean) => (down = value),
    bump: () => version++,
    hold() {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => release();
    },
    fetch: async (keys: string[]): Promise<Array<string | Error>> => {
      calls.push([...keys]);
      await gate;
      if (down) throw new ErpError('ERP_UNAVAILABLE', 'ERP down');
      return keys.map((k) => (k.startsWith('missing') ? new ErpError('ERP_NOT_FOUND', `${k} not found`) : `${k}@v${version}`));
    },
  };
}

function setup() {
  let now = Date.parse('2026-11-23T10:00:00Z');
  const clock = { now: () => now };
  const metrics = createPrometheusMetrics();
  const policy = { freshMs: 60_000, staleWhileRevalidateMs: 10_000, maxStaleMs: 3_600_000 };
  const cache = new ReadThroughCache({
    local: createMemoryCacheStore(),
    clock,
    metrics,
    policies: { items: policy, prices: policy, stock: policy, accounts: policy, reps: policy, activity: policy, invoices: policy },
  });
  const erp = fakeErp();
  const load = (keys: string[]) => cache.load('prices', keys, (k) => k, erp.fetch);
  return { cache, erp, load, metrics, advance: (ms: number) => (now += ms) };
}

const values = (results: Array<Cached<string> | Error>) => results.map((r) => (r instanceof Error ? r.message : r.value));

describe('ReadThroughCache', () => {
  it('fetches misses in one call and serves them from the cache afterwards', async () => {
    const { erp, load } = setup();
    expect(values(await load(['a', 'b']))).toEqual(['a@v1', 'b@v1']);
    expect(values(await load(['a', 'b', 'c']))).toEqual(['a@v1', 'b@v1', 'c@v1']);
    expect(erp.calls).toEqual([['a', 'b'], ['c']]);
  });

  it('stamps values with the instant they were fetched', async () => {
    const { load } = setup();
    const [a] = await load(['a']);
    expect(a).toMatchObject({ asOf: '2026-11-23T10:00:00.000Z', stale: false });
  });

  it('lets concurrent askers of the same key share one ERP call (single flight)', async () => {
    const { erp, load } = setup();
    const release = erp.hold();
    const first = load(['a', 'b']);
    const second = load(['b', 'c']);
    release();
    expect(values(await first)).toEqual(['a@v1', 'b@v1']);
    expect(values(await second)).toEqual(['b@v1', 'c@v1']);
    expect(erp.calls).toEqual([['a', 'b'], ['c']]);
  });

  it('serves a value past freshness as stale while it refreshes in the background', async () => {
    const { erp, load, advance } = setup();
    await load(['a']);
    erp.bump();
    advance(65_000);
    const [during] = await load(['a']);
    expect(during).toMatchObject({ value: 'a@v1', stale: true });
    await new Promise((r) => setTimeout(r, 0));
    const [after] = await load(['a']);
    expect(after).toMatchObject({ value: 'a@v2', stale: false });
  });

  it('serves the last known value, marked stale, when the ERP is down', async () => {
    const { erp, load, advance } = setup();
    await load(['a']);
    erp.setDown(true);
    advance(30 * 60_000);
    const [a, b] = await load(['a', 'b']);
    expect(a).toMatchObject({ value: 'a@v1', stale: true, asOf: '2026-11-23T10:00:00.000Z' });
    expect(b).toBeInstanceOf(ErpError);
    expect((b as ErpError).code).toBe('ERP_UNAVAILABLE');
  });

  it('stops standing in with a value older than the stale limit', async () => {
    const { erp, load, advance } = setup();
    await load(['a']);
    erp.setDown(true);
    advance(2 * 3_600_000);
    expect((await load(['a']))[0]).toBeInstanceOf(ErpError);
  });

  it('fails only the key the ERP does not know, and does not cache the failure', async () => {
    const { erp, load } = setup();
    expect(values(await load(['a', 'missing-1']))).toEqual(['a@v1', 'missing-1 not found']);
    await load(['missing-1']);
    expect(erp.calls).toEqual([['a', 'missing-1'], ['missing-1']]);
  });

  it('never serves a stale value for a key that is not found (only transient failures stand in)', async () => {
    const { cache, erp, advance } = setup();
    let gone = false;
    const fetch = async (keys: string[]) => keys.map((k) => (gone ? new ErpError('ERP_NOT_FOUND', 'deleted') : `${k}!`));
    await cache.load('items', ['x'], (k) => k, fetch);
    gone = true;
    advance(120_000);
    expect((await cache.load('items', ['x'], (k) => k, fetch))[0]).toBeInstanceOf(ErpError);
    expect(erp.calls).toEqual([]);
  });

  it('keeps domains apart: the same key in two domains is two entries', async () => {
    const { cache } = setup();
    await cache.load(
      'prices',
      ['k'],
      (k) => k,
      async () => ['price'],
    );
    const [stock] = await cache.load(
      'stock',
      ['k'],
      (k) => k,
      async () => ['stock'],
    );
    expect(stock).toMatchObject({ value: 'stock' });
    expect(cache.peek('prices', 'k')).toMatchObject({ value: 'price' });
  });

  it('forgets invalidated entries', async () => {
    const { cache, erp, load } = setup();
    await load(['a']);
    await cache.invalidate('prices', ['a']);
    await load(['a']);
    expect(erp.calls).toEqual([['a'], ['a']]);
  });

  it('counts hits, misses and stale answers for /metrics', async () => {
    const { erp, load, metrics, advance } = setup();
    await load(['a', 'b']);
    await load(['a']);
    erp.setDown(true);
    advance(120_000);
    await load(['a']);
    const text = await metrics.render();
    expect(text).toContain('erpfront_cache_requests_total{cache="prices",result="miss"} 3');
    expect(text).toContain('erpfront_cache_requests_total{cache="prices",result="hit"} 1');
  });

  it('a fetch that never settles (its runtime cancelled it) is joined for at most maxFetchMs; then a reader fetches anew', async () => {
    const { erp, load, advance } = setup();
    const tick = () => new Promise((r) => setTimeout(r, 0));
    erp.hold(); // never released: the first fetch hangs for ever
    void load(['a']);
    await tick();
    const joined = load(['a']);
    await tick();
    expect(erp.calls).toEqual([['a']]);
    advance(60_001);
    const release = erp.hold();
    const fresh = load(['a']);
    await tick();
    expect(erp.calls).toEqual([['a'], ['a']]);
    release();
    expect(values(await fresh)).toEqual(['a@v1']);
    // The reader that joined the hung fetch still waits on it: the bound is for later readers.
    expect(await Promise.race([joined.then(() => 'settled'), new Promise((r) => setTimeout(() => r('waiting'), 20))])).toBe('waiting');
  });
});
