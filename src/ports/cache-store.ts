/**
 * The cache port: where ERP answers are kept between requests.
 *
 * Entries are stored with the instant they were fetched, never with a fixed "expires": how fresh
 * a value must be is a policy of the reader (prices minutes, stock seconds), and a value past its
 * freshness is still worth serving, marked stale, when the ERP is down. The store only bounds how
 * long it keeps anything (`retainMs`).
 *
 * The in-process tier (lru-cache) implements this port; a shared tier (Redis) slots in beside it.
 *
 * @module
 */

/**
 * A set of cache keys by shape: every key that starts with `prefix` and, when given, ends with
 * `suffix`. How an ERP change whose exact keys are not known is dropped: a whole price list
 * (`prices:priceList:PL-OEM:`), or one SKU's list price in every currency (`prices:list:` …
 * `:SKU-00001`). Characters are matched literally (no wildcards).
 */
export interface KeyPattern {
  prefix: string;
  suffix?: string;
}

/** Whether `key` is one of `pattern`'s keys. */
export function matchesPattern(key: string, pattern: KeyPattern): boolean {
  const suffix = pattern.suffix ?? '';
  return key.length >= pattern.prefix.length + suffix.length && key.startsWith(pattern.prefix) && key.endsWith(suffix);
}

/** One cached ERP answer. */
export interface CacheEntry<T = unknown> {
  value: T;
  /** When the value was fetched from the ERP (epoch ms). */
  fetchedAt: number;
  /** The same instant as UTC ISO 8601, formatted once when the entry is made. */
  asOf: string;
  /**
   * How old the value may grow and still stand in, marked stale, while the ERP does not answer,
   * when that is longer than the reader's own bound: set on the entries the price sheet keeps
   * for outages (PRICE_SHEET_MAX_AGE_HOURS). Absent: the reader's bound alone.
   */
  outageMaxAgeMs?: number;
}

export interface CacheStore {
  /** Short name for metrics, e.g. `"memory"` or `"redis"`. */
  readonly name: string;
  /** The entries for `keys`, in order; `undefined` where there is none. */
  getMany<T>(keys: readonly string[]): Promise<Array<CacheEntry<T> | undefined>>;
  /** Stores entries, each kept for at most `retainMs`. */
  setMany<T>(entries: ReadonlyArray<readonly [key: string, entry: CacheEntry<T>]>, retainMs: number): Promise<void>;
  /** Forgets entries (an ERP change event made them wrong). */
  deleteMany(keys: readonly string[]): Promise<void>;
  /**
   * Forgets every entry `pattern` matches; resolves with how many there were. Walks the whole
   * store (a scan, not a lookup): for a change whose exact keys are unknown, which is rare.
   */
  deleteMatching(pattern: KeyPattern): Promise<number>;
}

/** A store that can also answer synchronously: the in-process tier, read on the hot path. */
export interface SyncCacheStore extends CacheStore {
  getSync<T>(key: string): CacheEntry<T> | undefined;
  /**
   * Whether `entry`, once returned by {@link getSync}, is still held: not replaced, deleted,
   * evicted or cleared since. Lets an answer computed from entries be reused without reading them
   * again (see services/read-receipts.ts). Says nothing of freshness (the caller's to judge).
   */
  holds(entry: CacheEntry): boolean;
  /** Forgets every entry (invalidations may have been missed); returns how many there were. */
  clear(): Promise<number>;
}
