/**
 * Cache invalidation across instances: an ERP change (a webhook, an operator) names the keys that
 * changed; they are dropped from the shared tier, from this instance's tier, and, through the
 * bus, from every other instance's in-process tier within milliseconds.
 *
 * Order matters: the shared tier first, then the broadcast, so an instance that misses locally
 * right after the message does not read the old value back from Redis.
 *
 * @module
 */
import type { CacheStore, KeyPattern, SyncCacheStore } from '../ports/cache-store.ts';
import type { InvalidationBus, InvalidationMessage } from '../ports/cache-invalidation.ts';
import type { Logger } from '../ports/logger.ts';
import { ReadThroughCache, type CacheDomain } from './read-through-cache.ts';

export interface CacheInvalidationOptions {
  /** This instance's in-process tier. */
  local: SyncCacheStore;
  shared?: CacheStore;
  bus?: InvalidationBus;
  instanceId: string;
  logger: Logger;
  /**
   * Told of every key dropped here (this instance's invalidations and the bus's), so fetches
   * under way for them do not store what they bring back (the read-through cache).
   */
  inflight?: { supersedeFetches(cacheKeys: readonly string[], patterns: readonly KeyPattern[]): void };
  /**
   * What is built from cache entries (the response cache): told of every key and pattern dropped
   * here, at the moment the in-process tier drops them, and cleared with it.
   */
  dependents?: { drop(cacheKeys: readonly string[], patterns: readonly KeyPattern[]): void; clear(): void };
}

export class CacheInvalidation {
  readonly #o: CacheInvalidationOptions;
  #unsubscribe: (() => Promise<void>) | null = null;

  constructor(options: CacheInvalidationOptions) {
    this.#o = options;
  }

  /** Starts applying other instances' invalidations to this instance's tier. */
  async start(): Promise<void> {
    if (!this.#o.bus || this.#unsubscribe) return;
    this.#unsubscribe = await this.#o.bus.subscribe(
      (message) => {
        if (message.origin !== this.#o.instanceId) void this.#dropLocal(message);
      },
      // Messages may have gone by unseen: any entry here could be one they named. The shared tier
      // was cleared before each message was sent, so the next reads refill from it or the ERP.
      () => {
        this.#o.dependents?.clear();
        void this.#o.local.clear().then((dropped) => {
          this.#o.logger.warn(`cache invalidations may have been missed while Redis was unreachable; dropped ${dropped} in-process cache entries`, { dropped });
        });
      },
    );
  }

  async stop(): Promise<void> {
    await this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  /**
   * Drops `keys` of `domain` everywhere. Resolves once the shared and local tiers have dropped them
   * and the message is published; other instances apply it as it arrives.
   * @throws when the bus could not publish (Redis unreachable): other instances keep the old
   *   value until its freshness runs out, and the caller should retry.
   */
  async invalidate(domain: CacheDomain, keys: readonly string[]): Promise<void> {
    const cacheKeys = keys.map((k) => ReadThroughCache.key(domain, k));
    this.#o.inflight?.supersedeFetches(cacheKeys, []);
    await this.#o.shared?.deleteMany(cacheKeys);
    await this.#o.local.deleteMany(cacheKeys);
    this.#o.dependents?.drop(cacheKeys, []);
    await this.#o.bus?.publish({ domain, keys: [...keys], origin: this.#o.instanceId });
  }

  /**
   * Drops every entry of `domain` whose key matches one of `patterns` (keys without the domain,
   * e.g. `{prefix: 'priceList:PL-OEM:'}`), everywhere, in the order and with the failure of
   * {@link invalidate}. For a change that names a scope but not its keys.
   */
  async invalidateMatching(domain: CacheDomain, patterns: readonly KeyPattern[]): Promise<void> {
    if (patterns.length === 0) return;
    const scoped = patterns.map((p) => inDomain(domain, p));
    this.#o.inflight?.supersedeFetches([], scoped);
    for (const pattern of scoped) await this.#o.shared?.deleteMatching(pattern);
    for (const pattern of scoped) await this.#o.local.deleteMatching(pattern);
    this.#o.dependents?.drop([], scoped);
    await this.#o.bus?.publish({ domain, keys: [], patterns: [...patterns], origin: this.#o.instanceId });
  }

  async #dropLocal(message: InvalidationMessage): Promise<void> {
    const cacheKeys = message.keys.map((k) => ReadThroughCache.key(message.domain, k));
    const patterns = (message.patterns ?? []).map((p) => inDomain(message.domain, p));
    this.#o.inflight?.supersedeFetches(cacheKeys, patterns);
    await this.#o.local.deleteMany(cacheKeys);
    for (const pattern of patterns) await this.#o.local.deleteMatching(pattern);
    this.#o.dependents?.drop(cacheKeys, patterns);
  }
}

/** A pattern over a domain's keys as one over the cache's own keys (`prices:` + the prefix). */
function inDomain(domain: CacheDomain, pattern: KeyPattern): KeyPattern {
  return { prefix: ReadThroughCache.key(domain, pattern.prefix), ...(pattern.suffix === undefined ? {} : { suffix: pattern.suffix }) };
}
