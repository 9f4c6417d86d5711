/**
 * Filling the read-through cache from the ERP: the keys a read lacks (or refreshes), fetched in
 * one call, stored in the tiers, and joinable by concurrent askers while the call runs (through
 * the registry of fetches under way, which the cache reads too). Kept apart from
 * read-through-cache.ts, which decides per key what a read gets.
 *
 * @module
 */
import type { Clock } from '../ports/clock.ts';
import type { BatchFetch, Cached, CacheDomain, FreshnessPolicy } from './cache-freshness.ts';
import type { CacheTiers, EntryPairs } from './cache-tiers.ts';
import type { InflightFetches } from './inflight-fetches.ts';

/** The cache's one way to the ERP: `fetch` for a read's misses, its background refreshes and the price sheet. */
export class CacheFiller {
  readonly #tiers: CacheTiers;
  readonly #policies: Readonly<Record<CacheDomain, FreshnessPolicy>>;
  readonly #clock: Clock;
  /** Fetches under way, by cache key, shared with the cache (which joins them). */
  readonly #inflight: InflightFetches;
  /** When each domain last got values from the ERP (epoch ms): the ops console's data age. */
  readonly #lastFetched: Partial<Record<CacheDomain, number>> = {};

  constructor(tiers: CacheTiers, policies: Readonly<Record<CacheDomain, FreshnessPolicy>>, clock: Clock, inflight: InflightFetches) {
    this.#tiers = tiers;
    this.#policies = policies;
    this.#clock = clock;
    this.#inflight = inflight;
  }

  /** When `domain` last got a value from the ERP on this instance (epoch ms), `null` before the first. */
  lastFetchedAt(domain: CacheDomain): number | null {
    return this.#lastFetched[domain] ?? null;
  }

  /**
   * Fetches keys in one ERP call, stores what came back, and lets concurrent askers join it.
   * `outageBounds` (per key): the outage bound the new entry carries, so a key the price sheet
   * keeps stays kept when a buyer's read fetches it again. `sheet`: stored where the price
   * sheet keeps its entries (see `ReadThroughCache.warm`).
   */
  fetch<K, T>(
    domain: CacheDomain,
    keys: K[],
    cacheKeys: string[],
    fetch: BatchFetch<K, T>,
    how: { refresh: boolean; outageBounds: ReadonlyArray<number | undefined>; sheet?: boolean },
  ): Promise<Array<Cached<T> | Error>> {
    const { refresh, outageBounds } = how;
    const policy = this.#policies[domain];
    // Each key's share of the batch, as registered in #inflight; a key whose share is no longer
    // there was superseded by an invalidation while the ERP answered (see supersedeFetches).
    const shares: Array<Promise<Cached<T> | Error>> = [];
    const batch = fetch(keys, { refresh }).then(
      async (values) => {
        const fetchedAt = this.#clock.now();
        const asOf = new Date(fetchedAt).toISOString();
        if (values.some((value) => !(value instanceof Error))) this.#lastFetched[domain] = fetchedAt;
        const stored: EntryPairs<T> = [];
        const outcomes = values.map((value, j): Cached<T> | Error => {
          if (value instanceof Error) return value;
          if (this.#inflight.owns(cacheKeys[j]!, shares[j]!)) {
            const outageMaxAgeMs = outageBounds[j];
            stored.push([cacheKeys[j]!, outageMaxAgeMs === undefined ? { value, fetchedAt, asOf } : { value, fetchedAt, asOf, outageMaxAgeMs }]);
          }
          return { value, asOf, stale: false };
        });
        await this.#tiers.store(policy, stored, how.sheet ? this.#tiers.sheetTiers() : 'both');
        return outcomes;
      },
      (error: unknown) => keys.map(() => (error instanceof Error ? error : new Error(String(error)))),
    );
    cacheKeys.forEach((cacheKey, j) => {
      const one = batch.then((outcomes) => outcomes[j]!);
      shares[j] = one;
      this.#inflight.add(cacheKey, one, this.#clock.now());
    });
    return batch;
  }
}
