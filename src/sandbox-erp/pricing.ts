/**
 * The sandbox's price book: list prices per currency, price lists shared by customer groups, and
 * contract prices agreed with single customers, each with quantity breaks.
 *
 * @module
 */
import type { CustomerAccount, PriceEntry, PriceKey, QuantityBreak } from '../ports/erp-connector.ts';
import type { CatalogEntry } from './catalog.ts';
import { centsToDecimal, rng, type Rng } from './prng.ts';

/** EUR list prices derive from USD ones at this rate (a price-list rate, not a market rate). */
const EUR_PER_USD = 0.93;

interface PriceListDefinition {
  id: string;
  currency: 'USD' | 'EUR';
  /** Categories the list covers; `null` for all. */
  categories: readonly string[] | null;
  /** Share of the covered categories' items that are on the list. */
  coverage: number;
  /** Discount off list, as a fraction range. */
  discount: readonly [number, number];
  /** The list's own quantity breaks (minimum quantity, extra discount); `null` to follow the list price's. */
  breaks: ReadonlyArray<readonly [number, number]> | null;
}

export const PRICE_LISTS: readonly PriceListDefinition[] = [
  {
    id: 'PL-CONTRACTOR',
    currency: 'USD',
    categories: ['Fasteners', 'Electrical', 'Plumbing', 'Tools', 'Safety'],
    coverage: 0.75,
    discount: [0.08, 0.14],
    breaks: null,
  },
  {
    id: 'PL-OEM',
    currency: 'USD',
    categories: ['Fasteners', 'Electrical', 'Adhesives', 'Abrasives', 'Lubricants', 'Packaging'],
    coverage: 0.65,
    discount: [0.12, 0.2],
    breaks: [
      [1, 0],
      [100, 0.04],
      [500, 0.08],
    ],
  },
  { id: 'PL-RETAIL', currency: 'USD', categories: null, coverage: 0.4, discount: [0.03, 0.05], breaks: null },
  {
    id: 'PL-DISTRIBUTOR',
    currency: 'USD',
    categories: null,
    coverage: 0.8,
    discount: [0.18, 0.25],
    breaks: [
      [1, 0],
      [50, 0.03],
      [250, 0.06],
    ],
  },
  { id: 'PL-EU-TRADE', currency: 'EUR', categories: null, coverage: 0.6, discount: [0.1, 0.1], breaks: null },
];

/** List-price break patterns: minimum quantity and discount off the single-unit price. */
const LIST_BREAKS: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  [[1, 0]],
  [
    [1, 0],
    [10, 0.04],
    [50, 0.08],
    [100, 0.12],
  ],
  [
    [1, 0],
    [12, 0.05],
    [48, 0.1],
  ],
  [
    [1, 0],
    [25, 0.03],
    [100, 0.07],
    [500, 0.12],
  ],
];

/** C0001's contract SKUs on the first catalog page, so a demo shows a contract price at once. */
export const PINNED_CONTRACT_SKUS: Readonly<Record<string, readonly string[]>> = {
  C0001: ['SKU-00002', 'SKU-00005', 'SKU-00011', 'SKU-00017', 'SKU-00030'],
};

/** Items priced on request only: no list price in any currency. */
export function noListPrice(index: number): boolean {
  return index % 401 === 0;
}

/** Items not sold in the EU: no EUR list price. */
export function noEurPrice(index: number): boolean {
  return index % 53 === 0;
}

export function priceKey(key: PriceKey): string {
  return `${key.scope}|${key.scopeId}|${key.sku}`;
}

