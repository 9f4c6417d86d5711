/**
 * The in-process cache tier: lru-cache, bounded by entry count and by approximate size in bytes.
 *
 * @module
 */
import { LRUCache } from 'lru-cache';
import { matchesPattern, type CacheEntry, type SyncCacheStore } from '../../../ports/cache-store.ts';

export interface MemoryCacheStoreOptions {
  /** Most entries kept (default 100,000). */
  maxEntries?: number;
  /** Most bytes kept, as estimated from each value's JSON size (default 256 MiB). */
  maxBytes?: number;
}

/** Creates the in-process cache store. */
export function createMemoryCacheStore(options: MemoryCacheStoreOptions = {}): SyncCacheStore {
  const lru = new LRUCache<string, CacheEntry>({
    max: options.maxEntries ?? 100_000,
    maxSize: options.maxBytes ?? 256 * 1024 * 1024,
    // Sized once, when an ERP answer is stored (a miss), never on the read path. UTF-16 strings
    // and object overhead make the real footprint larger: this is a bound, not an accounting.
    sizeCalculation: (entry, key) => key.length + JSON.stringify(entry.value).length + 64,
  });
  return {
    name: 'memory',
    getSync: <T>(key: string) => lru.get(key) as CacheEntry<T> | undefined,
    async getMany<T>(keys: readonly string[]) {
      return keys.map((key) => lru.get(key) as CacheEntry<T> | undefined);
    },
    async setMany(entries, retainMs) {
      for (const [key, entry] of entries) lru.set(key, entry, { ttl: retainMs });
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
