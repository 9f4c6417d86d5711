/**
 * Resolvers of a sales rep's home. The page's customers come from the ERP's assignment of the rep
 * (read through the request's reader, cached); each customer's fields read through the same
 * reader, so the page's accounts, open-order summaries and invoice lists are each one batched ERP
 * call (DataLoader: every key asked in one tick), and none once cached. Resolvers call the reader
 * before their first `await`, or the keys would straggle into later batches.
 *
 * @module
 */
import { creditStatus } from '../../domain/credit/credit-status.ts';
import { DomainError } from '../../domain/errors.ts';
import type { SalesRep } from '../../ports/erp-connector.ts';
import { ErpError } from '../../ports/erp-error.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import { decodeCursor, encodeCursor, pageSize } from '../../transport/graphql/cursor.ts';
import { authorize } from '../../transport/graphql/guards.ts';
import { loadCustomer } from '../catalog/resolvers/customer.ts';
import { awaitingApprovalGlance, creditState, openOrdersGlance, overdueGlance, readLocalOrders, type LocalOrders } from './services/customer-glance.ts';

const MAX_PAGE = 50;

interface HomeParent {
  rep: SalesRep;
}

/** A customer of the page; everything else is read by its fields. */
interface RepCustomerParent {
  id: string;
}

/** erpfront's own orders of a customer, read once per request (credit, open orders and approvals share it). */
const localReads = new WeakMap<object, Map<string, Promise<LocalOrders>>>();
function localOrders(context: GraphQLContext, customerId: string): Promise<LocalOrders> | null {
  const orders = context.services.orders;
  if (!orders) return null;
  let reads = localReads.get(context);
  if (!reads) localReads.set(context, (reads = new Map()));
  let read = reads.get(customerId);
  if (!read) reads.set(customerId, (read = readLocalOrders(orders.store, customerId)));
  return read;
}

/** The customer's credit with erpfront's own exposure, once per node (credit and creditState share it). */
const credits = new WeakMap<RepCustomerParent, ReturnType<typeof readCredit>>();
function creditOf(context: GraphQLContext, node: RepCustomerParent) {
  let credit = credits.get(node);
  if (!credit) credits.set(node, (credit = readCredit(context, node.id)));
  return credit;
}

async function readCredit(context: GraphQLContext, customerId: string) {
  const customer = await loadCustomer(context, customerId);
  const orders = context.services.orders;
  // Orders erpfront holds (queued, awaiting approval) or submitted since the figures were read.
  const pending = orders ? await orders.store.pendingExposure(customerId, customer.asOf) : null;
  return { ...creditStatus(customer.credit, customer.currency, pending ? [pending.total] : []), asOf: customer.asOf, stale: customer.stale };
}

export const RepQueries = {
  repHome: async (_: unknown, __: unknown, context: GraphQLContext): Promise<HomeParent> => {
    authorize(context, 'rep.home', { customerId: null });
    const repId = context.principal.repId!;
    try {
      return { rep: (await context.reader.salesRep(repId)).value };
    } catch (error) {
      if (error instanceof ErpError && error.code === 'ERP_NOT_FOUND')
        throw new DomainError('FORBIDDEN', `Sales rep ${repId} does not exist in the ERP: there are no customers to show.`, { cause: error });
      throw error;
    }
  },
};

export const RepHome = {
  salesRep: (home: HomeParent) => ({ id: home.rep.id, name: home.rep.name }),
  customers: (home: HomeParent, args: { first?: number | null; after?: string | null }) => {
    const first = pageSize(args.first, 20, MAX_PAGE);
    const after = decodeCursor('offset', args.after);
    const offset = after === null ? 0 : after + 1;
    const ids = home.rep.customerIds;
    const edges = ids.slice(offset, offset + first).map((id, i) => ({ cursor: encodeCursor('offset', offset + i), node: { id } }));
    return {
      edges,
      totalCount: ids.length,
      pageInfo: {
        hasNextPage: offset + edges.length < ids.length,
        hasPreviousPage: offset > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  },
};

export const RepCustomer = {
  customer: (node: RepCustomerParent, _: unknown, context: GraphQLContext) => loadCustomer(context, node.id),

  credit: (node: RepCustomerParent, _: unknown, context: GraphQLContext) => creditOf(context, node),

  creditState: async (node: RepCustomerParent, _: unknown, context: GraphQLContext) => creditState(await creditOf(context, node)),

  openOrders: async (node: RepCustomerParent, _: unknown, context: GraphQLContext) => {
    const summary = context.reader.openOrders(node.id);
    const [read, local] = await Promise.all([summary, localOrders(context, node.id)]);
    return openOrdersGlance(read, local);
  },

  awaitingApproval: async (node: RepCustomerParent, _: unknown, context: GraphQLContext) => {
    const local = localOrders(context, node.id);
    return local ? awaitingApprovalGlance(await local) : null;
  },

  overdueInvoices: async (node: RepCustomerParent, _: unknown, context: GraphQLContext) => {
    // Both asked before the first await: the page's invoice lists (and accounts) are one batch each.
    const [open, customer] = await Promise.all([context.reader.openInvoices(node.id), loadCustomer(context, node.id)]);
    return overdueGlance(open, customer.currency, context.services.clock.now());
  },
};