/** Every price entry of the data set, indexed by {@link priceKey}. */
export function generatePrices(seed: number, catalog: readonly CatalogEntry[], customers: readonly CustomerAccount[]): Map<string, PriceEntry> {
  const prices = new Map<string, PriceEntry>();
  const add = (entry: PriceEntry) => prices.set(priceKey(entry), entry);
  const listPatterns = new Map<number, ReadonlyArray<readonly [number, number]>>();

  for (const entry of catalog) {
    if (noListPrice(entry.index)) continue;
    const pattern = rng(seed, 'list-breaks', entry.index).pick([0, 0, 1, 1, 1, 2, 3].map((i) => LIST_BREAKS[i]!));
    listPatterns.set(entry.index, pattern);
    add(entryOf(entry.item.sku, 'list', 'USD', 'USD', entry.baseCents, pattern, 0));
    if (!noEurPrice(entry.index)) {
      add(entryOf(entry.item.sku, 'list', 'EUR', 'EUR', eurCents(entry.baseCents), pattern, 0));
    }
  }

  for (const list of PRICE_LISTS) {
    for (const entry of catalog) {
      const pattern = listPatterns.get(entry.index);
      if (!pattern || !entry.item.salable) continue;
      if (list.currency === 'EUR' && noEurPrice(entry.index)) continue;
      const restricted = entry.item.restrictedToPriceLists;
      const draw = rng(seed, 'price-list', list.id, entry.index);
      const covered = restricted
        ? restricted.includes(list.id)
        : (list.categories === null || list.categories.includes(entry.item.category)) && draw.chance(list.coverage);
      if (!covered) continue;
      // Discounts in half-percent steps, as a pricing manager would set them.
      const discount = Math.round(draw.float(list.discount[0], list.discount[1]) * 200) / 200;
      const base = list.currency === 'EUR' ? eurCents(entry.baseCents) : entry.baseCents;
      add(entryOf(entry.item.sku, 'priceList', list.id, list.currency, base, list.breaks ?? pattern, discount));
    }
  }

  const eligible = catalog.filter((e) => e.item.salable && e.item.restrictedToPriceLists === null && !noListPrice(e.index));
  for (const customer of customers) {
    if (!customer.hasContractPrices) continue;
    const draw = rng(seed, 'contract', customer.id);
    const pinned = PINNED_CONTRACT_SKUS[customer.id] ?? [];
    const picked = new Set<string>(pinned);
    const wanted = pinned.length + draw.int(5, 25);
    while (picked.size < wanted) picked.add(draw.pick(eligible).item.sku);
    for (const sku of picked) {
      const entry = catalog[Number(sku.slice(4)) - 1]!;
      const pattern = listPatterns.get(entry.index);
      if (!pattern || (customer.currency === 'EUR' && noEurPrice(entry.index))) continue;
      const base = customer.currency === 'EUR' ? eurCents(entry.baseCents) : entry.baseCents;
      const own = customer.priceListId ? prices.get(priceKey({ scope: 'priceList', scopeId: customer.priceListId, sku })) : undefined;
      add(contractEntry(draw, sku, customer, base, pattern, own));
    }
  }
  return prices;
}

function eurCents(usdCents: number): number {
  return Math.max(9, Math.round(usdCents * EUR_PER_USD));
}

function entryOf(
  sku: string,
  scope: PriceEntry['scope'],
  scopeId: string,
  currency: string,
  baseCents: number,
  pattern: ReadonlyArray<readonly [number, number]>,
  discount: number,
): PriceEntry {
  const breaks: QuantityBreak[] = pattern.map(([minQuantity, extra]) => ({
    minQuantity,
    unitPrice: centsToDecimal(Math.max(1, Math.round(baseCents * (1 - discount - extra)))),
  }));
  return { sku, scope, scopeId, currency, breaks };
}

/**
 * A contract price: 20-30 % off list at every list break, and never above the customer's own price
 * list at any quantity (a negotiated price that loses to the group's list at volume would be a
 * pricing mistake). Breaks are the union of both entries' so the comparison holds between them.
 */
function contractEntry(
  draw: Rng,
  sku: string,
  customer: CustomerAccount,
  baseCents: number,
  pattern: ReadonlyArray<readonly [number, number]>,
  own: PriceEntry | undefined,
): PriceEntry {
  const discount = Math.round(draw.float(0.2, 0.3) * 100) / 100;
  const mins = [...new Set([...pattern.map(([m]) => m), ...(own?.breaks ?? []).map((b) => b.minQuantity)])].sort((a, b) => a - b);
  const at = <T extends { minQuantity: number }>(breaks: readonly T[], q: number) => breaks.filter((b) => b.minQuantity <= q).at(-1);
  const listSteps = pattern.map(([minQuantity, extra]) => ({ minQuantity, extra }));
  const breaks: QuantityBreak[] = [];
  let previous = Infinity;
  for (const minQuantity of mins) {
    let cents = Math.round(baseCents * (1 - discount - (at(listSteps, minQuantity)?.extra ?? 0)));
    const ownBreak = own ? at(own.breaks, minQuantity) : undefined;
    if (ownBreak) cents = Math.min(cents, Math.floor(Math.round(Number(ownBreak.unitPrice) * 100) * 0.97));
    cents = Math.max(1, Math.min(cents, previous));
    // A break that does not lower the price is noise in a buyer's price table.
    if (cents < previous) breaks.push({ minQuantity, unitPrice: centsToDecimal(cents) });
    previous = cents;
  }
  return { sku, scope: 'contract', scopeId: customer.id, currency: customer.currency, breaks };
}
