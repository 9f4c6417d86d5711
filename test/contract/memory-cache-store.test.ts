/** The in-process cache tier against the CacheStore conformance suite, plus what only it does. */
import { expect, it } from 'vitest';
import { createMemoryCacheStore } from '../../src/adapters/stores/memory/cache-store.ts';
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
