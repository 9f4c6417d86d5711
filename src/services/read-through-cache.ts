/**
 * Read-through caching of ERP answers, per domain: fresh hits, stale-while-revalidate, single
 * flight on misses, and the last known value (marked stale) when the ERP does not answer.
 * What freshness means lives in `cache-freshness.ts`; where entries are kept, in `cache-tiers.ts`.
 *
 * @module
 */
import type { CacheEntry, CacheStore, KeyPattern, SyncCacheStore } from '../ports/cache-store.ts';
import { ReadReceipts } from './read-receipts.ts';
import type { BackgroundWork } from './background-work.ts';
import { InflightFetches } from './inflight-fetches.ts';
import type { Clock } from '../ports/clock.ts';
import type { Metrics } from '../ports/metrics.ts';
import { settle, type BatchFetch, type Cached, type CacheDomain, type FreshnessPolicy, type Held } from './cache-freshness.ts';
import { CacheFiller } from './cache-filler.ts';
import { CacheTiers, type EntryPairs } from './cache-tiers.ts';
import { TickClock } from './tick-clock.ts';
import { inSpan, SpanAttributes, type Span } from './tracing.ts';

export type { BatchFetch, Cached, CacheDomain, FreshnessPolicy, Held } from './cache-freshness.ts';

export interface ReadThroughCacheOptions {
  /** The in-process tier, read synchronously on the hot path. */
  local: SyncCacheStore;
  /** An optional shared tier behind it (Redis), consulted on a local miss. */
  shared?: CacheStore;
  policies: Readonly<Record<CacheDomain, FreshnessPolicy>>;
  clock: Clock;
  metrics: Metrics;
  /** Where background refreshes are kept track of (see background-work.ts); default: nowhere. */
  background?: BackgroundWork;
  /**
   * How long a fetch under way may be joined (ms, default 60 s: ERP_MAX_REQUEST_SECONDS): a
   * later reader of an older one fetches anew. A safety net: a fetch that never settles (its
   * runtime cancelled it) must not hold every reader of its keys for ever.
   */
  maxFetchMs?: number;
}

/** One cache for the whole process; per-request batching sits in front of it (see loaders). */
export class ReadThroughCache {
  readonly #tiers: CacheTiers;
  readonly #policies: Readonly<Record<CacheDomain, FreshnessPolicy>>;
  readonly #clock: Clock;
  /** The clock as `peek` reads it: once per synchronous run (see tick-clock.ts for the bound). */
  readonly #peekClock: TickClock;
  /** Counts drops (invalidate, supersedeFetches): a shared-tier read across one is not kept in-process. */
  #drops = 0;
  readonly #metrics: Metrics;
  /** Fetches under way, by cache key: a second asker waits for the first instead of asking the ERP. */
  readonly #inflight: InflightFetches;
  readonly #background: BackgroundWork | undefined;
  /** Fetches from the ERP what reads lack and stores it (see cache-filler.ts). */
  readonly #filler: CacheFiller;

  constructor(options: ReadThroughCacheOptions) {
    this.#tiers = new CacheTiers(options.local, options.shared);
    this.#policies = options.policies;
    this.#clock = options.clock;
    this.#peekClock = new TickClock(options.clock);
    this.#metrics = options.metrics;
    this.#background = options.background;
    this.#inflight = new InflightFetches(options.maxFetchMs ?? 60_000);
    this.#filler = new CacheFiller(this.#tiers, this.#policies, this.#clock, this.#inflight);
  }

  /** When `domain` last got a value from the ERP on this instance (epoch ms), `null` before the first. */
  lastFetchedAt(domain: CacheDomain): number | null {
    return this.#filler.lastFetchedAt(domain);
  }

  /** The freshness policy of each domain (what "fresh" and "stale" mean there). */
  get policies(): Readonly<Record<CacheDomain, FreshnessPolicy>> {
    return this.#policies;
  }

  /** The cache key of a domain's key. Keys carry their scope (customer, price list, currency). */
  static key(domain: CacheDomain, key: string): string {
    return `${domain}:${key}`;
  }

