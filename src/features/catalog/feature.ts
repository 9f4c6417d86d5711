/**
 * Catalog and pricing: products with the buyer's own price and available-to-promise stock,
 * search, the viewer and the customer account with its credit. Reads only; everything it needs
 * (the ERP reader, the cache, the limits) comes with each request's context.
 *
 * @module
 */
import type { Feature } from '../feature.ts';
import { Customer } from './resolvers/customer.ts';
import { Product } from './resolvers/product.ts';
import { Query, Viewer } from './resolvers/query.ts';
import { catalogTypeDefs } from './schema.ts';

export const catalogFeature: Feature = {
  name: 'catalog',
  typeDefs: catalogTypeDefs,
  resolvers: { Query, Viewer, Customer, Product },
  setup: () => ({}),
};
