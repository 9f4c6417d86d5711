/**
 * The buyer's price for a product — the one pricing service: GraphQL's `Product.price` (search
 * results included), a PunchOut cart's return and `placeOrder`'s lines all price here, so a buyer
 * sees, returns and orders at the same price. It reads the price entries of every scope that may
 * apply to the customer (each cached on its own scope, so a price list shared by 50 customers is
 * fetched once) and lets the domain pick.
 *
 * @module
 */
import { DomainError } from '../domain/errors.ts';
import { Big, money, type Money } from '../domain/money.ts';
import { resolveBuyerPrice, type BuyerPrice } from '../domain/pricing/buyer-price.ts';
import { assertSoldTo } from '../domain/pricing/sales-restriction.ts';
import type { CustomerAccount, Item, PriceEntry, PriceKey } from '../ports/erp-connector.ts';
import { isPromise, type MaybePromise } from './maybe-promise.ts';
import type { Cached } from './read-through-cache.ts';
import { ReadMemo } from './read-memo.ts';
import type { RequestScope } from './request-scope.ts';
import { deepFreeze } from '../domain/deep-freeze.ts';

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

export interface PriceOptions {
  /**
   * Price on the authoritative path, as an order is: every entry asked of the ERP afresh, at the
   * scope's priority. When the ERP does not answer, a cached entry younger than `maxAgeMs`
   * (ORDER_PRICE_MAX_AGE_SECONDS) stands in; with none, the quote fails with PRICE_NOT_AVAILABLE.
   * Absent: the catalog's cache rules (fresh, stale-while-revalidate, the last known price).
   */
  authoritative?: { maxAgeMs: number };
}

const NONE: Cached<PriceEntry | null> = { value: null, asOf: '', stale: false };

type Entries = [Cached<PriceEntry | null>, Cached<PriceEntry | null>, Cached<PriceEntry | null>];

/** The customer's price for `quantity` of `item`, read through the request's scope. */
export function quoteBuyerPrice(
  scope: RequestScope,
  account: CustomerAccount,
  item: Item,
  quantity: number,
  options?: PriceOptions,
): MaybePromise<PricedQuote> {
  assertSoldTo(item, account);
  if (options?.authoritative) {
    return authoritativeEntries(scope, priceKeysFor(account, item.sku), options.authoritative.maxAgeMs).then(([contract, priceList, list]) =>
      quoteOf(account, item, quantity, contract, priceList, list),
    );
  }
  // The catalog's path, taken for every SKU of every page: the quote an earlier page computed
  // from the same entries for this very customer and quantity, while those entries hold.
  return catalogQuotes.answer(scope.reader, item, account, quantity, () => catalogQuote(scope, account, item, quantity));
}

/**
 * Catalog quotes by item, customer (the account object the request read: the same object while
 * the account entry is) and quantity, served again while their price entries hold (read-memo.ts).
 */
const catalogQuotes = new ReadMemo<Item, PricedQuote>();

/** The scopes of priceKeysFor, read with no key objects and no arrays made unless the cache misses. */
function catalogQuote(scope: RequestScope, account: CustomerAccount, item: Item, quantity: number): MaybePromise<PricedQuote> {
  const { reader } = scope;
  const contract = account.hasContractPrices ? reader.priceIn('contract', account.id, item.sku) : NONE;
  const priceList = account.priceListId ? reader.priceIn('priceList', account.priceListId, item.sku) : NONE;
  const list = reader.priceIn('list', account.currency, item.sku);
  if (isPromise(contract) || isPromise(priceList) || isPromise(list)) {
    return Promise.all([contract, priceList, list]).then(([c, p, l]) => quoteOf(account, item, quantity, c, p, l));
  }
  return quoteOf(account, item, quantity, contract, priceList, list);
}

