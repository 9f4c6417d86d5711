/**
 * What one answer was built from: the cache entries a request read (their cache keys, the tags of
 * a cached response), and until when all of them were fresh. Kept by a request's reader while a
 * response is being built for the response cache (`ErpReader.track`).
 *
 * @module
 */
import type { Cached } from './read-through-cache.ts';

export class Footprint {
  /** The cache keys read (`prices:priceList:PL-OEM:SKU-00001`, `accounts:C0001`). */
  readonly tags = new Set<string>();
  /** Epoch ms when the first entry read stops being fresh. */
  freshUntil = Number.POSITIVE_INFINITY;
  /** Whether any entry read was served stale (a stale answer is never cached). */
  stale = false;
  /** Reads by cache domain: what each serving of the answer serves again from the cache. */
  readonly reads = new Map<string, number>();
  /** The values read, by cache key (the response cache keys an answer by the account it read). */
  readonly values = new Map<string, unknown>();
  /**
   * `asOf` instants parsed, by their text: the reads of a page share a few (one per ERP batch that
   * filled the cache), and parsing one per read was most of what noting a read cost.
   */
  readonly #instants = new Map<string, number>();

  /** Notes one read: its domain and cache key, and how long the domain keeps a value fresh. */
  note(domain: string, cacheKey: string, cached: Cached<unknown>, freshMs: number): void {
    this.tags.add(cacheKey);
    this.reads.set(domain, (this.reads.get(domain) ?? 0) + 1);
    if (domain === 'accounts') this.values.set(cacheKey, cached.value);
    if (cached.stale) this.stale = true;
    let fetchedAt = this.#instants.get(cached.asOf);
    if (fetchedAt === undefined) this.#instants.set(cached.asOf, (fetchedAt = Date.parse(cached.asOf)));
    const until = fetchedAt + freshMs;
    if (until < this.freshUntil) this.freshUntil = until;
  }
}
