/**
 * The invalidation plan: which cache entries one ERP change makes wrong, in every scope, and
 * nothing else. Pure: the change in, the entries out; `change-applier.ts` carries them out. The
 * key formats come from the reader that writes them (`services/erp-reader.ts`), so nobody else
 * needs to know them.
 *
 * What each change drops, and why:
 * - `item.changed`: the items; every cached search page (a page holds items, and which pages
 *   hold a given item is not known); the items' list prices in every currency (Tryton and most
 *   ERPs keep the list price on the item, so a list-price change arrives as an item change).
 * - `stock.changed`: the SKUs' stock records (availability is computed from them per request).
 * - `price_list.changed`: that list's entries for the SKUs named, or every entry of that list
 *   when none are named; never another list's, a contract's or a list price.
 * - `contract_price.changed`: that customer's contract entries (named SKUs, or all), and the
 *   customer's account, whose `hasContractPrices` decides whether contract prices are looked
 *   for at all (a customer's first contract price must not be skipped).
 * - `customer.changed`: the accounts (terms, ship-tos, price list, credit limit, balance,
 *   hold), and the sales reps' records: a rep's customer list is what lets a rep act for a
 *   customer, so a reassignment in the ERP must not wait for the rep entry to age out. Reps are
 *   few (tens), so dropping them all costs a handful of reads.
 * - `order.changed`: nothing. erpfront caches no ERP order views: order status, history and
 *   the order queue are read from the ERP or erpfront's own store every time.
 *
 * @module
 */
import type { KeyPattern } from '../../ports/cache-store.ts';
import type { ErpChange } from '../../ports/erp/changes.ts';
import { activityKeys, priceKeyId, priceScopePattern, priceSkuPattern, SEARCH_PAGES } from '../../services/erp-reader.ts';
import type { CacheDomain } from '../../services/read-through-cache.ts';

/** Entries of one cache domain to drop: exact keys and, where keys are not known, patterns. */
export interface DomainInvalidation {
  domain: CacheDomain;
  keys: string[];
  patterns: KeyPattern[];
}

/** Every sales rep's entry (their customer lists). */
const ALL_REPS: KeyPattern = { prefix: '' };

/** The cache entries `change` makes wrong, by domain; empty when erpfront caches nothing of it. */
export function planInvalidation(change: ErpChange): DomainInvalidation[] {
  switch (change.type) {
    case 'item.changed': {
      const skus = unique(change.data.skus);
      return [
        { domain: 'items', keys: skus, patterns: [SEARCH_PAGES] },
        { domain: 'prices', keys: [], patterns: skus.map((sku) => priceSkuPattern('list', sku)) },
      ];
    }
    case 'stock.changed':
      return [{ domain: 'stock', keys: unique(change.data.skus), patterns: [] }];
    case 'price_list.changed': {
      const { priceListId, skus } = change.data;
      return [prices('priceList', priceListId, skus)];
    }
    case 'contract_price.changed': {
      const { customerId, skus } = change.data;
      return [prices('contract', customerId, skus), { domain: 'accounts', keys: [customerId], patterns: [] }];
    }
    case 'customer.changed':
      return [
        { domain: 'accounts', keys: unique(change.data.customerIds), patterns: [] },
        { domain: 'activity', keys: unique(change.data.customerIds).flatMap(activityKeys), patterns: [] },
        { domain: 'reps', keys: [], patterns: [ALL_REPS] },
      ];
    case 'order.changed':
      return [];
  }
}

/** One scope's price entries: the SKUs named, or (none named) the whole scope. */
function prices(scope: 'priceList' | 'contract', scopeId: string, skus: readonly string[] | undefined): DomainInvalidation {
  if (skus === undefined) return { domain: 'prices', keys: [], patterns: [priceScopePattern(scope, scopeId)] };
  return { domain: 'prices', keys: unique(skus).map((sku) => priceKeyId({ scope, scopeId, sku })), patterns: [] };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
