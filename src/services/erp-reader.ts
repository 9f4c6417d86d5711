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
import type { KeyPattern } from '../ports/cache-store.ts';
import type {
  CustomerAccount,
  CustomerOpenInvoices,
  ErpCallOptions,
  ErpInvoice,
  ErpConnector,
  ErpPriority,
  Item,
  ItemSearch,
  OpenOrderSummary,
  PriceEntry,
  PriceKey,
  PriceScope,
  SalesRep,
  StockRecord,
} from '../ports/erp-connector.ts';
import type { Logger } from '../ports/logger.ts';
import { cacheKey, priceCacheKey } from './cache-keys.ts';
import { Footprint } from './footprint.ts';
import { isPromise, type MaybePromise } from './maybe-promise.ts';
import type { ReadReceipts } from './read-receipts.ts';
import type { Cached, CacheDomain, FreshnessPolicy, ReadThroughCache } from './read-through-cache.ts';

export interface ErpReaderOptions {
  /** The most SKUs (or customers) sent to the ERP in one call: ERPs cap list filters. */
  maxBatchSize: number;
  /** The ERP budget priority of this reader's calls (default `read`; `order` while placing one). */
  priority?: ErpPriority;
  /** Where this reader's ERP calls are logged: the request's logger, bound to its `reqId`. */
  log?: Logger;
}

/** The cache key of a price entry: scope, scope id and SKU, so no buyer reads another's price. */
export function priceKeyId(key: PriceKey): string {
  return `${key.scope}:${key.scopeId}:${key.sku}`;
}

/** Every price entry of one scope (a price list, a customer's contracts), as a key pattern. */
export function priceScopePattern(scope: PriceScope, scopeId: string): KeyPattern {
  return { prefix: `${scope}:${scopeId}:` };
}

/** One SKU's price entries in every id of a scope (its list price in every currency). */
export function priceSkuPattern(scope: PriceScope, sku: string): KeyPattern {
  return { prefix: `${scope}:`, suffix: `:${sku}` };
}

/** The cache key (in `items`) of one page of a catalog search. */
export function searchKeyId(search: ItemSearch): string {
  return `search:${JSON.stringify([search.text ?? '', search.category ?? '', search.offset, search.limit])}`;
}

/** Every cached page of catalog search, as a key pattern: an item change may alter any page. */
export const SEARCH_PAGES: KeyPattern = { prefix: 'search:' };

const identity = (key: string) => key;

/** The cache keys (in `activity`) of a customer's open-order summary and unpaid invoices. */
export function activityKeys(customerId: string): string[] {
  return [openOrdersKey(customerId), openInvoicesKey(customerId)];
}
const openOrdersKey = (customerId: string) => `orders:${customerId}`;
const openInvoicesKey = (customerId: string) => `invoices:${customerId}`;

/**
 * Reads of one request that reached the ERP (cache misses it fetched, not background refreshes),
 * by kind: what the request's actual query cost charges for (`extensions.cost`). Prices count
 * SKUs, not price entries: one SKU's contract, price-list and list entries are one price read.
 */
export interface ErpReadCounts {
  items: number;
  prices: number;
  stock: number;
  accounts: number;
  reps: number;
  search: number;
  /** Open-order summaries and unpaid-invoice lists, one per customer (a rep's home). */
  activity: number;
  /** Customers whose invoices were read (one list per customer). */
  invoices: number;
}

/** A SKU's price is looked up in up to three scopes (contract, price list, list) in one call. */
const PRICE_SCOPES = 3;

/** ERP reads for one request. */
export class ErpReader {
  readonly #erp: ErpConnector;
  readonly #cache: ReadThroughCache;
  readonly #maxBatchSize: number;
  readonly #call: ErpCallOptions;
  /** Refreshes nobody waits for queue behind every read somebody does (the budget's promise). */
  readonly #background: ErpCallOptions;
  // Made on the first miss: a page served from the cache never builds a loader.
  #items?: DataLoader<string, Cached<Item>, string>;
  #accounts?: DataLoader<string, Cached<CustomerAccount>, string>;
  #reps?: DataLoader<string, Cached<SalesRep>, string>;
  #prices?: DataLoader<PriceKey, Cached<PriceEntry | null>, string>;
  #stock?: DataLoader<string, Cached<StockRecord>, string>;
  #openOrders?: DataLoader<string, Cached<OpenOrderSummary>, string>;
  #openInvoices?: DataLoader<string, Cached<CustomerOpenInvoices>, string>;
  /** Authoritative price reads (an order's), one loader per maximum age. */
  #authoritativePrices?: Map<number, DataLoader<PriceKey, Cached<PriceEntry | null>, string>>;
  readonly #erpReads: ErpReadCounts = { items: 0, prices: 0, stock: 0, accounts: 0, reps: 0, search: 0, activity: 0, invoices: 0 };
  #invoices?: DataLoader<string, Cached<ErpInvoice[]>, string>;
  /** Set while a response is built for the response cache: every read from then on is noted. */
  #footprint: Footprint | null = null;
  /** The receipts of the computation {@link record} is running, if any. */
  #receipts: ReadReceipts | null = null;

