/**
 * The price sheet job: keeps the item master and the prices of active customers in the cache,
 * so that while the ERP is down a buyer can still be priced and order any item, not only those
 * viewed lately.
 *
 * - **Who**: customers acted for within the active window (recorded per request, kept in the
 *   backends' activity store, shared in scale-out) and every PunchOut buyer's customer.
 * - **How**: passes over the catalog in batches of items: one catalog page (the item master),
 *   then the price entries of every scope the customers need for those items, as many scopes per
 *   call as fit. A pass starts every PRICE_SHEET_REFRESH_MINUTES; customers who turn active in
 *   between get a short pass of their own, which fetches only what the last pass did not.
 * - **Never in anyone's way**: every call at the ERP budget's `background` priority (behind every
 *   read and order somebody waits for), at most `callsPerTick` calls a tick, and a tick ends as
 *   soon as an interactive caller waits for a permit on this instance. The ERP failing ends the
 *   tick quietly; the next one goes on where it stopped.
 * - **One instance** runs it (a lease in the cursor store); the others only record who they saw.
 *
 * @module
 */
import type { Clock } from '../../ports/clock.ts';
import type { CursorStore } from '../../ports/cursor-store.ts';
import type { CustomerActivityStore } from '../../ports/customer-activity.ts';
import type { ErpBudget } from '../../ports/erp-budget.ts';
import type { CustomerAccount, ErpCallOptions, ErpConnector, Item, PriceKey } from '../../ports/erp-connector.ts';
import { isTransientErpError } from '../../ports/erp-error.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Job } from '../../ports/scheduler.ts';
import { priceKeyId } from '../../services/erp-reader.ts';
import type { Held, ReadThroughCache } from '../../services/read-through-cache.ts';
import { batchCoverage, fitScopes, sheetScopes, type BatchCoverage, type SheetCustomer, type SheetScope } from './sheet-scope.ts';
import { SHEET_STATUS, type SheetSummary } from './sheet-status.ts';
import { ActivityRecorder } from './activity-recorder.ts';

export interface PriceSheetPace {
  /** Time between ticks, in ms. */
  intervalMs: number;
  /** Most ERP calls in one tick. */
  callsPerTick: number;
  /** Items per batch (one catalog page). */
  batchSize: number;
  /** Most keys in one call (price keys, customer ids): what the ERP accepts in one list filter. */
  keysPerCall: number;
}

export interface PriceSheetOptions {
  erp: ErpConnector;
  cache: ReadThroughCache;
  activity: CustomerActivityStore;
  cursors: CursorStore;
  budget: ErpBudget;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  /** Customers of the PunchOut buyer organisations: always active. */
  punchOutCustomers: readonly string[];
  pace: PriceSheetPace;
  activeWindowMs: number;
  /** How old a kept value may be and still stand in for a down ERP. */
  maxAgeMs: number;
  /** A pass starts this long after the previous one started. */
  refreshMs: number;
  /** Most cache entries the sheet may take (no shared tier: half the in-process LRU); `null`: no bound. */
  maxEntries: number | null;
}

/** The lease's name in the cursor store. */
const SHEET_LEASE = 'price-sheet';
/** How often an idle sheet still stores its figures. */
const IDLE_PUBLISH_MS = 30_000;

interface Pass {
  startedAt: number;
  /** What was fetched since this instant is not fetched again (the pass's, or the last full pass's, start). */
  since: number;
  /** A full pass reads the catalog pages again (new items); a short pass reuses the SKUs it knows. */
  full: boolean;
  customers: SheetCustomer[];
  scopes: SheetScope[];
  offset: number;
  total: number | null;
  batch: { skus: string[]; itemHeld: boolean[]; nextScope: number; priceHeld: Map<string, number | null> } | null;
  done: boolean;
}

