/**
 * Receipts of cache reads: what an answer computed from the in-process cache read (the entries
 * themselves, by identity) and until when it may be reused without reading them again. A warm
 * CatalogPage prices the same 48 items from the same entries on every request; reading each entry
 * again (key, lookup, freshness, counting) was most of the page's CPU time. With receipts, a
 * request checks that every entry is still the one held and still fresh, and counts the hits as
 * the reads would have, instead of reading.
 *
 * What keeps a reused answer true to the data:
 * - an entry replaced, deleted (a change event), evicted or cleared is no longer held
 *   (`SyncCacheStore.holds`), so the answer is computed again;
 * - the receipts expire with the first of their entries' freshness, so a reused answer is never
 *   older than a read would allow (a read of an entry past freshness takes the slow path);
 * - only reads that all hit fresh entries synchronously are receipted: a miss, a stale entry or
 *   a fetch under way is never reused;
 * - they also expire {@link RECEIPT_MS} after the reads, which then run again: the in-process
 *   tier's least-recently-used order, which decides evictions, still sees the entries in use.
 *
 * @module
 */
import type { CacheEntry } from '../ports/cache-store.ts';
import type { CacheDomain } from './cache-freshness.ts';

/** How long reads stand for themselves before they run again (and refresh the entries' recency). */
export const RECEIPT_MS = 1_000;

/** The reads one computation made, while it runs, and then as the record a later request checks. */
export class ReadReceipts {
  /** The entries read, in order (one per read; an entry read twice is listed twice). */
  readonly entries: CacheEntry[] = [];
  /** Reads per domain, as the hit counter counts them: `[domain, count]`, one or two of them (arrays: a Map took ~100 bytes more per answer kept). */
  readonly hits: Array<[CacheDomain, number]> = [];
  /** Epoch ms until which every entry is fresh and the reads stand. */
  validUntil: number;
  /** Set when a read was not a fresh hit: then these receipts stand for nothing. */
  spoiled = false;
  /** Epoch ms of the reads. */
  readonly readAt: number;

  constructor(now: number) {
    this.readAt = now;
    this.validUntil = now + RECEIPT_MS;
  }

  /** Notes a fresh hit on `entry` in `domain`, fresh until `freshUntil`. */
  keep(domain: CacheDomain, entry: CacheEntry, freshUntil: number): void {
    this.entries.push(entry);
    const counted = this.hits.find((hit) => hit[0] === domain);
    if (counted) counted[1]++;
    else this.hits.push([domain, 1]);
    if (freshUntil < this.validUntil) this.validUntil = freshUntil;
  }
}
