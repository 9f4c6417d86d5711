/**
 * The Workers shared cache tier (the Cache API) inside workerd: the CacheStore contract, a fresh
 * named cache per scenario; then what the Cache API cannot do by itself and the invalidation log
 * does for it: an entry another isolate invalidated is absent here once this isolate caught up.
 */
import { env } from 'cloudflare:workers';
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { createWorkersCacheStore } from '../../src/adapters/stores/workers-cache/cache-store.ts';
import { createWorkersInvalidationBus } from '../../src/adapters/stores/workers-cache/invalidation-bus.ts';
import { Tombstones } from '../../src/adapters/stores/workers-cache/tombstones.ts';
import { runCacheStoreContract } from '../contract/cache-store.contract.ts';

const DAY = 86_400_000;
const namespace = env.CACHE_EVENTS as DurableObjectNamespace;

runCacheStoreContract('workers cache (Cache API)', () => {
  const name = `t-${crypto.randomUUID()}`;
  return createWorkersCacheStore({ cache: () => caches.open(name), tombstones: new Tombstones(2 * DAY), maxRetainMs: DAY });
});

/** One isolate's bus and shared tier, over a log and a cache every "isolate" of the test shares. */
function isolate(log: string, cache: string) {
  const bus = createWorkersInvalidationBus(namespace, { name: log, pollMs: 50, keepMs: 2 * DAY });
  const store = createWorkersCacheStore({ cache: () => caches.open(cache), tombstones: bus.tombstones, beforeRead: () => bus.catchUp(), maxRetainMs: DAY });
  return { bus, store };
}

it('an entry another isolate invalidated (by key or by pattern) is absent once this isolate caught up, wherever its copy is', async () => {
  const log = crypto.randomUUID();
  const cache = `t-${crypto.randomUUID()}`;
  const a = isolate(log, cache);
  const b = isolate(log, cache);
  const fetchedAt = Date.now() - 1000;
  const entry = (v: string) => ({ value: v, fetchedAt, asOf: new Date(fetchedAt).toISOString() });
  await b.store.setMany(
    [
      ['prices:list:USD:SKU-1', entry('old list price')],
      ['prices:priceList:PL-OEM:SKU-2', entry('old sheet price')],
      ['stock:SKU-1', entry('untouched')],
    ],
    60_000,
  );
  // Isolate A takes the change events; its deletes reach only its own data center's cache (here,
  // the same one, which is why the copy is written back as another data center would still hold it).
  await a.bus.publish({ domain: 'prices', keys: ['list:USD:SKU-1'], patterns: [{ prefix: 'priceList:PL-OEM:' }], origin: 'a' });
  await b.store.setMany(
    [
      ['prices:list:USD:SKU-1', entry('old list price')],
      ['prices:priceList:PL-OEM:SKU-2', entry('old sheet price')],
    ],
    60_000,
  );
  await new Promise((r) => setTimeout(r, 60));
  expect((await b.store.getMany(['prices:list:USD:SKU-1', 'prices:priceList:PL-OEM:SKU-2', 'stock:SKU-1'])).map((e) => e?.value)).toEqual([
    undefined,
    undefined,
    'untouched',
  ]);
  // A value fetched after the change is served.
  const fresh = { value: 'new list price', fetchedAt: Date.now() + 1, asOf: new Date().toISOString() };
  await b.store.setMany([['prices:list:USD:SKU-1', fresh]], 60_000);
  expect((await b.store.getMany(['prices:list:USD:SKU-1']))[0]?.value).toBe('new list price');
});
