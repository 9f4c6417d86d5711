/**
 * The response cache's store: answers of repeated operations, each tagged by the cache entries
 * (`prices:priceList:PL-OEM:SKU-00001`, `accounts:C0001`, …) it was built from, so that whatever
 * drops one of those entries (a change event on this instance or, through the invalidation bus, on
 * another; an operator's invalidation) drops every answer built from it at the same moment
 * (`services/cache-invalidation.ts` calls {@link ResponseCache.drop}). An answer also expires
 * when the first of its entries stops being fresh: it is never fresher than its stalest part.
 *
 * What is cached, and under which key, is the GraphQL layer's decision
 * (`transport/graphql/response-cache/`): this store only keeps, bounds and forgets.
 *
 * @module
 */
import { matchesPattern, type KeyPattern } from '../ports/cache-store.ts';
import type { Clock } from '../ports/clock.ts';

export interface ResponseCacheOptions {
  /** Most answers kept (RESPONSE_CACHE_MAX_ENTRIES). */
  maxEntries: number;
  /** Most bytes kept, as estimated by each answer's {@link StoredResponse.bytes} (RESPONSE_CACHE_MAX_MB). */
  maxBytes: number;
  clock: Clock;
}

/** What the store needs to know of an answer besides the answer itself. */
export interface StoredResponse<V> {
  value: V;
  /** The cache keys of the entries the answer was built from. */
  tags: readonly string[];
  /** Epoch ms when the first of those entries stops being fresh. */
  expiresAt: number;
  /** Its estimated heap bytes (key, text, variables, tags and their index). */
  bytes: number;
}

/**
 * How long a hit leaves an answer's place in the eviction order as it is: moving it to the end on
 * every hit (a delete and an insert under a key of a kilobyte or so) was a tenth of a hit's own
 * work, and an order to the second is all eviction needs.
 */
const TOUCH_MS = 1_000;

/** An answer as kept: with when its place in the eviction order was last moved. */
type Held<V> = StoredResponse<V> & { touchedAt: number };

/** A bounded, tagged store of answers; least recently used (to the second) first out. */
export class ResponseCache<V> {
  readonly #o: ResponseCacheOptions;
  /** In order of last use: a Map iterates in insertion order, and a hit re-inserts (see {@link TOUCH_MS}). */
  readonly #entries = new Map<string, Held<V>>();
  /**
   * Tag → the key of the answer built from that cache entry, or the set of them when there are
   * several. Most tags name one answer's entry (a customer's contract price): a set for each took
   * about 150 bytes more per tag, half of a kept page of prices (measured).
   */
  readonly #byTag = new Map<string, string | Set<string>>();
  #bytes = 0;
  /** Counts drops and clears: an answer built across one may hold what was dropped (see {@link set}). */
  #generation = 0;

  constructor(options: ResponseCacheOptions) {
    this.#o = options;
  }

  /** Answers kept, and their estimated bytes. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }

  /** Taken when an answer starts being built, and handed back to {@link set} with it. */
  get generation(): number {
    return this.#generation;
  }

  /** The answer under `key`, unless none or expired (then dropped). */
  get(key: string): V | undefined {
    const stored = this.#entries.get(key);
    if (stored === undefined) return undefined;
    const now = this.#o.clock.now();
    if (stored.expiresAt <= now) {
      this.#delete(key);
      return undefined;
    }
    // Most recently used goes last.
    if (now - stored.touchedAt >= TOUCH_MS) {
      stored.touchedAt = now;
      this.#entries.delete(key);
      this.#entries.set(key, stored);
    }
    return stored.value;
  }

  /**
   * Keeps an answer built since `generation`. Not kept: an answer built while something was dropped
   * (it may have read an entry just before the change dropped it, and would bring it back, as
   * `ReadThroughCache.supersedeFetches` prevents for entries), one already past its expiry, one
   * larger than the whole store.
   */
  set(key: string, stored: StoredResponse<V>, generation: number): void {
    if (generation !== this.#generation || stored.expiresAt <= this.#o.clock.now() || stored.bytes > this.#o.maxBytes) return;
    this.#delete(key);
    this.#entries.set(key, { ...stored, touchedAt: this.#o.clock.now() });
    this.#bytes += stored.bytes;
    for (const tag of stored.tags) {
      const keys = this.#byTag.get(tag);
      if (keys === undefined) this.#byTag.set(tag, key);
      else if (typeof keys !== 'string') keys.add(key);
      else if (keys !== key) this.#byTag.set(tag, new Set([keys, key]));
    }
    while (this.#entries.size > this.#o.maxEntries || this.#bytes > this.#o.maxBytes) {
      const oldest = this.#entries.keys().next().value as string;
      this.#delete(oldest);
    }
  }

  /**
   * Drops every answer built from one of `cacheKeys` or from an entry matching one of `patterns`
   * (the read-through cache's own keys, domain included). Returns how many were dropped.
   */
  drop(cacheKeys: readonly string[], patterns: readonly KeyPattern[] = []): number {
    const dropped = new Set<string>();
    const add = (keys: string | Set<string> | undefined) => {
      if (typeof keys === 'string') dropped.add(keys);
      else if (keys) for (const key of keys) dropped.add(key);
    };
    for (const tag of cacheKeys) add(this.#byTag.get(tag));
    if (patterns.length > 0) {
      for (const [tag, keys] of this.#byTag) if (patterns.some((p) => matchesPattern(tag, p))) add(keys);
    }
    this.#generation++;
    for (const key of dropped) this.#delete(key);
    return dropped.size;
  }

  /** Drops everything (the invalidations of a while may have been missed). */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#byTag.clear();
    this.#bytes = 0;
  }

  #delete(key: string): void {
    const stored = this.#entries.get(key);
    if (stored === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= stored.bytes;
    for (const tag of stored.tags) {
      const keys = this.#byTag.get(tag);
      if (keys === key) this.#byTag.delete(tag);
      else if (typeof keys === 'object') {
        keys.delete(key);
        if (keys.size === 0) this.#byTag.delete(tag);
      }
    }
  }
}
