/**
 * Root query resolvers.
 *
 * @module
 */
import { DomainError } from '../../../domain/errors.ts';
import type { Item, ItemSearchPage } from '../../../ports/erp-connector.ts';
import { after, isPromise, type MaybePromise } from '../../../services/maybe-promise.ts';
import type { GraphQLContext } from '../../../transport/graphql/context.ts';
import { decodeCursor, encodeCursor, pageSize } from '../../../transport/graphql/cursor.ts';
import { translated } from '../../../transport/graphql/errors.ts';
import { loadCustomer } from './customer.ts';
import { loadProduct } from './product.ts';

const MAX_PAGE = 100;

export const Query = {
  products: (_: unknown, args: { skus: string[] }, context: GraphQLContext) =>
    translated(() => {
      const max = context.services.limits.maxSkusPerQuery;
      if (args.skus.length > max) {
        throw new DomainError('TOO_MANY_SKUS', `Ask for at most ${max} SKUs at once, got ${args.skus.length}; page through them.`);
      }
      // Each SKU fails alone: an Error in the list is `null` at its index with its own error.
      // (Returned, not rejected: graphql-jit 0.8.7 appends a stray null for a rejected item.)
      const entries = args.skus.map((sku): MaybePromise<Item | unknown> => {
        try {
          const item = loadProduct(context, sku);
          return isPromise(item) ? item.catch((error: unknown) => error) : item;
        } catch (error) {
          return error;
        }
      });
      return entries.some(isPromise) ? Promise.all(entries) : entries;
    }),

  product: (_: unknown, args: { sku: string }, context: GraphQLContext) => loadProduct(context, args.sku),

  searchProducts: (
    _: unknown,
    args: { query?: string | null; category?: string | null; first?: number | null; after?: string | null },
    context: GraphQLContext,
  ) =>
    translated(async () => {
      const first = pageSize(args.first, 20, MAX_PAGE);
      const after = decodeCursor('offset', args.after);
      const offset = after === null ? 0 : after + 1;
      const search = { text: args.query ?? undefined, category: args.category ?? undefined, offset, limit: first };
      const key = JSON.stringify([search.text ?? '', search.category ?? '', offset, first]);
      const { erp, cache } = context.services;
      const [result] = await cache.load<string, ItemSearchPage>(
        'items',
        [`search:${key}`],
        (k) => k,
        async (_, { refresh }) => [await erp.searchItems(search, { priority: refresh ? 'background' : 'read' })],
      );
      if (result instanceof Error) throw result;
      const page = result!.value;
      const edges = page.items.map((item, i) => ({ cursor: encodeCursor('offset', offset + i), node: item }));
      return {
        edges,
        totalCount: page.total,
        pageInfo: {
          hasNextPage: offset + page.items.length < page.total,
          hasPreviousPage: offset > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    }),

  viewer: (_: unknown, __: unknown, context: GraphQLContext) => context.principal,
};

export const Viewer = {
  subject: (principal: GraphQLContext['principal']) => principal.subject,
  roles: (principal: GraphQLContext['principal']) => [...principal.roles].map((r) => r.toUpperCase()),
  customer: (_: unknown, __: unknown, context: GraphQLContext) => (context.customerId === null ? null : loadCustomer(context, context.customerId)),
  assignedCustomers: (principal: GraphQLContext['principal'], _: unknown, context: GraphQLContext) => {
    if (principal.repId === null) return null;
    return translated(() => {
      const rep = context.reader.salesRep(principal.repId!);
      return after(rep, (r) => r.value.customerIds.map((id) => loadCustomer(context, id)));
    });
  },
};