/** The quote from the entries read (`NONE` for a scope that does not apply to the customer). */
function quoteOf(
  account: CustomerAccount,
  item: Item,
  quantity: number,
  contract: Cached<PriceEntry | null>,
  priceList: Cached<PriceEntry | null>,
  list: Cached<PriceEntry | null>,
): PricedQuote {
  const resolved = resolvePrice(contract.value, priceList.value, list.value, quantity, account.currency);
  if (resolved === null) {
    throw new DomainError('PRICE_NOT_AVAILABLE', `No price for ${item.sku} at quantity ${quantity} for customer ${account.id}.`);
  }
  // The list entry is always read; the other two only where they apply to the customer.
  let asOf = list.asOf;
  let stale = list.stale;
  if (contract !== NONE) {
    if (contract.asOf < asOf) asOf = contract.asOf; // ISO 8601 instants, compared as text
    stale ||= contract.stale;
  }
  if (priceList !== NONE) {
    if (priceList.asOf < asOf) asOf = priceList.asOf;
    stale ||= priceList.stale;
  }
  const last = resolved.quote;
  if (last !== undefined && last.asOf === asOf && last.stale === stale) return last;
  const quote: PricedQuote = Object.freeze({ ...resolved.price, quantity, extendedPrice: resolved.extendedPrice, asOf, stale });
  // Every page that shows this price from the same entries gets the same quote (frozen, shared).
  if (resolved.memo) resolved.quote = quote;
  return quote;
}

/** A resolved price and its extended price: what a quote takes from its entries and quantity. */
interface Resolved {
  readonly price: BuyerPrice;
  readonly extendedPrice: Money;
  /** Whether this is kept in {@link resolvedFrom} (and `quote` with it). */
  readonly memo: boolean;
  /** The quote last made of it, with the age it was made with: the next page's, nearly always. */
  quote?: PricedQuote;
}

/** The last price resolved from a list entry, with what else it was resolved from. */
interface Memo extends Resolved {
  contract: PriceEntry | null;
  priceList: PriceEntry | null;
  quantity: number;
  currency: string;
}

/**
 * Prices resolved from cached entries, by their list entry: a price depends on nothing but its
 * three entries (cached values, never changed in place: a change is a new entry), the quantity
 * and the currency, so every page that shows it reuses it instead of parsing and formatting its
 * decimals again (big.js was 15% of a warm CatalogPage's CPU). One per list entry (a page asks one
 * quantity), gone with the entry; its parts frozen, since every quote of it shares them.
 */
const resolvedFrom = new WeakMap<PriceEntry, Memo>();

function resolvePrice(contract: PriceEntry | null, priceList: PriceEntry | null, list: PriceEntry | null, quantity: number, currency: string): Resolved | null {
  const memo = list === null ? undefined : resolvedFrom.get(list);
  if (memo && memo.contract === contract && memo.priceList === priceList && memo.quantity === quantity && memo.currency === currency) return memo;
  const price = resolveBuyerPrice({ contract, priceList, list }, quantity, currency);
  if (price === null) return null;
  // Sealed, not frozen: only the quote made of it last changes.
  const resolved: Memo = Object.seal({
    price: deepFreeze(price),
    extendedPrice: Object.freeze(money(new Big(price.unitPrice.amount).times(quantity), currency)),
    memo: list !== null,
    quote: undefined,
    contract,
    priceList,
    quantity,
    currency,
  });
  if (list !== null) resolvedFrom.set(list, resolved);
  return resolved;
}

/** The entries read afresh from the ERP; an entry neither read nor recent enough fails the quote. */
async function authoritativeEntries(scope: RequestScope, keys: ReturnType<typeof priceKeysFor>, maxAgeMs: number): Promise<Entries> {
  const read = (key: PriceKey | null) => (key ? scope.reader.authoritativePrice(key, maxAgeMs) : NONE);
  try {
    return await Promise.all([read(keys.contract), read(keys.priceList), read(keys.list)]);
  } catch (error) {
    // An order is never priced from a guess: erpfront's own sentence, the ERP's failure as the cause.
    throw new DomainError('PRICE_NOT_AVAILABLE', `${keys.list.sku} cannot be priced: the ERP is not answering and no recent price is cached.`, {
      cause: error,
    });
  }
}
