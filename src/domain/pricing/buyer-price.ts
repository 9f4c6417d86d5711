/**
 * The buyer's price: which of the ERP's price entries applies to one customer at one quantity.
 *
 * Pure: the entries come in, already fetched and cached per scope; nothing here does I/O.
 *
 * @module
 */
import type { PriceEntry, PriceScope, QuantityBreak } from '../../ports/erp-connector.ts';
import { money, type Money } from '../money.ts';

/** Where the buyer's price came from, as the GraphQL API names it. */
export type PriceSource = 'CONTRACT' | 'PRICE_LIST' | 'LIST';

const SOURCE_BY_SCOPE: Readonly<Record<PriceScope, PriceSource>> = {
  contract: 'CONTRACT',
  priceList: 'PRICE_LIST',
  list: 'LIST',
};

/** The price entries that may apply to one customer and SKU, most specific first. */
export interface PriceCandidates {
  contract: PriceEntry | null;
  priceList: PriceEntry | null;
  list: PriceEntry | null;
}

export interface BuyerPrice {
  unitPrice: Money;
  /** The list price at the same quantity, when the ERP has one in the buyer's currency. */
  listPrice: Money | null;
  source: PriceSource;
  /** The quantity breaks of the applying entry, so a buyer sees what ordering more would cost. */
  breaks: Array<{ minQuantity: number; unitPrice: Money }>;
  /** The minimum quantity of the break that applies, or `null` when the quantity is below all. */
  appliedMinQuantity: number | null;
}

/**
 * Picks the break for a quantity: the one with the highest minimum quantity not above it. Below
 * the first break (an entry starting at, say, 10) there is no price from that entry.
 */
export function selectBreak(breaks: ReadonlyArray<QuantityBreak>, quantity: number): QuantityBreak | null {
  let chosen: QuantityBreak | null = null;
  for (const candidate of breaks) {
    if (candidate.minQuantity <= quantity && (chosen === null || candidate.minQuantity > chosen.minQuantity)) {
      chosen = candidate;
    }
  }
  return chosen;
}

/**
 * Resolves the buyer's price at a quantity. The most specific scope that has a break covering the
 * quantity wins: a contract price over the customer group's price list over the list price. An
 * entry in another currency than the buyer's is ignored (an ERP mistake must not become a price
 * in the wrong currency). Returns `null` when no scope prices the SKU for this buyer.
 */
export function resolveBuyerPrice(candidates: PriceCandidates, quantity: number, currency: string): BuyerPrice | null {
  const listBreak = usable(candidates.list, currency) ? selectBreak(candidates.list!.breaks, quantity) : null;
  const listPrice = listBreak ? money(listBreak.unitPrice, currency) : null;
  for (const entry of [candidates.contract, candidates.priceList, candidates.list]) {
    if (!usable(entry, currency)) continue;
    const applied = selectBreak(entry!.breaks, quantity);
    if (!applied) continue;
    return {
      unitPrice: money(applied.unitPrice, currency),
      listPrice,
      source: SOURCE_BY_SCOPE[entry!.scope],
      breaks: entry!.breaks.map((b) => ({ minQuantity: b.minQuantity, unitPrice: money(b.unitPrice, currency) })),
      appliedMinQuantity: applied.minQuantity,
    };
  }
  return null;
}

function usable(entry: PriceEntry | null, currency: string): boolean {
  return entry !== null && entry.currency === currency && entry.breaks.length > 0;
}
