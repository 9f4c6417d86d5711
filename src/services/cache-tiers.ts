/**
 * The read-through cache's two tiers: the in-process store, read synchronously on the hot path,
 * and an optional shared store (Redis) behind it, consulted on a local miss and written best
 * effort. Knows where entries go and how long they are kept; not when they are fresh.
 *
 * @module
 */
import type { CacheEntry, CacheStore, SyncCacheStore } from '../ports/cache-store.ts';
import { retainMs, type FreshnessPolicy } from './cache-freshness.ts';

/** Which tiers a write goes to. */
export type Tiers = 'both' | 'local' | 'shared';

/** Entries by cache key, as stores take them. */
export type EntryPairs<T> = Array<readonly [string, CacheEntry<T>]>;

/** The tiers of one read-through cache: reads fall through from in-process to shared, writes go to the tiers asked. */
export class CacheTiers {
  readonly #local: SyncCacheStore;
  readonly #shared: CacheStore | undefined;

  constructor(local: SyncCacheStore, shared: CacheStore | undefined) {
    this.#local = local;
    this.#shared = shared;
  }

  /** The in-process tier's entry for `cacheKey`, synchronously. */
  getLocal<T>(cacheKey: string): CacheEntry<T> | undefined {
    return this.#local.getSync<T>(cacheKey);
  }

  /** Whether the in-process tier still holds `entry`, once returned by {@link getLocal}. */
  holdsLocal(entry: CacheEntry): boolean {
    return this.#local.holds(entry);
  }

  /**
   * The entries for `cacheKeys`: in-process first, the shared tier for what is missing there. With
   * `promote`, what only the shared tier had is kept in-process too (as if this instance had
   * fetched it): else an instance would read the shared tier on every request for entries another
   * instance (or the process before a restart) fetched, until they went stale — measured: a warm
   * page at ~230 a second instead of ~9,000. Not when `promote.allowed()` says no by the time the
   * shared tier answered: something was dropped meanwhile, and what it answered may be just that.
   */
  async read<T>(cacheKeys: readonly string[], promote?: { policy: FreshnessPolicy; allowed: () => boolean }): Promise<Array<CacheEntry<T> | undefined>> {
    const entries = cacheKeys.map((k) => this.#local.getSync<T>(k));
    if (!this.#shared) return entries;
    const absent = entries.flatMap((e, i) => (e === undefined ? [i] : []));
    if (absent.length === 0) return entries;
    const found = await this.#shared.getMany<T>(absent.map((i) => cacheKeys[i]!));
    const promoted: EntryPairs<T> = [];
    for (const [j, i] of absent.entries()) {
      const entry = (entries[i] = found[j]);
      if (entry !== undefined) promoted.push([cacheKeys[i]!, entry]);
    }
    if (promote && promoted.length > 0 && promote.allowed()) await this.store(promote.policy, promoted, 'local');
    return entries;
  }

  /**
   * Stores entries (in both tiers, or one), each kept as long as it may still be served: the
   * domain's freshness plus its stale bounds, or longer for an entry with an outage bound of its own.
   */
  async store<T>(policy: FreshnessPolicy, stored: EntryPairs<T>, tiers: Tiers = 'both'): Promise<void> {
    const retain = retainMs(policy);
    const groups = new Map<number, EntryPairs<T>>();
    for (const pair of stored) {
      const keep = Math.max(retain, pair[1].outageMaxAgeMs ?? 0);
      groups.get(keep)?.push(pair) ?? groups.set(keep, [pair]);
    }
    for (const [keep, group] of groups) {
      if (tiers !== 'shared') await this.#local.setMany(group, keep);
      // The shared tier is best effort: a value is still served if it could not be shared.
      if (tiers !== 'local') await this.#shared?.setMany(group, keep).catch(() => {});
    }
  }

  /**
   * Where the price sheet's new entries go: the shared tier when there is one, so a pass over
   * hundreds of thousands of entries never pushes buyers' hot entries out of the in-process LRU
   * (a local miss reads the shared tier); the in-process tier otherwise.
   */
  sheetTiers(): 'local' | 'shared' {
    return this.#shared ? 'shared' : 'local';
  }

  /** Marks entries the sheet keeps: in the shared tier if any, and in-process where already held there. */
  async mark<T>(policy: FreshnessPolicy, marked: EntryPairs<T>): Promise<void> {
    if (marked.length === 0) return;
    if (!this.#shared) return this.store(policy, marked, 'local');
    await this.store(policy, marked, 'shared');
    await this.store(
      policy,
      marked.filter(([key]) => this.#local.getSync(key) !== undefined),
      'local',
    );
  }

  /** Forgets entries in every tier. */
  async delete(cacheKeys: readonly string[]): Promise<void> {
    await Promise.all([this.#local.deleteMany(cacheKeys), this.#shared?.deleteMany(cacheKeys)]);
  }
}
