/**
 * The sandbox ERP's data set: items, customers, reps, prices and stock, generated from a seed and
 * indexed by key. Immutable, so servers with the same seed share one instance.
 *
 * @module
 */
import type { CustomerAccount, Item, PriceEntry, SalesRep, StockRecord } from '../ports/erp-connector.ts';
import { generateCatalog } from './catalog.ts';
import { generateCustomers } from './customers.ts';
import { generatePrices } from './pricing.ts';
import { generateStock, type SandboxStock } from './stock.ts';
import { deepFreeze } from '../domain/deep-freeze.ts';

export const DEFAULT_SEED = 42;

export interface SearchQuery {
  text?: string;
  category?: string;
  offset: number;
  limit: number;
}

export interface DataSet {
  readonly seed: number;
  /** In SKU order. */
  readonly items: readonly Item[];
  readonly itemsBySku: ReadonlyMap<string, Item>;
  readonly customersById: ReadonlyMap<string, CustomerAccount>;
  readonly repsById: ReadonlyMap<string, SalesRep>;
  /** Keyed by `scope|scopeId|sku`. */
  readonly prices: ReadonlyMap<string, PriceEntry>;
  readonly stock: ReadonlyMap<string, SandboxStock>;
  search(query: SearchQuery): { items: Item[]; total: number };
  /** The stock of a SKU with receipt dates counted from `today`, or `undefined` for an unknown SKU. */
  stockRecord(sku: string, today: Date): StockRecord | undefined;
}

const cache = new Map<number, DataSet>();

/** The data set for a seed, built on first use (about 100 ms) and then shared. */
export function dataSetFor(seed: number = DEFAULT_SEED): DataSet {
  let dataSet = cache.get(seed);
  if (!dataSet) {
    dataSet = buildDataSet(seed);
    cache.set(seed, dataSet);
  }
  return dataSet;
}

function buildDataSet(seed: number): DataSet {
  const catalog = generateCatalog(seed);
  const { customers, reps } = generateCustomers(seed);
  const items = catalog.map((entry) => entry.item);
  const prices = generatePrices(seed, catalog, customers);
  const stock = generateStock(seed, catalog);
  // Lower-cased once: a search scans 5000 strings, which takes well under a millisecond.
  const haystacks = items.map((item) => `${item.sku}\n${item.name}\n${item.description}`.toLowerCase());
  deepFreeze(items);
  deepFreeze(customers);
  deepFreeze(reps);
  for (const entry of prices.values()) deepFreeze(entry);

  return {
    seed,
    items,
    itemsBySku: new Map(items.map((item) => [item.sku, item])),
    customersById: new Map(customers.map((c) => [c.id, c])),
    repsById: new Map(reps.map((r) => [r.id, r])),
    prices,
    stock,
    search({ text, category, offset, limit }) {
      const needle = text?.trim().toLowerCase() ?? '';
      const wantedCategory = category?.trim().toLowerCase() ?? '';
      const matches: Item[] = [];
      items.forEach((item, i) => {
        if (needle && !haystacks[i]!.includes(needle)) return;
        if (wantedCategory && item.category.toLowerCase() !== wantedCategory) return;
        matches.push(item);
      });
      return { items: matches.slice(offset, offset + limit), total: matches.length };
    },
    stockRecord(sku, today) {
      const record = stock.get(sku);
      if (!record) return undefined;
      return {
        sku: record.sku,
        leadTimeDays: record.leadTimeDays,
        warehouses: record.warehouses.map((w) => ({
          code: w.code,
          onHand: w.onHand,
          reserved: w.reserved,
          safetyStock: w.safetyStock,
          incoming: w.incoming.map((r) => ({ date: isoDateAfter(today, r.inDays), quantity: r.quantity })),
        })),
      };
    },
  };
}

/** `YYYY-MM-DD` of the UTC day `days` after `today`. */
export function isoDateAfter(today: Date, days: number): string {
  const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return new Date(start + days * 86_400_000).toISOString().slice(0, 10);
}
