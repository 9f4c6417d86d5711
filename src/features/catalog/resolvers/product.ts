/**
 * Resolvers of products: catalog data, the buyer's price and availability.
 *
 * @module
 */
import { DomainError } from '../../../domain/errors.ts';
import { validQuantity } from '../../../domain/quantity.ts';
import type { Item } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { itemAvailability } from '../../../services/availability.ts';
import { quoteBuyerPrice } from '../../../services/buyer-pricing.ts';
import { after, mapFailure, type MaybePromise } from '../../../services/maybe-promise.ts';
import type { GraphQLContext } from '../../../transport/graphql/context.ts';
import { requireCustomer } from '../../../transport/graphql/guards.ts';
import { loadCustomer } from './customer.ts';

/** Reads a product; a SKU the ERP does not know becomes `PRODUCT_NOT_FOUND`. */
export function loadProduct(context: GraphQLContext, sku: string): MaybePromise<Item> {
  return mapFailure(
    () => after(context.reader.item(sku), (cached) => cached.value),
    (error) =>
      error instanceof ErpError && error.code === 'ERP_NOT_FOUND'
        ? new DomainError('PRODUCT_NOT_FOUND', `No product with SKU ${sku}.`, { cause: error })
        : error,
  );
}

export const Product = {
  price: (item: Item, args: { quantity?: number | null }, context: GraphQLContext) => {
    const quantity = validQuantity(args.quantity, context.services.limits.maxQuantity);
    const customer = loadCustomer(context, requireCustomer(context, 'Prices'));
    return after(customer, (account) => quoteBuyerPrice(context, account, item, quantity));
  },

  availability: (item: Item, args: { quantity?: number | null }, context: GraphQLContext) => {
    const quantity = validQuantity(args.quantity, context.services.limits.maxQuantity);
    const { clock, limits } = context.services;
    return itemAvailability(context.reader, item, quantity, clock, { allowSplit: limits.allowSplitShipments });
  },
};
