/**
 * Checkout: the preview of an order before it is placed (the ERP's tax and shipping, credit,
 * approval, the order's user errors), and reorder of a past order. Built on the orders
 * pipeline's services (and the company's approval gate when set up); served where orders are.
 *
 * @module
 */
import type { Feature } from '../feature.ts';
import { CheckoutQueries } from './resolvers.ts';
import { checkoutTypeDefs } from './schema.ts';

export const checkoutFeature: Feature = {
  name: 'checkout',
  typeDefs: checkoutTypeDefs,
  resolvers: { Query: CheckoutQueries },
  setup: () => ({}),
};
