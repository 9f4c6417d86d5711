/**
 * The in-process cache tier: lru-cache, bounded by entry count and by the heap its entries take
 * (estimated from their shape, see {@link entryBytes}).
 *
 * @module
 */
import { LRUCache } from 'lru-cache';
import { matchesPattern, type CacheEntry, type SyncCacheStore } from '../../../ports/cache-store.ts';
import { flatString, stringBytes, valueBytes } from '../../../domain/heap-size.ts';

/** What one entry takes besides its key and value, measured: the entry object and its boxed `fetchedAt`, lru-cache's map slot. */
const ENTRY_OVERHEAD_BYTES = 136;
/**
 * What lru-cache allocates up front per entry it may hold (`maxEntries`): its key and value lists
 * and its typed arrays (links, sizes, ttls, start times). Taken off `maxBytes` first.
 */
const SLOT_BYTES = 48;

/**
 * The heap one entry takes, as counted against `maxBytes` (`CACHE_MAX_MB`): an estimate from the
 * value's shape (see `heap-size.ts`), within a quarter of the measured heap for the ERP's
 * answers (prices, items, empty price scopes).
 */
export function entryBytes(key: string, entry: CacheEntry): number {
  return ENTRY_OVERHEAD_BYTES + stringBytes(key.length) + valueBytes(entry.value);
}

export interface MemoryCacheStoreOptions {
  /** Most entries kept (default 100,000). */
  maxEntries?: number;
  /**
   * Most bytes of heap the store takes, as estimated by {@link entryBytes} plus lru-cache's own
   * tables for `maxEntries` (default 256 MiB).
   */
  maxBytes?: number;
}

/** Creates the in-process cache store. */
export function createMemoryCacheStore(options: MemoryCacheStoreOptions = {}): SyncCacheStore {
  const max = options.maxEntries ?? 100_000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  // Entries that left the store (replaced, deleted, evicted, cleared), until stored again. Weak:
  // nothing is kept alive by being listed.
  const left = new WeakSet<CacheEntry>();
  const lru = new LRUCache<string, CacheEntry>({
    max,
    dispose: (entry) => void left.add(entry),
    // The tables sized for `max` come first; a bound smaller than them still keeps a little.
    maxSize: Math.max(maxBytes - max * SLOT_BYTES, Math.ceil(maxBytes / 16)),
    // Sized once, when an ERP answer is stored (a miss), never on the read path.
    sizeCalculation: (entry, key) => entryBytes(key, entry),
  });
  return {
    name: 'memory',
    getSync: <T>(key: string) => lru.get(key) as CacheEntry<T> | undefined,
    holds: (entry) => !left.has(entry),
    async getMany<T>(keys: readonly string[]) {
      return keys.map((key) => lru.get(key) as CacheEntry<T> | undefined);
    },
    async setMany(entries, retainMs) {
      for (const [key, entry] of entries) {
        // Before: a set that turns the entry away (too large) disposes of it, listing it again.
        left.delete(entry);
        lru.set(flatString(key), entry, { ttl: retainMs });
      }
    },
    async deleteMany(keys) {
      for (const key of keys) lru.delete(key);
    },
    async deleteMatching(pattern) {
      // Collected first: deleting while lru-cache iterates its own list would skip entries.
      const matching = [...lru.keys()].filter((key) => matchesPattern(key, pattern));
      for (const key of matching) lru.delete(key);
      return matching.length;
    },
    async clear() {
      const entries = lru.size;
      lru.clear();
      return entries;
    },
  };
}