  /** How long `domain` keeps a value fresh, in ms. */
  freshMs(domain: CacheDomain): number {
    return this.#policies[domain].freshMs;
  }

  /** A fresh value from the in-process tier, synchronously; `undefined` when there is none. */
  peek<T>(domain: CacheDomain, key: string): Cached<T> | undefined {
    return this.peekKey(domain, ReadThroughCache.key(domain, key));
  }

  /**
   * {@link peek} by the full cache key (`ReadThroughCache.key(domain, key)`), for a caller that
   * keeps its keys built (see cache-keys.ts). Freshness is judged on the clock as read once in
   * this synchronous run (see tick-clock.ts): a few ms at most, against windows of seconds.
   */
  peekKey<T>(domain: CacheDomain, cacheKey: string, receipts?: ReadReceipts | null): Cached<T> | undefined {
    const entry = this.#tiers.getLocal<T>(cacheKey);
    const freshMs = this.#policies[domain].freshMs;
    if (entry === undefined || this.#peekClock.now() - entry.fetchedAt >= freshMs) return undefined;
    this.#metrics.cacheRequest(domain, 'hit');
    receipts?.keep(domain, entry, entry.fetchedAt + freshMs);
    return { value: entry.value, asOf: entry.asOf, stale: false };
  }

  /** Receipts for the peeks a computation is about to make (see read-receipts.ts). */
  receipts(): ReadReceipts {
    return new ReadReceipts(this.#peekClock.now());
  }

  /**
   * Whether the reads `receipts` stand for would read the same entries, fresh, now: then they are
   * counted as the hits they stand for, and the answer computed from them may be served again.
   */
  replay(receipts: ReadReceipts): boolean {
    if (receipts.spoiled || this.#peekClock.now() >= receipts.validUntil) return false;
    const { entries } = receipts;
    for (let i = 0; i < entries.length; i++) if (!this.#tiers.holdsLocal(entries[i]!)) return false;
    for (const [domain, count] of receipts.hits) this.#metrics.cacheRequest(domain, 'hit', count);
    return true;
  }

  /**
   * Reads `keys` through the cache: fresh entries as they are; entries past freshness but within
   * stale-while-revalidate as stale, refreshed in the background; everything else fetched in one
   * call for all keys not already being fetched. When the ERP does not answer, an entry younger
   * than `maxStaleMs` stands in, marked stale; otherwise the key gets the ERP's error.
   */
  async load<K, T>(
    domain: CacheDomain,
    keys: readonly K[],
    keyOf: (key: K) => string,
    fetch: BatchFetch<K, T>,
    /** Stricter rules for one read, e.g. an order re-priced on the authoritative path. */
    overrides?: Partial<FreshnessPolicy>,
  ): Promise<Array<Cached<T> | Error>> {
    // One span per batch read (`cache prices`): the ERP call of a miss is its child.
    return inSpan(`cache ${domain}`, { attributes: { [SpanAttributes.cacheDomain]: domain } }, (span) =>
      this.#load(span, domain, keys, keyOf, fetch, overrides),
    );
  }

  async #load<K, T>(
    span: Span,
    domain: CacheDomain,
    keys: readonly K[],
    keyOf: (key: K) => string,
    fetch: BatchFetch<K, T>,
    overrides: Partial<FreshnessPolicy> | undefined,
  ): Promise<Array<Cached<T> | Error>> {
    const policy = overrides ? { ...this.#policies[domain], ...overrides } : this.#policies[domain];
    const cacheKeys = keys.map((k) => ReadThroughCache.key(domain, keyOf(k)));
    // What the shared tier has is kept in-process, unless something was dropped while it was read.
    const drops = this.#drops;
    const entries = await this.#tiers.read<T>(cacheKeys, { policy: this.#policies[domain], allowed: () => this.#drops === drops });
    const now = this.#clock.now();
    const results: Array<Cached<T> | Error> = new Array(keys.length);
    const missing: number[] = [];
    const refresh: number[] = [];
    const waits: Promise<void>[] = [];
    let hits = 0;
    let stale = 0;
    let coalesced = 0;

    for (let i = 0; i < keys.length; i++) {
      const entry = entries[i];
      const age = entry === undefined ? Infinity : now - entry.fetchedAt;
      if (entry !== undefined && age < policy.freshMs) {
        results[i] = { value: entry.value, asOf: entry.asOf, stale: false };
        hits++;
      } else if (entry !== undefined && age < policy.freshMs + policy.staleWhileRevalidateMs) {
        results[i] = { value: entry.value, asOf: entry.asOf, stale: true };
        stale++;
        if (!this.#inflight.running(cacheKeys[i]!, now)) refresh.push(i);
      } else {
        const running = this.#inflight.running(cacheKeys[i]!, now) as Promise<Cached<T> | Error> | undefined;
        if (running) {
          coalesced++;
          waits.push(running.then((outcome) => void (results[i] = settle(outcome, entry, policy, this.#clock.now()))));
        } else {
          missing.push(i);
        }
      }
    }
    this.#count(domain, hits, stale, missing.length, coalesced);
    if (span.isRecording()) {
      span.setAttributes({
        'erpfront.cache.keys': keys.length,
        'erpfront.cache.hits': hits,
        'erpfront.cache.stale': stale,
        'erpfront.cache.misses': missing.length,
        'erpfront.cache.coalesced': coalesced,
        [SpanAttributes.cacheResult]: missing.length + coalesced > 0 ? 'miss' : stale > 0 ? 'stale' : 'hit',
      });
    }

    if (refresh.length > 0) {
      // Nobody waits for a background refresh; a failure leaves the stale entry in place.
      const refreshing = this.#filler
        .fetch(
          domain,
          refresh.map((i) => keys[i]!),
          refresh.map((i) => cacheKeys[i]!),
          fetch,
          { refresh: true, outageBounds: refresh.map((i) => entries[i]?.outageMaxAgeMs) },
        )
        .catch(() => {});
      this.#background?.track(refreshing);
    }
    if (missing.length > 0) {
      const outcomes = await this.#filler.fetch(
        domain,
        missing.map((i) => keys[i]!),
        missing.map((i) => cacheKeys[i]!),
        fetch,
        { refresh: false, outageBounds: missing.map((i) => entries[i]?.outageMaxAgeMs) },
      );
      for (const [j, i] of missing.entries()) results[i] = settle(outcomes[j]!, entries[i], policy, this.#clock.now());
    }
    if (waits.length > 0) await Promise.all(waits);
    return results;
  }

  /**
   * Keeps a value learnt from an ERP answer that is not a cached read (the tax rates a checkout's
   * totals showed), in every tier, for `keepMs`. `key` names its own scope (`taxRates:…`), apart
   * from the domains' keys.
   */
  async remember<T>(key: string, value: T, keepMs: number): Promise<void> {
    const fetchedAt = this.#clock.now();
    const entry: CacheEntry<T> = { value, fetchedAt, asOf: new Date(fetchedAt).toISOString() };
    await this.#tiers.store({ freshMs: 0, staleWhileRevalidateMs: 0, maxStaleMs: keepMs }, [[key, entry]]);
  }

  /**
   * The value last kept for `key` by `remember`, while younger than `maxAgeMs`, marked stale (it is
   * erpfront's copy, not an answer of this request); `undefined` when there is none. Rejects when
   * the shared tier cannot be read.
   */
  async recall<T>(key: string, maxAgeMs: number): Promise<Cached<T> | undefined> {
    const [entry] = await this.#tiers.read<T>([key]);
    if (entry === undefined || this.#clock.now() - entry.fetchedAt >= maxAgeMs) return undefined;
    return { value: entry.value, asOf: entry.asOf, stale: true };
  }

  /** Forgets cached values (an ERP change made them wrong), in every tier. */
  async invalidate(domain: CacheDomain, keys: readonly string[]): Promise<void> {
    const cacheKeys = keys.map((k) => ReadThroughCache.key(domain, k));
    this.#drops++;
    await this.#tiers.delete(cacheKeys);
  }

  /**
   * Disowns fetches under way for these cache keys (and keys matching `patterns`): an ERP change
   * arrived while they ran, so what they bring back may be from before it. Their callers still get
   * it, but it is not stored, and the next reader fetches afresh rather than joining them.
   * Without this, a read that started just before the change would put the old value back in the
   * cache right after the invalidation dropped it, for a whole freshness period.
   */
  supersedeFetches(cacheKeys: readonly string[], patterns: readonly KeyPattern[] = []): void {
    this.#drops++;
    this.#inflight.disown(cacheKeys, patterns);
  }

  /**
   * Keeps `keys` in the cache for outages (the price sheet): an entry fetched at or after `since`
   * is kept as it is (marked with `outageMaxAgeMs` if it was not), every other key is fetched in
   * one call and stored with that bound, so it may price and order while the ERP is down for
   * that long. Nobody waits on these reads: the cache's hit and miss counts leave them out.
   *
   * @returns per key, the value the cache now holds and when it was fetched (epoch ms), or the
   *   error of a key neither fetched nor held within its outage bound; and whether the ERP was called.
   */
  async warm<K, T>(
    domain: CacheDomain,
    keys: readonly K[],
    keyOf: (key: K) => string,
    fetch: BatchFetch<K, T>,
    options: { since: number; outageMaxAgeMs: number },
  ): Promise<{ held: Array<Held<T> | Error>; called: boolean }> {
    const policy = this.#policies[domain];
    const cacheKeys = keys.map((k) => ReadThroughCache.key(domain, keyOf(k)));
    const entries = await this.#tiers.read<T>(cacheKeys);
    const held: Array<Held<T> | Error> = new Array(keys.length);
    const missing: number[] = [];
    const remark: EntryPairs<T> = [];
    for (const [i, entry] of entries.entries()) {
      if (entry === undefined || entry.fetchedAt < options.since) {
        missing.push(i);
        continue;
      }
      held[i] = { value: entry.value, fetchedAt: entry.fetchedAt };
      if ((entry.outageMaxAgeMs ?? 0) < options.outageMaxAgeMs) remark.push([cacheKeys[i]!, { ...entry, outageMaxAgeMs: options.outageMaxAgeMs }]);
    }
    await this.#tiers.mark(policy, remark);
    if (missing.length === 0) return { held, called: false };
    const outcomes = await this.#filler.fetch(
      domain,
      missing.map((i) => keys[i]!),
      missing.map((i) => cacheKeys[i]!),
      fetch,
      { refresh: true, outageBounds: missing.map(() => options.outageMaxAgeMs), sheet: true },
    );
    const now = this.#clock.now();
    const kept: EntryPairs<T> = [];
    for (const [j, i] of missing.entries()) {
      const outcome = outcomes[j]!;
      const entry = entries[i];
      if (!(outcome instanceof Error)) held[i] = { value: outcome.value, fetchedAt: Date.parse(outcome.asOf) };
      else if (entry !== undefined && now - entry.fetchedAt < options.outageMaxAgeMs) {
        // The ERP did not answer: what the cache already holds is kept, for the sheet's time.
        held[i] = { value: entry.value, fetchedAt: entry.fetchedAt };
        if ((entry.outageMaxAgeMs ?? 0) < options.outageMaxAgeMs) kept.push([cacheKeys[i]!, { ...entry, outageMaxAgeMs: options.outageMaxAgeMs }]);
      } else held[i] = outcome;
    }
    await this.#tiers.mark(policy, kept);
    return { held, called: true };
  }

  #count(domain: CacheDomain, hits: number, stale: number, misses: number, coalesced: number): void {
    if (hits) this.#metrics.cacheRequest(domain, 'hit', hits);
    if (stale) this.#metrics.cacheRequest(domain, 'stale', stale);
    if (misses) this.#metrics.cacheRequest(domain, 'miss', misses);
    if (coalesced) this.#metrics.cacheRequest(domain, 'coalesced', coalesced);
  }
}
