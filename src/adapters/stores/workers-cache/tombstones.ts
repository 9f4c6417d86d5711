/**
 * What an isolate knows was invalidated, and when: the keys and key patterns of recent ERP change
 * events, each with the instant it was recorded. The Workers shared tier (the Cache API) can
 * neither enumerate its keys nor delete beyond its own data center, so instead of relying on
 * deletes alone, a shared entry fetched from the ERP at or before an invalidation of its key is
 * treated as absent (see `cache-store.ts`).
 *
 * Kept for `keepMs` (the longest a shared entry lives), so memory stays bounded. Below that, a
 * floor: every entry fetched at or before it is absent, for invalidations this isolate can no
 * longer name (the log dropped them under load, or the isolate fell behind it).
 *
 * @module
 */
import { matchesPattern, type KeyPattern } from '../../../ports/cache-store.ts';

export class Tombstones {
  readonly #keepMs: number;
  /** Cache key → the latest instant it was invalidated (epoch ms). */
  readonly #keys = new Map<string, number>();
  readonly #patterns: Array<{ pattern: KeyPattern; at: number }> = [];
  #floor = Number.NEGATIVE_INFINITY;

  /** @param keepMs how long an invalidation is remembered: at least the shared tier's longest retention. */
  constructor(keepMs: number) {
    this.#keepMs = keepMs;
  }

  /** Records that `cacheKeys` and every key of `patterns` changed at `at` (epoch ms). */
  record(cacheKeys: readonly string[], patterns: readonly KeyPattern[], at: number): void {
    for (const key of cacheKeys) {
      // Re-inserted so the map stays in order of recording, which pruning relies on.
      const before = this.#keys.get(key);
      this.#keys.delete(key);
      this.#keys.set(key, Math.max(at, before ?? at));
    }
    for (const pattern of patterns) this.#patterns.push({ pattern, at });
  }

  /** Every entry fetched at or before `at` is absent from now on. */
  raiseFloor(at: number): void {
    this.#floor = Math.max(this.#floor, at);
  }

  /** Whether an entry for `cacheKey` fetched at `fetchedAt` was invalidated since (so is absent). */
  masks(cacheKey: string, fetchedAt: number): boolean {
    if (fetchedAt <= this.#floor) return true;
    const at = this.#keys.get(cacheKey);
    if (at !== undefined && at >= fetchedAt) return true;
    return this.#patterns.some((p) => p.at >= fetchedAt && matchesPattern(cacheKey, p.pattern));
  }

  /** Forgets invalidations older than `keepMs` at `now`: no shared entry they could mask is still kept. */
  prune(now: number): void {
    const horizon = now - this.#keepMs;
    for (const [key, at] of this.#keys) {
      if (at >= horizon) break;
      this.#keys.delete(key);
    }
    const old = this.#patterns.findIndex((p) => p.at >= horizon);
    this.#patterns.splice(0, old === -1 ? this.#patterns.length : old);
  }
}
