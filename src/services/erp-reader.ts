/**
 * Per-request access to ERP data: a synchronous read of the in-process cache first, and on a miss
 * a DataLoader that batches every key asked for in the same tick into one cached ERP call.
 *
 * Loaders live for one request only (DataLoader's advice): their memo never outlives the request,
 * so one buyer's view can never leak into another's through them.
 *
 * @module
 */
import DataLoader from 'dataloader';
import type { CustomerAccount, ErpCallOptions, ErpConnector, ErpPriority, Item, PriceEntry, PriceKey, SalesRep, StockRecord } from '../ports/erp-connector.ts';
import type { MaybePromise } from './maybe-promise.ts';
import { ReadThroughCache, type Cached, type CacheDomain, type FreshnessPolicy } from './read-through-cache.ts';

export interface ErpReaderOptions {
  /** The most SKUs (or customers) sent to the ERP in one call: ERPs cap list filters. */
  maxBatchSize: number;
  /** The ERP budget priority of this reader's calls (default `read`; `order` while placing one). */
  priority?: ErpPriority;
}

/** The cache key of a price entry: scope, scope id and SKU, so no buyer reads another's price. */
export function priceKeyId(key: PriceKey): string {
  return `${key.scope}:${key.scopeId}:${key.sku}`;
}

const identity = (key: string) => key;

/** A SKU's price is looked up in up to three scopes (contract, price list, list) in one call. */
const PRICE_SCOPES = 3;

/** ERP reads for one request. */
/** Refreshes nobody waits for queue behind every read somebody does (the budget's promise). */
const BACKGROUND: ErpCallOptions = { priority: 'background' };

export class ErpReader {
  readonly #erp: ErpConnector;
  readonly #cache: ReadThroughCache;
  readonly #maxBatchSize: number;
  readonly #call: { priority: ErpPriority };
  // Made on the first miss: a page served from the cache never builds a loader.
  #items?: DataLoader<string, Cached<Item>, string>;
  #accounts?: DataLoader<string, Cached<CustomerAccount>, string>;
  #reps?: DataLoader<string, Cached<SalesRep>, string>;
  #prices?: DataLoader<PriceKey, Cached<PriceEntry | null>, string>;
  #stock?: DataLoader<string, Cached<StockRecord>, string>;
  /** Authoritative price reads (an order's), one loader per maximum age. */
  #authoritativePrices?: Map<number, DataLoader<PriceKey, Cached<PriceEntry | null>, string>>;

  constructor(erp: ErpConnector, cache: ReadThroughCache, options: ErpReaderOptions) {
    this.#erp = erp;
    this.#cache = cache;
    this.#maxBatchSize = options.maxBatchSize;
    this.#call = { priority: options.priority ?? 'read' };
  }

  item(sku: string): MaybePromise<Cached<Item>> {
    return this.#cache.peek<Item>('items', sku) ?? (this.#items ??= this.#loader('items', identity, (skus, call) => this.#erp.getItems(skus, call))).load(sku);
  }

  account(customerId: string): MaybePromise<Cached<CustomerAccount>> {
    return (
      this.#cache.peek<CustomerAccount>('accounts', customerId) ??
      (this.#accounts ??= this.#loader('accounts', identity, (ids, call) => this.#erp.getCustomers(ids, call))).load(customerId)
    );
  }

  salesRep(repId: string): MaybePromise<Cached<SalesRep>> {
    return (
      this.#cache.peek<SalesRep>('reps', repId) ?? (this.#reps ??= this.#loader('reps', identity, (ids, call) => this.#erp.getSalesReps(ids, call))).load(repId)
    );
  }

  price(key: PriceKey): MaybePromise<Cached<PriceEntry | null>> {
    return (
      this.#cache.peek<PriceEntry | null>('prices', priceKeyId(key)) ??
      (this.#prices ??= this.#loader('prices', priceKeyId, (keys, call) => this.#erp.getPrices(keys, call), PRICE_SCOPES)).load(key)
    );
  }

  /**
   * A price entry on the authoritative path, as an order is priced: asked of the ERP whatever the
   * cache holds (batched like every read, at this reader's priority). Only when the ERP does not
   * answer does a cached entry stand in, marked stale, and only if younger than `maxAgeMs`.
   */
  authoritativePrice(key: PriceKey, maxAgeMs: number): Promise<Cached<PriceEntry | null>> {
    const loaders = (this.#authoritativePrices ??= new Map());
    let loader = loaders.get(maxAgeMs);
    if (!loader) {
      const strict = { freshMs: 0, staleWhileRevalidateMs: 0, maxStaleMs: maxAgeMs };
      loader = this.#loader('prices', priceKeyId, (keys, call) => this.#erp.getPrices(keys, call), PRICE_SCOPES, strict);
      loaders.set(maxAgeMs, loader);
    }
    return loader.load(key);
  }

  stock(sku: string): MaybePromise<Cached<StockRecord>> {
    return (
      this.#cache.peek<StockRecord>('stock', sku) ?? (this.#stock ??= this.#loader('stock', identity, (skus, call) => this.#erp.getStock(skus, call))).load(sku)
    );
  }

  /**
   * A loader whose batches are read through the cache: keys asked for in one tick, one ERP call,
   * at this reader's priority; a background refresh of stale entries at `background`.
   */
  #loader<K, T>(
    domain: CacheDomain,
    keyOf: (key: K) => string,
    fetch: (keys: K[], call: ErpCallOptions) => Promise<Array<T | Error>>,
    keysPerSku = 1,
    overrides?: Partial<FreshnessPolicy>,
  ) {
    const batch = (keys: K[], { refresh }: { refresh: boolean }) => fetch(keys, refresh ? BACKGROUND : this.#call);
    return new DataLoader<K, Cached<T>, string>((keys) => this.#cache.load(domain, keys, keyOf, batch, overrides), {
      maxBatchSize: this.#maxBatchSize * keysPerSku,
      cacheKeyFn: keyOf,
    });
  }
}
