/**
 * Cache keys built once, not on every read. A warm CatalogPage reads about 200 entries; building
 * each key afresh (`prices:priceList:PL-OEM:SKU-00001`) made a new string that the in-process
 * tier then had to flatten and hash before it could look it up: two thirds of a read's cost. Keys
 * kept here are flat and carry their hash, and finding one hashes only the parts (a SKU string is
 * hashed once per request, then reused for its item, stock and price keys).
 *
 * Keys are exactly `ReadThroughCache.key(domain, id)` (and `priceKeyId` within `prices`), so
 * invalidation, patterns and the shared tier see the same strings as before.
 *
 * @module
 */
import { flatString } from '../domain/heap-size.ts';
import type { PriceScope } from '../ports/erp-connector.ts';
import type { CacheDomain } from './cache-freshness.ts';

/**
 * Most keys kept. A key takes ~135 bytes of heap here (measured: its string, its id's copy and
 * their map slots), so the table stays under ~14 MB; the in-process tier holds 100,000 entries by
 * default, so this bounds it near the keys that can be hits. Only keys that buyers' reads asked
 * for come here (the price sheet's pass does not). When full it starts over: the next read of
 * each key builds it once more, as every read did before.
 */
const MAX_KEYS = 100_000;

/** Keys by their last part, under one prefix (`items:`, `prices:list:EUR:`). */
type Keys = Map<string, string>;

let size = 0;
const byDomain = new Map<CacheDomain, Keys>();
/** Price keys by scope, then scope id: a prefix per price list, currency or contract customer. */
const byPriceScope = new Map<PriceScope, Map<string, Keys>>();

/** The cache key of `id` in `domain` (`items:SKU-00001`), as `ReadThroughCache.key` builds it. */
export function cacheKey(domain: CacheDomain, id: string): string {
  let keys = byDomain.get(domain);
  if (keys === undefined) byDomain.set(domain, (keys = new Map()));
  return keys.get(id) ?? add(keys, id, `${domain}:${id}`);
}

/** The cache key of a price entry (`prices:priceList:PL-OEM:SKU-00001`), as `ReadThroughCache.key('prices', priceKeyId(key))`. */
export function priceCacheKey(scope: PriceScope, scopeId: string, sku: string): string {
  let ids = byPriceScope.get(scope);
  if (ids === undefined) byPriceScope.set(scope, (ids = new Map()));
  let keys = ids.get(scopeId);
  if (keys === undefined) ids.set(scopeId, (keys = new Map()));
  return keys.get(sku) ?? add(keys, sku, `prices:${scope}:${scopeId}:${sku}`);
}

function add(keys: Keys, id: string, key: string): string {
  // A rope would be flattened (copied) by every lookup of it; this copy is flat once and for all.
  const flat = flatString(key);
  if (size >= MAX_KEYS) {
    // `keys` goes with the rest; the next read of `id` keeps its key in a new table.
    byDomain.clear();
    byPriceScope.clear();
    size = 0;
    return flat;
  }
  // The id is copied too: the caller's may be a slice that holds a whole request body alive.
  keys.set(flatString(id), flat);
  size++;
  return flat;
}
