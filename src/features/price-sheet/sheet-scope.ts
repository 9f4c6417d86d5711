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

/** The sheet's customers and the distinct scopes they need, most shared first. */
export function sheetScopes(accounts: readonly CustomerAccount[]): { customers: SheetCustomer[]; scopes: SheetScope[] } {
  const scopes = new Map<string, SheetScope>();
  const customers = accounts.map((account) => {
    // The same keys the pricing service reads for this customer, so what the sheet holds is what a
    // buyer's price (and an order's) is resolved from.
    const keys = priceKeysFor(account, '');
    const own = [keys.list, keys.priceList, keys.contract].flatMap((key) => (key ? [{ scope: key.scope, scopeId: key.scopeId }] : []));
    for (const scope of own) scopes.set(`${scope.scope}:${scope.scopeId}`, scope);
    return { id: account.id, scopes: own };
  });
  return { customers, scopes: [...scopes.values()] };
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
