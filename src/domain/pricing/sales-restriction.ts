/**
 * Whether an item is sold to a customer at all.
 *
 * @module
 */
import type { CustomerAccount, Item } from '../../ports/erp-connector.ts';
import { DomainError } from '../errors.ts';

/** Throws `NOT_SOLD_TO_CUSTOMER` when the ERP does not sell the item to this customer. */
export function assertSoldTo(item: Item, account: CustomerAccount): void {
  if (!item.salable) {
    throw new DomainError('NOT_SOLD_TO_CUSTOMER', `${item.sku} is no longer sold.`);
  }
  const allowed = item.restrictedToPriceLists;
  if (allowed !== null && (account.priceListId === null || !allowed.includes(account.priceListId))) {
    throw new DomainError('NOT_SOLD_TO_CUSTOMER', `${item.sku} is not sold to customer ${account.id}.`);
  }
}
