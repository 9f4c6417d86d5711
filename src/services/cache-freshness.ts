/**
 * What the read-through cache's values are and how their age is judged: the cached domains, the
 * freshness policy of each, and the rules that say how long an entry is kept and how long it may
 * stand in for an ERP that does not answer. Pure: no I/O, the caller passes the time.
 *
 * @module
 */
import type { CacheEntry } from '../ports/cache-store.ts';
import { isTransientErpError } from '../ports/erp-error.ts';

/** The kinds of ERP data erpfront caches, each with its own freshness. */
export type CacheDomain = 'items' | 'prices' | 'stock' | 'accounts' | 'reps' | 'activity' | 'invoices';

export interface FreshnessPolicy {
  /** How long a value is served as fresh. */
  freshMs: number;
  /** After freshness, how long the old value is served (marked stale) while a refresh runs. */
  staleWhileRevalidateMs: number;
  /** How old a value may be and still stand in, marked stale, when the ERP does not answer. */
  maxStaleMs: number;
}

/** A value the cache holds, and when it was fetched from the ERP (epoch ms). */
export interface Held<T> {
  value: T;
  fetchedAt: number;
}

/** A value read through the cache, with its age. */
export interface Cached<T> {
  value: T;
  /** When the value was fetched from the ERP, UTC ISO 8601. */
  asOf: string;
  /** True when the value is older than its freshness (the ERP is down, or a refresh is running). */
  stale: boolean;
}

/**
 * Fetches values for keys from the ERP: one entry per key, a value or an Error for that key.
 * `refresh` is true for a stale-while-revalidate refresh, which nobody waits for: the fetcher runs
 * it at the ERP budget's `background` priority, behind every read a caller waits on.
 */
export type BatchFetch<K, T> = (keys: K[], context: { refresh: boolean }) => Promise<Array<T | Error>>;

/** How long a store keeps an entry of `policy`'s domain: as long as it may still be served. */
export function retainMs(policy: FreshnessPolicy): number {
  return policy.freshMs + Math.max(policy.staleWhileRevalidateMs, policy.maxStaleMs);
}

/** How old `entry` may be and still stand in for an ERP that does not answer. */
export function standInMs(entry: CacheEntry<unknown>, policy: FreshnessPolicy): number {
  return Math.max(policy.maxStaleMs, entry.outageMaxAgeMs ?? 0);
}

/**
 * What a reader gets for a fetch's `outcome`: the value, or, when the ERP did not answer and the
 * entry held before is young enough to stand in, that entry marked stale; else the error.
 */
export function settle<T>(outcome: Cached<T> | Error, entry: CacheEntry<T> | undefined, policy: FreshnessPolicy, now: number): Cached<T> | Error {
  if (!(outcome instanceof Error)) return outcome;
  if (entry !== undefined && isTransientErpError(outcome) && now - entry.fetchedAt < standInMs(entry, policy)) {
    return { value: entry.value, asOf: entry.asOf, stale: true };
  }
  return outcome;
}
