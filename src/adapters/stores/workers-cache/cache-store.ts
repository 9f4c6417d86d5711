/**
 * The shared cache tier on Cloudflare Workers: the Cache API (`caches.open('erpfront')`), one
 * synthetic https URL per key, the entry's JSON as the body, `Cache-Control: max-age` from
 * `retainMs`. Behind each isolate's LRU, so a value one isolate fetched from the ERP serves the
 * local misses of every other isolate in the same data center.
 *
 * What the Cache API is, and what that means here:
 * - One cache per Cloudflare data center: entries are not replicated. An isolate in another data
 *   center misses and asks the ERP (its answer is then shared there). A delete, likewise, reaches
 *   only the data center it runs in.
 * - It cannot list its keys, so `deleteMatching` cannot find every entry it should drop.
 * Both are covered by `tombstones` (fed by the invalidation bus, `invalidation-bus.ts`): an entry
 * fetched from the ERP at or before an invalidation of its key is treated as absent, in every data
 * center, as soon as the isolate reading it has caught up with the bus (within its poll period).
 * Deletes still delete where they can (this data center; the keys this isolate wrote, for a
 * pattern), only to free space early. The instants compared come from different machines' clocks
 * (the log object's, the fetching isolate's): a fetch that completed within their skew before a
 * change may be taken for one after it, as a fetch under way during a change may on Node.
 * - Cloudflare documents it as working for a Worker on a route or Custom Domain; in the dashboard
 *   editor and previews its operations do nothing, behind Cloudflare Access it is not available
 *   (earlier documentation also named `*.workers.dev`). There this tier stays empty: every local
 *   miss goes to the ERP, and invalidations still reach every isolate through the bus.
 *
 * Entries are kept at most `maxRetainMs`, which must stay below how long the bus remembers an
 * invalidation, so that no entry outlives the invalidations that could mask it; an entry already
 * masked is not written (a fetch that began before the change it missed). Best effort, like the
 * Redis tier: a failed read answers "no entry", a failed write is dropped, each told to `onError`.
 *
 * @module
 */
import { LRUCache } from 'lru-cache';
import { matchesPattern, type CacheEntry, type CacheStore } from '../../../ports/cache-store.ts';
import type { Tombstones } from './tombstones.ts';

export interface WorkersCacheStoreOptions {
  /** Opens the cache (e.g. `() => caches.open('erpfront')`), for each operation. */
  cache: () => Promise<Cache>;
  /** Invalidations this isolate knows of: entries fetched before them are absent. */
  tombstones: Tombstones;
  /** Awaited before each read (the bus's `catchUp`), so the tombstones are no older than its bound. */
  beforeRead?: () => Promise<void>;
  /** The longest an entry is kept, in ms: less than the bus's `keepMs` by more than a poll's lag. */
  maxRetainMs: number;
  /** The keys' origin (default `https://erpfront-cache.internal`): never fetched, only a cache key. */
  origin?: string;
  /** Keys this isolate wrote, remembered for `deleteMatching` (default 100,000). */
  maxKnownKeys?: number;
  onError?: (operation: 'get' | 'set' | 'delete', error: unknown) => void;
  /** The clock (default `Date.now`). */
  now?: () => number;
}

interface Stored {
  v: unknown;
  f: number;
  a: string;
  o?: number;
  /** When it is to be forgotten (epoch ms): `max-age` counts whole seconds, `retainMs` does not. */
  x: number;
}

/** Creates the Cache API tier. */
export function createWorkersCacheStore(options: WorkersCacheStoreOptions): CacheStore {
  const { tombstones } = options;
  const now = options.now ?? Date.now;
  const origin = options.origin ?? 'https://erpfront-cache.internal';
  const failed = (operation: 'get' | 'set' | 'delete', error: unknown) => options.onError?.(operation, error);
  // Opened for each call, never kept: workerd ties I/O objects to the request that made them.
  const cache = options.cache;
  const url = (key: string) => `${origin}/${encodeURIComponent(key)}`;
  // The Cache API lists nothing: the keys this isolate wrote are what deleteMatching can name.
  const known = new LRUCache<string, true>({ max: options.maxKnownKeys ?? 100_000 });

  const read = async (c: Cache, key: string): Promise<CacheEntry | undefined> => {
    const response = await c.match(url(key));
    if (!response) return undefined;
    const stored = (await response.json()) as Stored;
    if (stored.x <= now() || tombstones.masks(key, stored.f)) return undefined;
    const entry: CacheEntry = { value: stored.v, fetchedAt: stored.f, asOf: stored.a };
    if (stored.o !== undefined) entry.outageMaxAgeMs = stored.o;
    return entry;
  };

  const remove = async (keys: readonly string[]) => {
    const c = await cache();
    await Promise.all(keys.map((key) => c.delete(url(key))));
    for (const key of keys) known.delete(key);
  };

  return {
    name: 'workers-cache',
    async getMany<T>(keys: readonly string[]) {
      if (keys.length === 0) return [];
      await options.beforeRead?.();
      try {
        const c = await cache();
        return (await Promise.all(keys.map((key) => read(c, key)))) as Array<CacheEntry<T> | undefined>;
      } catch (error) {
        failed('get', error);
        return keys.map(() => undefined);
      }
    },
    async setMany(entries, retainMs) {
      if (entries.length === 0 || !(retainMs > 0)) return;
      try {
        const c = await cache();
        const at = now();
        await Promise.all(
          entries.map(async ([key, entry]) => {
            if (tombstones.masks(key, entry.fetchedAt)) return;
            const keepMs = Math.min(retainMs, options.maxRetainMs);
            const stored: Stored = { v: entry.value, f: entry.fetchedAt, a: entry.asOf, x: at + keepMs };
            if (entry.outageMaxAgeMs !== undefined) stored.o = entry.outageMaxAgeMs;
            const headers = { 'content-type': 'application/json', 'cache-control': `max-age=${Math.ceil(keepMs / 1000)}` };
            await c.put(url(key), new Response(JSON.stringify(stored), { headers }));
            known.set(key, true);
          }),
        );
      } catch (error) {
        failed('set', error);
      }
    },
    async deleteMany(keys) {
      if (keys.length === 0) return;
      // Absent in this isolate at once, whichever data center holds a copy.
      tombstones.record(keys, [], now());
      try {
        await remove(keys);
      } catch (error) {
        failed('delete', error);
      }
    },
    /**
     * Masks every matching entry in this isolate at once (and in every isolate once the bus carries
     * the pattern); deletes the matching keys this isolate wrote from this data center's cache.
     * Resolves with how many of those were there: entries other isolates wrote are masked, not counted.
     */
    async deleteMatching(pattern) {
      const matching = [...known.keys()].filter((key) => matchesPattern(key, pattern));
      let present = 0;
      try {
        const c = await cache();
        present = (await Promise.all(matching.map((key) => read(c, key)))).filter((e) => e !== undefined).length;
      } catch (error) {
        failed('get', error);
      }
      tombstones.record([], [pattern], now());
      try {
        await remove(matching);
      } catch (error) {
        failed('delete', error);
      }
      return present;
    },
  };
}