/** Runs the sheet; `job()` for the scheduler, `seen()` on the request path. */
export class PriceSheet {
  readonly #o: PriceSheetOptions;
  readonly #call: ErpCallOptions;
  readonly #log: Logger;
  /** Who requests acted for, recorded on every instance. */
  readonly #activity: ActivityRecorder;
  #pass: Pass | null = null;
  /** Coverage of each batch (by offset) as last walked. */
  readonly #batches = new Map<number, BatchCoverage>();
  readonly #skusByOffset = new Map<number, string[]>();
  #calls = 0;
  /** Until when this instance holds the sheet's lease (as far as it knows). */
  #leaseUntil = 0;
  #publishedAt = 0;

  constructor(options: PriceSheetOptions) {
    this.#o = options;
    this.#log = options.logger;
    this.#call = { priority: 'background', log: options.logger };
    this.#activity = new ActivityRecorder(options);
  }

  /** Remembers that a request acted for `customerId` (stored at the next tick: no I/O here). */
  seen(customerId: string): void {
    this.#activity.seen(customerId);
  }

  /** Whether a pass is under way on this instance (the bench waits for one to end). */
  get passing(): boolean {
    return this.#pass !== null && !this.#pass.done;
  }

  /** ERP calls the sheet has made on this instance (the bench's figure). */
  get calls(): number {
    return this.#calls;
  }

