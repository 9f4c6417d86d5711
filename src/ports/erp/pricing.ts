/**
 * Capability `pricing`: prices by scope (contract, price list, list price), with quantity breaks.
 *
 * @module
 */
import type { CurrencyCode, DecimalString, ErpCallOptions } from '../erp-connector.ts';

/**
 * Where a price comes from, most specific first. A contract price is agreed with one customer; a
 * price list is shared by a group of customers; the list price is the same for everybody in a
 * currency.
 */
export type PriceScope = 'contract' | 'priceList' | 'list';

/**
 * The key of one price entry: a SKU within a scope. `scopeId` is the customer id for `contract`,
 * the price list id for `priceList`, and the currency code for `list`.
 */
export interface PriceKey {
  scope: PriceScope;
  scopeId: string;
  sku: string;
}

/** A unit price from a minimum quantity on. */
export interface QuantityBreak {
  minQuantity: number;
  unitPrice: DecimalString;
}

/** The prices of one SKU in one scope. */
export interface PriceEntry {
  sku: string;
  scope: PriceScope;
  scopeId: string;
  currency: CurrencyCode;
  /** Sorted by `minQuantity`, ascending; never empty. */
  breaks: QuantityBreak[];
}

/** Reads prices. */
export interface ErpPricing {
  /** `null` for a key means "no price in that scope": normal, the next scope applies. */
  getPrices(keys: readonly PriceKey[], options?: ErpCallOptions): Promise<Array<PriceEntry | null | Error>>;
}
