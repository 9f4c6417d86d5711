/**
 * An ERP change that arrives while a read of the same entry is under way: the read started before
 * the change, so what it brings back may be the old value. It is handed to the reader who asked,
 * but must not be stored, or the invalidation would be undone for a whole freshness period.
 * Real cache, real invalidation service; the ERP is the test's stand-in, held open on purpose.
 */
import { silentLogger } from '../../../src/ports/logger.ts';
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createMemoryCacheStore } from '../../../src/adapters/stores/memory/cache-store.ts';
import { createChangeApplier } from '../../../src/features/changes/change-applier.ts';
import { CacheInvalidation } from '../../../src/services/cache-invalidation.ts';
import { ReadThroughCache, type Cached } from '../../../src/services/read-through-cache.ts';

function setup() {
  const local = createMemoryCacheStore();
  const policy = { freshMs: 300_000, staleWhileRevalidateMs: 60_000, maxStaleMs: 3_600_000 };
  const cache = new ReadThroughCache({
    local,
    clock: { now: () => Date.now() },
    metrics: createPrometheusMetrics(),
    policies: { items: policy, prices: policy, stock: policy, accounts: policy, reps: policy, activity: policy },
  });
  const applier = createChangeApplier(new CacheInvalidation({ local, logger: silentLogger, instanceId: 'test', inflight: cache }));
  let price = '10.00';
  let calls = 0;
  let release: (() => void) | null = null;
  const erp = async (keys: string[]) => {
    calls++;
    const answer = keys.map(() => price); // read now, answered later: the ERP's state when asked
    if (release === null) await new Promise<void>((r) => (release = r));
    return answer;
  };
  const read = () => cache.load<string, string>('prices', ['priceList:PL-OEM:SKU-1'], (k) => k, erp).then(([r]) => (r as Cached<string>).value);
  /** Resolves once the ERP has been asked (the read is under way). */
  const asked = async () => {
    while (calls === 0) await new Promise((r) => setTimeout(r, 1));
  };
  return { applier, read, asked, setPrice: (p: string) => (price = p), release: () => release?.(), calls: () => calls };
}

describe('an ERP change during a read of the changed entry', () => {
  it('the old value the read brings back is not stored: the next read asks the ERP again', async () => {
    const t = setup();
    const before = t.read(); // asks the ERP for 10.00, answer held back
    await t.asked();
    t.setPrice('12.00'); // the ERP changes...
    await t.applier.apply([{ type: 'price_list.changed', data: { priceListId: 'PL-OEM', skus: ['SKU-1'] } }]); // ...and says so
    t.release();
    expect(await before).toBe('10.00'); // the reader who asked before the change gets the answer
    expect(await t.read()).toBe('12.00'); // but it was not kept: read again from the ERP
    expect(t.calls()).toBe(2);
    expect(await t.read()).toBe('12.00');
    expect(t.calls()).toBe(2);
  });

  it('also for a change naming the whole list (a pattern), and a reader arriving after the change does not join the old read', async () => {
    const t = setup();
    const before = t.read();
    await t.asked();
    t.setPrice('13.00');
    await t.applier.apply([{ type: 'price_list.changed', data: { priceListId: 'PL-OEM' } }]);
    const after = t.read(); // starts its own fetch instead of waiting for the superseded one
    t.release();
    expect(await before).toBe('10.00');
    expect(await after).toBe('13.00');
    expect(await t.read()).toBe('13.00');
    expect(t.calls()).toBe(2);
  });
});
