/**
 * Who the price sheet is for and what it must hold for them: the price scopes of the active
 * customers (each scope once: a price list shared by 50 customers is fetched once), and how much
 * of a batch of items the held entries cover.
 *
 * @module
 */
import type { CustomerAccount, PriceKey, PriceScope } from '../../ports/erp-connector.ts';
import { priceKeysFor } from '../../services/buyer-pricing.ts';
import { priceKeyId } from '../../services/erp-reader.ts';

/** One scope of price entries: a customer's contract prices, a price list, a currency's list prices. */
export interface SheetScope {
  scope: PriceScope;
  scopeId: string;
}

/** An active customer and the scopes its prices are resolved from (the pricing service's rule). */
export interface SheetCustomer {
  id: string;
  scopes: SheetScope[];
}

/**
 * The sheet's customers and the distinct scopes they need, those shared by most customers first:
 * where the cache cannot hold them all, the sheet keeps the first (see `fitScopes`).
 */
export function sheetScopes(accounts: readonly CustomerAccount[]): { customers: SheetCustomer[]; scopes: SheetScope[] } {
  const scopes = new Map<string, { scope: SheetScope; users: number }>();
  const customers = accounts.map((account) => {
    // The same keys the pricing service reads for this customer, so what the sheet holds is what a
    // buyer's price (and an order's) is resolved from.
    const keys = priceKeysFor(account, '');
    const own = [keys.list, keys.priceList, keys.contract].flatMap((key) => (key ? [{ scope: key.scope, scopeId: key.scopeId }] : []));
    for (const scope of own) {
      const id = `${scope.scope}:${scope.scopeId}`;
      const known = scopes.get(id);
      if (known) known.users++;
      else scopes.set(id, { scope, users: 1 });
    }
    return { id: account.id, scopes: own };
  });
  return { customers, scopes: [...scopes.values()].sort((a, b) => b.users - a.users).map((s) => s.scope) };
}

/**
 * The scopes whose entries fit in `maxEntries` cache entries with the items' own (the first ones:
 * most shared), and how many entries all of them would take. Without a shared cache tier the sheet
 * lives in the in-process LRU, which it must not fill: the customers of the scopes left out are
 * simply not covered, and the coverage metric says so.
 */
export function fitScopes(scopes: readonly SheetScope[], items: number, maxEntries: number | null): { kept: SheetScope[]; needed: number } {
  const needed = (scopes.length + 1) * items;
  if (maxEntries === null || needed <= maxEntries) return { kept: [...scopes], needed };
  return { kept: scopes.slice(0, Math.max(0, Math.floor(maxEntries / Math.max(1, items)) - 1)), needed };
}

/** What one batch of items held when the sheet last walked it. */
export interface BatchCoverage {
  /** (customer, item) pairs the batch had. */
  pairs: number;
  /** Pairs whose item and every price entry are held. */
  covered: number;
  /** When the oldest price entry held was fetched (epoch ms); `null` when none is. */
  oldest: number | null;
}

/**
 * How much of a batch the sheet holds: a pair is covered when its item and every price entry its
 * customer's price is resolved from are held (an entry "no price in this scope" counts: the next
 * scope applies).
 */
export function batchCoverage(
  customers: readonly SheetCustomer[],
  skus: readonly string[],
  itemHeld: ReadonlyArray<boolean>,
  priceHeld: ReadonlyMap<string, number | null>,
): BatchCoverage {
  let covered = 0;
  let oldest: number | null = null;
  for (const fetchedAt of priceHeld.values()) if (fetchedAt !== null && (oldest === null || fetchedAt < oldest)) oldest = fetchedAt;
  skus.forEach((sku, i) => {
    if (!itemHeld[i]) return;
    for (const customer of customers) {
      if (customer.scopes.every((scope) => (priceHeld.get(priceKeyId({ ...scope, sku } satisfies PriceKey)) ?? null) !== null)) covered++;
    }
  });
  return { pairs: customers.length * skus.length, covered, oldest };
}