  constructor(erp: ErpConnector, cache: ReadThroughCache, options: ErpReaderOptions) {
    this.#erp = erp;
    this.#cache = cache;
    this.#maxBatchSize = options.maxBatchSize;
    // The request's logger rides along, so the ERP calls it causes (refreshes too) carry its id.
    const log = options.log ? { log: options.log } : {};
    this.#call = { priority: options.priority ?? 'read', ...log };
    this.#background = { priority: 'background', ...log };
  }

  /** This request's reads that reached the ERP so far, by kind. */
  get erpReads(): Readonly<ErpReadCounts> {
    return this.#erpReads;
  }

  /**
   * Notes every read from now on (cache key, age): what an answer built by this request depends
   * on, for the response cache. Reads made before are not in it.
   */
  track(): Footprint {
    return (this.#footprint ??= new Footprint());
  }

  /**
   * Runs `compute`, noting its cache reads: its answer, and the receipts a later request may
   * {@link replay} instead of computing it again, when every read was a fresh in-process hit and
   * the answer is ready now (`null` otherwise). Within another recording, reads go to that one's.
   * `compute` reads the cache through this reader only (a read around it would not be receipted).
   */
  record<T>(compute: () => MaybePromise<T>): { answer: MaybePromise<T>; receipts: ReadReceipts | null } {
    if (this.#receipts !== null) return { answer: compute(), receipts: null };
    const receipts = (this.#receipts = this.#cache.receipts());
    let answer: MaybePromise<T>;
    try {
      answer = compute();
    } finally {
      this.#receipts = null;
    }
    return { answer, receipts: receipts.spoiled || isPromise(answer) ? null : receipts };
  }

  /**
   * Whether an answer {@link record}ed by an earlier request may be served to this one: its reads
   * would read the same entries, fresh (they are counted as hits then). Never while a footprint is
   * noted: the response cache must see every read its answer depends on.
   */
  replay(receipts: ReadReceipts): boolean {
    return this.#footprint === null && this.#cache.replay(receipts);
  }

  /** Counts a catalog search that reached the ERP (the search resolver reads through the cache itself). */
  countSearch(): void {
    this.#erpReads.search += 1;
  }

  // Reads build no key: each cache key is looked up ready-made (cache-keys.ts), once per read.

  item(sku: string): MaybePromise<Cached<Item>> {
    const key = cacheKey('items', sku);
    const read = this.#peek<Item>('items', key) ?? (this.#items ??= this.#loader('items', identity, (skus, call) => this.#erp.getItems(skus, call))).load(sku);
    return this.#footprint ? this.#noted('items', key, read) : read;
  }

  account(customerId: string): MaybePromise<Cached<CustomerAccount>> {
    const key = cacheKey('accounts', customerId);
    const read =
      this.#peek<CustomerAccount>('accounts', key) ??
      (this.#accounts ??= this.#loader('accounts', identity, (ids, call) => this.#erp.getCustomers(ids, call))).load(customerId);
    return this.#footprint ? this.#noted('accounts', key, read) : read;
  }

  salesRep(repId: string): MaybePromise<Cached<SalesRep>> {
    const key = cacheKey('reps', repId);
    const read =
      this.#peek<SalesRep>('reps', key) ?? (this.#reps ??= this.#loader('reps', identity, (ids, call) => this.#erp.getSalesReps(ids, call))).load(repId);
    return this.#footprint ? this.#noted('reps', key, read) : read;
  }

  price(key: PriceKey): MaybePromise<Cached<PriceEntry | null>> {
    return this.#price(key.scope, key.scopeId, key.sku, key);
  }

  /** {@link price} by the key's parts: its `PriceKey` is made only if the cache misses. */
  priceIn(scope: PriceScope, scopeId: string, sku: string): MaybePromise<Cached<PriceEntry | null>> {
    return this.#price(scope, scopeId, sku, undefined);
  }

  #price(scope: PriceScope, scopeId: string, sku: string, key: PriceKey | undefined): MaybePromise<Cached<PriceEntry | null>> {
    const entryKey = priceCacheKey(scope, scopeId, sku);
    const read =
      this.#peek<PriceEntry | null>('prices', entryKey) ??
      (this.#prices ??= this.#loader('prices', priceKeyId, (keys, call) => this.#erp.getPrices(keys, call), PRICE_SCOPES)).load(key ?? { scope, scopeId, sku });
    return this.#footprint ? this.#noted('prices', entryKey, read) : read;
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
    const key = cacheKey('stock', sku);
    const read =
      this.#peek<StockRecord>('stock', key) ?? (this.#stock ??= this.#loader('stock', identity, (skus, call) => this.#erp.getStock(skus, call))).load(sku);
    return this.#footprint ? this.#noted('stock', key, read) : read;
  }

  /** The in-process cache's fresh entry for `key`, noted in the receipts being recorded (a miss spoils them). */
  #peek<T>(domain: CacheDomain, key: string): Cached<T> | undefined {
    const receipts = this.#receipts;
    const hit = this.#cache.peekKey<T>(domain, key, receipts);
    if (hit === undefined && receipts !== null) receipts.spoiled = true;
    return hit;
  }

  /** A read (by its cache key), noted in the footprint once it is there (a failed read is noted by the answer's error). */
  #noted<T>(domain: CacheDomain, cacheKey: string, read: MaybePromise<Cached<T>>): MaybePromise<Cached<T>> {
    const footprint = this.#footprint!;
    const freshMs = this.#cache.freshMs(domain);
    if (!isPromise(read)) {
      footprint.note(domain, cacheKey, read, freshMs);
      return read;
    }
    return read.then((cached) => {
      footprint.note(domain, cacheKey, cached, freshMs);
      return cached;
    });
  }

  /** Every invoice and credit memo of a customer, newest first: customers asked for in one tick, one ERP call. */
  invoices(customerId: string): MaybePromise<Cached<ErpInvoice[]>> {
    return (
      this.#peek<ErpInvoice[]>('invoices', cacheKey('invoices', customerId)) ??
      (this.#invoices ??= this.#loader('invoices', identity, (ids, call) => this.#erp.getInvoices(ids, call))).load(customerId)
    );
  }

  /**
   * A customer's orders open in the ERP, counted and totalled: the customers asked for in one tick
   * are one `getOpenOrderSummaries` call (cached as `activity`, keyed `orders:<customer>`).
   */
  openOrders(customerId: string): MaybePromise<Cached<OpenOrderSummary>> {
    return (
      this.#peek<OpenOrderSummary>('activity', cacheKey('activity', openOrdersKey(customerId))) ??
      (this.#openOrders ??= this.#loader(
        'activity',
        (id: string) => `orders:${id}`,
        (ids, call) => this.#erp.getOpenOrderSummaries(ids, call),
      )).load(customerId)
    );
  }

  /** A customer's unpaid invoices: one `getOpenInvoices` call per tick (cached as `activity`, keyed `invoices:<customer>`). */
  openInvoices(customerId: string): MaybePromise<Cached<CustomerOpenInvoices>> {
    return (
      this.#peek<CustomerOpenInvoices>('activity', cacheKey('activity', openInvoicesKey(customerId))) ??
      (this.#openInvoices ??= this.#loader(
        'activity',
        (id: string) => `invoices:${id}`,
        (ids, call) => this.#erp.getOpenInvoices(ids, call),
      )).load(customerId)
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
    const batch = (keys: K[], { refresh }: { refresh: boolean }) => {
      // A refresh serves nobody waiting: the request was answered from the cache.
      if (!refresh) this.#erpReads[domain] += domain === 'prices' ? new Set(keys.map((key) => (key as PriceKey).sku)).size : keys.length;
      return fetch(keys, refresh ? this.#background : this.#call);
    };
    return new DataLoader<K, Cached<T>, string>((keys) => this.#cache.load(domain, keys, keyOf, batch, overrides), {
      maxBatchSize: this.#maxBatchSize * keysPerSku,
      cacheKeyFn: keyOf,
    });
  }
}