  job(): Job {
    return { name: 'price-sheet', intervalMs: this.#o.pace.intervalMs, tick: () => this.tick() };
  }

  /** One tick: record who was seen; if this instance runs the sheet, walk it on at the pace. */
  async tick(): Promise<undefined> {
    await this.#activity.flushSeen();
    if (!(await this.#holdLease())) return undefined;
    // Somebody waits for the ERP on this instance: the sheet leaves the budget to them this tick.
    if (this.#interactiveWaiting()) return undefined;
    const allowance = { calls: this.#o.pace.callsPerTick, steps: this.#o.pace.callsPerTick * 10 };
    const [passBefore, stepsBefore] = [this.#pass, allowance.steps];
    try {
      if (this.#pass === null || this.#pass.done) await this.#startPass(allowance);
      while (this.#pass !== null && !this.#pass.done && allowance.calls > 0 && allowance.steps-- > 0 && !this.#interactiveWaiting()) {
        await this.#step(this.#pass, allowance);
      }
    } catch (error) {
      // The ERP down, slow or busy is no failure of the job: the next tick goes on from here.
      if (!isTransientErpError(error)) throw error;
    }
    // Idle ticks store nothing (a SQLite commit each would be a sync to disk every few seconds),
    // except now and then, so `lastRunAt` shows the sheet alive.
    const worked = this.#pass !== passBefore || allowance.steps !== stepsBefore;
    if (worked || this.#o.clock.now() - this.#publishedAt >= IDLE_PUBLISH_MS) await this.#publish();
    return undefined;
  }

  /** Takes or renews the sheet's lease; renewed once half its time has passed, not every tick. */
  async #holdLease(): Promise<boolean> {
    const now = this.#o.clock.now();
    const ttl = Math.max(30_000, this.#o.pace.intervalMs * 5);
    if (now < this.#leaseUntil - ttl / 2) return true;
    const held = await this.#o.cursors.lease(SHEET_LEASE, this.#o.instanceId, ttl);
    this.#leaseUntil = held ? now + ttl : 0;
    return held;
  }

  /** Whether a caller on this instance waits for an ERP permit at a more urgent priority. */
  #interactiveWaiting(): boolean {
    const { waiting } = this.#o.budget.snapshot();
    return waiting.order + waiting.status + waiting.read > 0;
  }

  /** Starts a pass when one is due, or when customers turned active since the last one. */
  async #startPass(allowance: { calls: number }): Promise<void> {
    const now = this.#o.clock.now();
    const seen = await this.#o.activity.seenSince(now - this.#o.activeWindowMs);
    const active = [...new Set([...seen, ...this.#o.punchOutCustomers])].sort();
    const last = this.#pass;
    const due = last === null || now >= last.startedAt + this.#o.refreshMs;
    const known = new Set(last?.customers.map((c) => c.id));
    if (!due && active.every((id) => known.has(id))) return;
    if (due) await this.#o.activity.forgetBefore(now - this.#o.activeWindowMs);
    const since = due ? now : last!.since;
    const accounts = await this.#accounts(active, since, allowance);
    const { customers, scopes } = sheetScopes(accounts);
    this.#pass = { startedAt: now, since, full: due, customers, scopes, offset: 0, total: last?.total ?? null, batch: null, done: customers.length === 0 };
    if (customers.length === 0) this.#batches.clear();
    if (this.#pass.total !== null) this.#fit(this.#pass, this.#pass.total);
    this.#log.info('price sheet pass started', { customers: customers.length, scopes: scopes.length, full: due });
  }

  /** The active customers' accounts, kept for outages too (an order reads its customer's). */
  async #accounts(ids: readonly string[], since: number, allowance: { calls: number }): Promise<CustomerAccount[]> {
    const accounts: CustomerAccount[] = [];
    for (let i = 0; i < ids.length; i += this.#o.pace.keysPerCall) {
      const chunk = ids.slice(i, i + this.#o.pace.keysPerCall);
      const held = await this.#warm(
        'accounts',
        chunk,
        (id) => id,
        (missing) => this.#o.erp.getCustomers(missing, this.#withDeadline()),
        since,
        allowance,
      );
      for (const entry of held) {
        if (!(entry instanceof Error)) accounts.push(entry.value);
        // A customer the ERP no longer knows drops out; the ERP not answering ends the tick.
        else if (isTransientErpError(entry)) throw entry;
      }
    }
    return accounts;
  }

  /** One step: the next batch's catalog page, or the next scopes of the current batch. */
  async #step(pass: Pass, allowance: { calls: number }): Promise<void> {
    if (pass.batch === null) return this.#nextBatch(pass, allowance);
    const batch = pass.batch;
    const perCall = Math.max(1, Math.floor(this.#o.pace.keysPerCall / batch.skus.length));
    const scopes = pass.scopes.slice(batch.nextScope, batch.nextScope + perCall);
    if (scopes.length === 0) return this.#finishBatch(pass);
    const keys: PriceKey[] = scopes.flatMap((scope) => batch.skus.map((sku) => ({ ...scope, sku })));
    const held = await this.#warm('prices', keys, priceKeyId, (missing) => this.#o.erp.getPrices(missing, this.#withDeadline()), pass.since, allowance);
    keys.forEach((key, i) => {
      const entry = held[i]!;
      batch.priceHeld.set(priceKeyId(key), entry instanceof Error ? null : entry.fetchedAt);
    });
    const failure = held.find((entry) => entry instanceof Error && isTransientErpError(entry));
    if (failure) throw failure; // these scopes again next tick; what came back is kept
    batch.nextScope += scopes.length;
  }

  async #nextBatch(pass: Pass, allowance: { calls: number }): Promise<void> {
    if (pass.total !== null && pass.offset >= pass.total) return this.#finishPass(pass);
    const known = pass.full ? undefined : this.#skusByOffset.get(pass.offset);
    let skus: string[];
    let held: Array<Held<Item> | Error>;
    if (known) {
      skus = known;
      held = await this.#warm(
        'items',
        skus,
        (sku) => sku,
        (missing) => this.#o.erp.getItems(missing, this.#withDeadline()),
        pass.since,
        allowance,
      );
    } else {
      const page = await this.#o.erp.searchItems({ offset: pass.offset, limit: this.#o.pace.batchSize }, this.#withDeadline());
      this.#count(allowance);
      if (pass.total !== page.total) this.#fit(pass, page.total);
      pass.total = page.total;
      const bySku = new Map(page.items.map((item) => [item.sku, item]));
      skus = page.items.map((item) => item.sku);
      this.#skusByOffset.set(pass.offset, skus);
      // The page brought the items: stored as if fetched one by one, no second call.
      const stored = await this.#o.cache.warm(
        'items',
        skus,
        (sku) => sku,
        async (missing) => missing.map((sku) => bySku.get(sku)!),
        {
          since: pass.since,
          outageMaxAgeMs: this.#o.maxAgeMs,
        },
      );
      held = stored.held;
    }
    if (skus.length === 0) return this.#finishPass(pass);
    pass.batch = { skus, itemHeld: held.map((h) => !(h instanceof Error)), nextScope: 0, priceHeld: new Map() };
  }

  /** Keeps the scopes that fit the sheet's share of the cache, once the catalog's size is known. */
  #fit(pass: Pass, items: number): void {
    const { kept, needed } = fitScopes(pass.scopes, items, this.#o.maxEntries);
    if (kept.length === pass.scopes.length) return;
    this.#log.warn('price sheet: the cache cannot hold every active customer’s prices; the customers of the scopes left out are not covered', {
      scopes: pass.scopes.length,
      kept: kept.length,
      entriesNeeded: needed,
      entriesAllowed: this.#o.maxEntries,
      fix: 'raise CACHE_MAX_ENTRIES to twice the entries needed, or run with REDIS_URL (the sheet then lives in the shared tier)',
    });
    pass.scopes = kept;
  }

  #finishBatch(pass: Pass): void {
    const batch = pass.batch!;
    this.#batches.set(pass.offset, batchCoverage(pass.customers, batch.skus, batch.itemHeld, batch.priceHeld));
    pass.offset += this.#o.pace.batchSize;
    pass.batch = null;
  }

  #finishPass(pass: Pass): void {
    pass.done = true;
    // Batches past the catalog's end (it shrank) hold nothing any more.
    for (const offset of this.#batches.keys()) if (pass.total !== null && offset >= pass.total) this.#batches.delete(offset);
    const summary = this.#summary();
    this.#log.info('price sheet pass done', {
      customers: summary.customers,
      items: summary.items,
      covered: summary.covered,
      seconds: (this.#o.clock.now() - pass.startedAt) / 1000,
    });
  }

  /** Reads `keys` through the cache for the sheet; an ERP call counts against the tick's allowance. */
  async #warm<K, T>(
    domain: 'items' | 'prices' | 'accounts',
    keys: readonly K[],
    keyOf: (key: K) => string,
    fetch: (keys: K[]) => Promise<Array<T | Error>>,
    since: number,
    allowance: { calls: number },
  ): Promise<Array<Held<T> | Error>> {
    const result = await this.#o.cache.warm(domain, keys, keyOf, fetch, { since, outageMaxAgeMs: this.#o.maxAgeMs });
    if (result.called) this.#count(allowance);
    return result.held;
  }

  #count(allowance: { calls: number }): void {
    allowance.calls -= 1;
    this.#calls += 1;
  }

  /**
   * The call options: background priority, and a deadline so a tick starved of permits (the
   * budget busy with interactive traffic for long) ends rather than holding the job.
   */
  #withDeadline(): ErpCallOptions {
    return { ...this.#call, signal: AbortSignal.timeout(Math.max(10_000, this.#o.pace.intervalMs * 5)) };
  }

  #summary(): SheetSummary {
    let covered = 0;
    let oldest: number | null = null;
    for (const batch of this.#batches.values()) {
      covered += batch.covered;
      if (batch.oldest !== null && (oldest === null || batch.oldest < oldest)) oldest = batch.oldest;
    }
    return { customers: this.#pass?.customers.length ?? 0, items: this.#pass?.total ?? 0, covered, oldest, lastRunAt: this.#o.clock.now() };
  }

  /** Stores the figures for every instance's status and metrics. */
  async #publish(): Promise<void> {
    this.#publishedAt = this.#o.clock.now();
    await this.#o.cursors.set(SHEET_STATUS, JSON.stringify(this.#summary()));
  }
}
