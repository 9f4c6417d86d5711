/**
 * The buyer's price for a product: reads the price entries of every scope that may apply to the
 * customer (each cached on its own scope, so a price list shared by 50 customers is fetched once)
 * and lets the domain pick.
 *
 * @module
 */
import { DomainError } from '../domain/errors.ts';
import { Big, money, type Money } from '../domain/money.ts';
import { resolveBuyerPrice, type BuyerPrice } from '../domain/pricing/buyer-price.ts';
import { assertSoldTo } from '../domain/pricing/sales-restriction.ts';
import type { CustomerAccount, Item, PriceEntry, PriceKey } from '../ports/erp-connector.ts';
import type { ErpReader } from './erp-reader.ts';
import { all, after, type MaybePromise } from './maybe-promise.ts';
import type { Cached } from './read-through-cache.ts';

export interface PricedQuote extends BuyerPrice {
  quantity: number;
  /** Unit price × quantity. */
  extendedPrice: Money;
  /** The oldest `asOf` of the entries the price was resolved from. */
  asOf: string;
  stale: boolean;
}

/** The price keys that may apply to a customer, most specific first. */
export function priceKeysFor(account: CustomerAccount, sku: string): { contract: PriceKey | null; priceList: PriceKey | null; list: PriceKey } {
  return {
    contract: account.hasContractPrices ? { scope: 'contract', scopeId: account.id, sku } : null,
    priceList: account.priceListId ? { scope: 'priceList', scopeId: account.priceListId, sku } : null,
    list: { scope: 'list', scopeId: account.currency, sku },
  };
}

const NONE: Cached<PriceEntry | null> = { value: null, asOf: '', stale: false };

/** The customer's price for `quantity` of `item`. */
export function quoteBuyerPrice(reader: ErpReader, account: CustomerAccount, item: Item, quantity: number): MaybePromise<PricedQuote> {
  assertSoldTo(item, account);
  const keys = priceKeysFor(account, item.sku);
  const entries = all<[Cached<PriceEntry | null>, Cached<PriceEntry | null>, Cached<PriceEntry | null>]>([
    keys.contract ? reader.price(keys.contract) : NONE,
    keys.priceList ? reader.price(keys.priceList) : NONE,
    reader.price(keys.list),
  ]);
  return after(entries, ([contract, priceList, list]) => {
    const price = resolveBuyerPrice(
      { contract: contract.value, priceList: priceList.value, list: list.value },
      quantity,
      account.currency,
    );
    if (price === null) {
      throw new DomainError('PRICE_NOT_AVAILABLE', `No price for ${item.sku} at quantity ${quantity} for customer ${account.id}.`);
    }
    const used = [contract, priceList, list].filter((e) => e !== NONE);
    return {
      ...price,
      quantity,
      extendedPrice: money(new Big(price.unitPrice.amount).times(quantity), account.currency),
      asOf: used.reduce((oldest, e) => (e.asOf < oldest ? e.asOf : oldest), used[0]!.asOf),
      stale: used.some((e) => e.stale),
    };
  });
}
