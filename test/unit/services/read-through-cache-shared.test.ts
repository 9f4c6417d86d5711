/**
 * The shared tier behind the in-process one: what another instance fetched (or the process before
 * a restart) is read from the shared tier once, then kept in-process like an entry fetched here;
 * never when a drop was announced while the shared tier was being read.
 */
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createMemoryCacheStore } from '../../../src/adapters/stores/memory/cache-store.ts';
import type { CacheStore } from '../../../src/ports/cache-store.ts';
import { ReadThroughCache } from '../../../src/services/read-through-cache.ts';

const T0 = Date.parse('2026-11-30T10:00:00Z');

function setup() {
  const now = T0;
  const clock = { now: () => now };
  const policy = { freshMs: 60_000, staleWhileRevalidateMs: 10_000, maxStaleMs: 600_000 };
  const policies = { items: policy, prices: policy, stock: policy, accounts: policy, reps: policy, activity: policy, invoices: policy };
  // The shared tier as another instance left it (an in-process store stands in for Redis), its
  // answers held on their way back until the test lets them arrive (read first, as Redis runs a
  // read sent before a delete first).
  const sharedStore = createMemoryCacheStore();
  let gate: Promise<void> = Promise.resolve();
  const shared: CacheStore = {
    ...sharedStore,
    async getMany<T>(keys: readonly string[]) {
      const answer = await sharedStore.getMany<T>(keys);
      await gate;
      return answer;
    },
  };
  const local = createMemoryCacheStore();
  const cache = new ReadThroughCache({ local, shared, clock, metrics: createPrometheusMetrics(), policies });
  let erpCalls = 0;
  const fetch = async (keys: string[]) => {
    erpCalls++;
    return keys.map((k) => `${k} from this instance's ERP call`);
  };
  return {
    cache,
    fetch,
    erpCalls: () => erpCalls,
    /** What another instance fetched, in the shared tier. */
    fetchedElsewhere: (key: string, value: string) =>
      sharedStore.setMany([[`prices:${key}`, { value, fetchedAt: T0 - 1_000, asOf: new Date(T0 - 1_000).toISOString() }]], 70_000),
    hold() {
      let release = () => {};
      gate = new Promise((resolve) => (release = resolve));
      return () => release();
    },
  };
}

describe('ReadThroughCache with a shared tier', () => {
  it('keeps in-process what only the shared tier had: the next read is an in-process hit, with no ERP call', async () => {
    const t = setup();
    await t.fetchedElsewhere('list:USD:SKU-1', 'fetched by another instance');
    expect(t.cache.peek('prices', 'list:USD:SKU-1')).toBeUndefined();
    const [read] = await t.cache.load('prices', ['list:USD:SKU-1'], (k) => k, t.fetch);
    expect(read).toMatchObject({ value: 'fetched by another instance', stale: false });
    await new Promise((r) => setImmediate(r));
    expect(t.cache.peek('prices', 'list:USD:SKU-1')?.value).toBe('fetched by another instance');
    expect(t.erpCalls()).toBe(0);
  });

  it('keeps nothing in-process from a shared read that a drop crossed: what it answered may be what was dropped', async () => {
    const t = setup();
    await t.fetchedElsewhere('list:USD:SKU-2', 'before the change');
    const release = t.hold();
    const reading = t.cache.load('prices', ['list:USD:SKU-2'], (k) => k, t.fetch);
    // The change event arrives while the shared tier is being read.
    t.cache.supersedeFetches(['prices:list:USD:SKU-2']);
    await t.cache.invalidate('prices', ['list:USD:SKU-2']);
    release();
    // The read itself answers what the shared tier had when it was read...
    expect((await reading)[0]).toMatchObject({ value: 'before the change' });
    await new Promise((r) => setImmediate(r));
    // ...but it is not kept: the next read asks the ERP.
    expect(t.cache.peek('prices', 'list:USD:SKU-2')).toBeUndefined();
    const [next] = await t.cache.load('prices', ['list:USD:SKU-2'], (k) => k, t.fetch);
    expect(next).toMatchObject({ value: "list:USD:SKU-2 from this instance's ERP call" });
  });
});
