/**
 * Invoice resolvers: the customer's invoices (filtered, paged) and account statement, both from
 * one read of the customer's invoices through the request's ERP reader (batched, cached).
 *
 * @module
 */
import { accountStatement, daysPastDue, utcToday } from '../../domain/invoices/aging.ts';
import { money, type Money } from '../../domain/money.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ErpInvoice } from '../../ports/erp-connector.ts';
import { ErpError } from '../../ports/erp-error.ts';
import type { Cached } from '../../services/read-through-cache.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import { decodeCursor, encodeCursor, pageSize } from '../../transport/graphql/cursor.ts';
import { authorize, requireCustomer } from '../../transport/graphql/guards.ts';
import { loadCustomer } from '../catalog/resolvers/customer.ts';
import { invoiceView, matches, type InvoiceFilter, type InvoiceView } from './services/invoice-page.ts';

/** The acting customer's invoices as the ERP has them, once per request whatever asks. */
async function customerInvoices(context: GraphQLContext): Promise<{ customerId: string; cached: Cached<ErpInvoice[]> }> {
  const customerId = requireCustomer(context, 'Invoices');
  authorize(context, 'invoice.read', { customerId });
  try {
    return { customerId, cached: await context.reader.invoices(customerId) };
  } catch (error) {
    if (error instanceof ErpError && error.code === 'ERP_NOT_FOUND') {
      throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} does not exist in the ERP.`, { cause: error });
    }
    throw error;
  }
}

export const InvoiceQueries = {
  invoices: async (_: unknown, args: { first?: number | null; after?: string | null; filter?: InvoiceFilter | null }, context: GraphQLContext) => {
    const first = pageSize(args.first, 20, 100);
    // A cursor is the position of its invoice in the filtered list: the page starts after it.
    const after = decodeCursor('invoice', args.after);
    const offset = after === null ? 0 : after + 1;
    const { cached } = await customerInvoices(context);
    const today = utcToday(context.services.clock.now());
    const all = cached.value.map((invoice) => invoiceView(invoice, today)).filter((view) => matches(view, args.filter));
    const edges = all.slice(offset, offset + first).map((node, i) => ({ cursor: encodeCursor('invoice', offset + i), node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: offset + edges.length < all.length,
        hasPreviousPage: offset > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount: all.length,
      asOf: cached.asOf,
      stale: cached.stale,
    };
  },

  accountStatement: async (_: unknown, __: unknown, context: GraphQLContext) => {
    const { customerId, cached } = await customerInvoices(context);
    const account = await loadCustomer(context, customerId);
    const today = utcToday(context.services.clock.now());
    // Amounts in another currency than the account's are not added to it (no silent conversion).
    const own = cached.value.filter((invoice) => invoice.currency === account.currency);
    return { ...accountStatement(own, account.currency, today), asOf: cached.asOf, stale: cached.stale };
  },
};

/** An invoice as an order carries it (`Order.invoices`): what the list adds is derived here. */
interface OrderInvoice {
  number: string;
  issuedAt: string;
  dueDate: string;
  total: Money;
  paid: boolean;
}

type InvoiceParent = InvoiceView | OrderInvoice;

const listed = (invoice: InvoiceParent): invoice is InvoiceView => 'status' in invoice;
const pastDue = (invoice: InvoiceParent, context: GraphQLContext) => daysPastDue(invoice.dueDate, utcToday(context.services.clock.now()));

export const Invoice = {
  status: (invoice: InvoiceParent, _: unknown, context: GraphQLContext) =>
    listed(invoice) ? invoice.status : invoice.paid ? 'PAID' : pastDue(invoice, context) > 0 ? 'OVERDUE' : 'OPEN',
  openAmount: (invoice: InvoiceParent) => (listed(invoice) ? invoice.openAmount : invoice.paid ? money('0', invoice.total.currency) : invoice.total),
  overdue: (invoice: InvoiceParent, _: unknown, context: GraphQLContext) =>
    listed(invoice) ? invoice.overdue : !invoice.paid && pastDue(invoice, context) > 0,
  daysPastDue: (invoice: InvoiceParent, _: unknown, context: GraphQLContext) => (listed(invoice) ? invoice.daysPastDue : pastDue(invoice, context)),
  orderId: (invoice: InvoiceParent) => (listed(invoice) ? invoice.orderId : null),
  erpOrderNumber: (invoice: InvoiceParent) => (listed(invoice) ? invoice.erpOrderNumber : null),
  documentUrl: (invoice: InvoiceParent) => (listed(invoice) ? invoice.documentUrl : null),
};
