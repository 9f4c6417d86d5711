/**
 * Checkout resolvers: the preview and reorder. All are reads: the access policy's
 * `checkout.preview`, and for reorder `order.read` of the past order, or `quote.read` of the past
 * quote (another customer's order or quote is not found, exactly as an unknown id).
 *
 * @module
 */
import { DomainError } from '../../domain/errors.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import { allows, authorize, requireCustomer } from '../../transport/graphql/guards.ts';
import { previewCheckout, type CheckoutInput, type PreviewDeps } from './services/checkout-preview.ts';
import { reorder, type PastOrder } from './services/reorder.ts';
import { quoteEntry, viewQuotes } from '../quotes/quote-service.ts';

function previewDeps(context: GraphQLContext): PreviewDeps {
  const orders = context.services.orders;
  if (!orders) throw new DomainError('FORBIDDEN', 'Checkout is not available on this deployment.');
  return { ...orders, allowSplitShipments: context.services.limits.allowSplitShipments };
}

/** The past order `id` of the request's customer: erpfront's, or the ERP's by number or reference. */
async function pastOrder(context: GraphQLContext, deps: PreviewDeps, id: string, customerId: string): Promise<PastOrder | null> {
  const stored = await deps.store.get(id);
  if (stored) {
    if (!allows(context, 'order.read', { customerId: stored.customerId }) || stored.customerId !== customerId) return null;
    return { customerId: stored.customerId, shipToId: stored.request.shipToId, lines: stored.request.lines };
  }
  if (id === '') return null;
  const inErp = await deps.erp.findOrderByExternalRef(id, { priority: 'status' });
  if (!inErp || inErp.customerId !== customerId) return null;
  return { customerId, shipToId: null, lines: inErp.lines };
}

/**
 * The past quote `id` of the request's customer, with its lines as the ERP quoted them (as
 * requested while the ERP has not answered, or does not answer now).
 */
async function pastQuote(context: GraphQLContext, id: string, customerId: string): Promise<PastOrder | null> {
  const quotes = context.services.quotes;
  if (!quotes) throw new DomainError('FORBIDDEN', 'Quotes are not available on this deployment (no durable outbox, or the ERP has no quotations).');
  const entry = await quoteEntry(quotes, id);
  if (!entry || !allows(context, 'quote.read', { customerId: entry.customerId }) || entry.customerId !== customerId) return null;
  const [quote] = await viewQuotes(quotes, [entry], context.log);
  return { customerId, shipToId: null, lines: quote!.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), kind: 'quote' };
}

/** Who may preview for the customer at all, and for whom: the request's customer. */
function previewer(context: GraphQLContext): { deps: PreviewDeps; customerId: string } {
  authorize(context, 'checkout.preview', { customerId: null });
  const deps = previewDeps(context);
  const customerId = requireCustomer(context, 'Checkout');
  authorize(context, 'checkout.preview', { customerId });
  return { deps, customerId };
}

export const CheckoutQueries = {
  checkoutPreview: async (_: unknown, args: { input: CheckoutInput }, context: GraphQLContext) => {
    authorize(context, 'checkout.preview', { customerId: null });
    const deps = previewDeps(context);
    const customerId = requireCustomer(context, 'Checkout');
    authorize(context, 'checkout.preview', { customerId });
    return previewCheckout(deps, context, args.input);
  },

  reorder: async (_: unknown, args: { orderId: string }, context: GraphQLContext) => {
    const { deps, customerId } = previewer(context);
    const past = await pastOrder(context, deps, args.orderId, customerId);
    if (!past) {
      return { preview: null, unavailableLines: [], userErrors: [{ code: 'ORDER_NOT_FOUND', message: `No order ${args.orderId}.`, field: ['orderId'] }] };
    }
    return reorder(deps, context, past);
  },

  reorderQuote: async (_: unknown, args: { quoteId: string }, context: GraphQLContext) => {
    const { deps, customerId } = previewer(context);
    const past = await pastQuote(context, args.quoteId, customerId);
    if (!past) {
      return { preview: null, unavailableLines: [], userErrors: [{ code: 'QUOTE_NOT_FOUND', message: `No quote ${args.quoteId}.`, field: ['quoteId'] }] };
    }
    return reorder(deps, context, past);
  },
};
