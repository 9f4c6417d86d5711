/**
 * The shared cache tier on Redis: one string key per entry (JSON of value, fetchedAt and asOf),
 * kept `retainMs` with PX. Behind each process's LRU, so a value one instance fetched from the
 * ERP serves every other instance's local misses.
 *
 * Best effort by design: this tier only saves ERP calls. While Redis is unreachable, reads answer
 * "no entry" and writes are dropped (each within the connection's short command timeout), so the
 * read path carries on from the in-process tier and the ERP; nothing waits on Redis.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { CacheEntry, CacheStore, KeyPattern } from '../../../ports/cache-store.ts';
import type { RedisKeys } from './keys.ts';

export interface RedisCacheStoreOptions {
  client: Redis;
  keys: RedisKeys;
  /** Told about each failed Redis call (metrics, logs); the call itself degrades quietly. */
  onError?: (operation: 'get' | 'set' | 'delete', error: unknown) => void;
}

interface Stored {
  v: unknown;
  f: number;
  a: string;
  /** `outageMaxAgeMs`, on the price sheet's entries only. */
  o?: number;
}

/** Creates the Redis cache tier. */
export function createRedisCacheStore(options: RedisCacheStoreOptions): CacheStore {
  const { client, keys } = options;
  const failed = (operation: 'get' | 'set' | 'delete', error: unknown) => options.onError?.(operation, error);
  return {
    name: 'redis',
    async getMany<T>(cacheKeys: readonly string[]) {
      if (cacheKeys.length === 0) return [];
      try {
        // One GET per key, pipelined: one round trip, and no multi-key command, so entries may
        // live on different Cluster shards.
        const pipeline = client.pipeline();
        for (const key of cacheKeys) pipeline.get(keys.cache(key));
        const replies = checked(await pipeline.exec());
        return cacheKeys.map((_, i) => {
          const [error, raw] = replies[i] ?? [null, null];
          if (error || typeof raw !== 'string') return undefined;
          const stored = JSON.parse(raw) as Stored;
          const entry: CacheEntry<T> = { value: stored.v as T, fetchedAt: stored.f, asOf: stored.a };
          if (stored.o !== undefined) entry.outageMaxAgeMs = stored.o;
          return entry;
        });
      } catch (error) {
        failed('get', error);
        return cacheKeys.map(() => undefined);
      }
    },
    async setMany(entries, retainMs) {
      if (entries.length === 0 || !(retainMs > 0)) return;
      try {
        const pipeline = client.pipeline();
        const ttl = Math.ceil(retainMs);
        for (const [key, entry] of entries) {
          const stored: Stored = { v: entry.value, f: entry.fetchedAt, a: entry.asOf };
          if (entry.outageMaxAgeMs !== undefined) stored.o = entry.outageMaxAgeMs;
          pipeline.set(keys.cache(key), JSON.stringify(stored), 'PX', ttl);
        }
        checked(await pipeline.exec());
      } catch (error) {
        failed('set', error);
      }
    },
    async deleteMany(cacheKeys) {
      if (cacheKeys.length === 0) return;
      try {
        const pipeline = client.pipeline();
        for (const key of cacheKeys) pipeline.del(keys.cache(key));
        checked(await pipeline.exec());
      } catch (error) {
        // An invalidation that could not reach Redis: the entry ages out at its freshness instead.
        failed('delete', error);
      }
    },
    async deleteMatching(pattern) {
      try {
        return await deleteMatching(client, keys, pattern);
      } catch (error) {
        failed('delete', error);
        return 0;
      }
    },
  };
}

/** Keys scanned per SCAN call: each call stays well inside the cache connection's short timeout. */
const SCAN_COUNT = 1000;

/**
 * SCAN with MATCH over the whole keyspace, UNLINK what matched, batch by batch. A scan sees every
 * key that exists from its start to its end; one written meanwhile may be missed, which is fine
 * here: it was fetched after the change. (On a Cluster each node would be scanned in turn; the
 * deployments erpfront supports today run one Redis.)
 */
async function deleteMatching(client: Redis, keys: RedisKeys, pattern: KeyPattern): Promise<number> {
  const match = `${globLiteral(keys.cache(pattern.prefix))}*${globLiteral(pattern.suffix ?? '')}`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT);
    cursor = next;
    if (found.length > 0) deleted += await client.unlink(...found);
  } while (cursor !== '0');
  return deleted;
}

/** `text` as a Redis glob that matches only itself. */
function globLiteral(text: string): string {
  return text.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}

/** A pipeline reports failures per command; one failed command means Redis is not serving. */
function checked(replies: Array<[Error | null, unknown]> | null): Array<[Error | null, unknown]> {
  if (replies === null) throw new Error('Redis pipeline was discarded');
  const failure = replies.find(([error]) => error);
  if (failure) throw failure[0];
  return replies;
}
