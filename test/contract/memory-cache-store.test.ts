/** The in-process cache tier against the CacheStore conformance suite, plus what only it does. */
import { describe, expect, it } from 'vitest';
import { ItemsBatchWire, parseWire, PricesAnswerWire } from '../../src/adapters/erp/sandbox/wire.ts';
import { createMemoryCacheStore, entryBytes } from '../../src/adapters/stores/memory/cache-store.ts';
import type { CacheEntry } from '../../src/ports/cache-store.ts';
import { dataSetFor } from '../../src/sandbox-erp/data-set.ts';
import { collectedHeap } from '../support/heap.ts';
import { runCacheStoreContract } from './cache-store.contract.ts';

runCacheStoreContract('memory', () => createMemoryCacheStore());

it('memory tier: clear forgets every entry and says how many (after missed invalidations)', async () => {
  const store = createMemoryCacheStore();
  const entry = { value: 1, fetchedAt: 0, asOf: '1970-01-01T00:00:00.000Z' };
  await store.setMany(
    [
      ['prices:a', entry],
      ['stock:b', entry],
    ],
    60_000,
  );
  expect(await store.clear()).toBe(2);
  expect(await store.getMany(['prices:a', 'stock:b'])).toEqual([undefined, undefined]);
  expect(store.getSync('prices:a')).toBeUndefined();
});

it('memory tier: holds an entry until it is replaced, deleted, evicted or cleared, and again once stored again', async () => {
  const store = createMemoryCacheStore({ maxEntries: 2 });
  const entry = (value: number) => ({ value, fetchedAt: 0, asOf: '1970-01-01T00:00:00.000Z' });
  const [a, b, c, d, e] = [entry(1), entry(2), entry(3), entry(4), entry(5)];
  await store.setMany([['k:a', a]], 60_000);
  expect(store.getSync('k:a')).toBe(a);
  expect(store.holds(a)).toBe(true);
  // Set again as it is: still the one held.
  await store.setMany([['k:a', a]], 60_000);
  expect(store.holds(a)).toBe(true);
  // Replaced by a newer answer.
  await store.setMany([['k:a', b]], 60_000);
  expect(store.holds(a)).toBe(false);
  expect(store.holds(b)).toBe(true);
  // Deleted (a change event).
  await store.deleteMany(['k:a']);
  expect(store.holds(b)).toBe(false);
  // Evicted: two entries at most, the least recently used goes.
  await store.setMany([['k:c', c]], 60_000);
  await store.setMany([['k:d', d]], 60_000);
  store.getSync('k:c');
  await store.setMany([['k:e', e]], 60_000);
  expect([store.holds(c), store.holds(d), store.holds(e)]).toEqual([true, false, true]);
  // Cleared (invalidations missed); an entry stored again is held again.
  await store.clear();
  expect([store.holds(c), store.holds(e)]).toEqual([false, false]);
  await store.setMany([['k:other', c]], 60_000);
  expect(store.holds(c)).toBe(true);
});

const data = dataSetFor();

/** The sandbox's answers as the sandbox connector parses them, keyed as the read-through cache keys them. */
function erpAnswers(kind: 'prices' | 'emptyScopes' | 'items', count: number): Array<[string, CacheEntry]> {
  const fetchedAt = Date.UTC(2026, 0, 5, 9);
  const asOf = new Date(fetchedAt).toISOString();
  const entries: Array<[string, CacheEntry]> = [];
  if (kind === 'emptyScopes') {
    // No contract price for a SKU: cached as `null`, the commonest price entry of all.
    for (let i = 0; i < count; i++)
      entries.push([`prices:${`contract:C${String(i % 200).padStart(4, '0')}:SKU-${String(i).padStart(5, '0')}`}`, { value: null, fetchedAt, asOf }]);
    return entries;
  }
  const source = kind === 'prices' ? [...data.prices.values()] : data.items;
  // The catalog has 5,000 items: more are the same answers again, under keys of the same length.
  for (let i = 0; i < count; i += 250) {
    const body = JSON.parse(JSON.stringify({ value: source.slice(i % source.length, (i % source.length) + 250), missing: [] }));
    const round = Math.floor(i / source.length);
    if (kind === 'prices')
      for (const p of parseWire(PricesAnswerWire, body, 'getPrices').value)
        entries.push([`prices:${`${p.scope}:${p.scopeId}:${p.sku}`}`, { value: p, fetchedAt, asOf }]);
    else
      for (const item of parseWire(ItemsBatchWire, body, 'getItems').value)
        entries.push([`items:${item.sku.slice(0, 4 - String(round).length)}${round}${item.sku.slice(4)}`, { value: item, fetchedAt, asOf }]);
  }
  return entries;
}

describe('memory tier: CACHE_MAX_MB is honest', () => {
  it.each(['prices', 'emptyScopes', 'items'] as const)('the heap %s take is within a quarter of what is counted against the bound', async (kind) => {
    const count = 20_000;
    const store = createMemoryCacheStore({ maxEntries: count, maxBytes: 1024 * 1024 * 1024 });
    const before = collectedHeap();
    let entries: Array<[string, CacheEntry]> | undefined = erpAnswers(kind, count);
    const counted = entries.reduce((sum, [key, entry]) => sum + entryBytes(key, entry), 0);
    await store.setMany(entries, 3_600_000);
    entries = undefined;
    const taken = collectedHeap() - before;
    expect(taken / counted).toBeGreaterThan(0.75);
    expect(taken / counted).toBeLessThan(1.25);
    expect(
      store.getSync(kind === 'items' ? 'items:SKU000001' : kind === 'prices' ? 'prices:list:USD:SKU-00001' : 'prices:contract:C0000:SKU-00000'),
    ).toBeDefined();
  });

  it('a store bounded at 8 MB keeps about 8 MB of heap, however much is put in', async () => {
    const bound = 8 * 1024 * 1024;
    const before = collectedHeap();
    const store = createMemoryCacheStore({ maxEntries: 100_000, maxBytes: bound });
    await store.setMany(erpAnswers('prices', 24_000), 3_600_000);
    const taken = collectedHeap() - before;
    // Full: the oldest entries went out to make room.
    expect(store.getSync('prices:list:USD:SKU-00001')).toBeUndefined();
    expect(taken / bound).toBeGreaterThan(0.75);
    expect(taken / bound).toBeLessThan(1.25);
  });
});
