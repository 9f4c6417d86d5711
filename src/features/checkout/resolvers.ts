/**
 * Checkout resolvers: the preview and reorder. Both are reads: the access policy's
 * `checkout.preview`, and for reorder `order.read` of the past order (another customer's order
 * is not found).
 *
 * @module
 */
import { DomainError } from '../../domain/errors.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import { allows, authorize, requireCustomer } from '../../transport/graphql/guards.ts';
import { previewCheckout, type CheckoutInput, type PreviewDeps } from './services/checkout-preview.ts';
import { reorder, type PastOrder } from './services/reorder.ts';

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

export const CheckoutQueries = {
  checkoutPreview: async (_: unknown, args: { input: CheckoutInput }, context: GraphQLContext) => {
    authorize(context, 'checkout.preview', { customerId: null });
    const deps = previewDeps(context);
    const customerId = requireCustomer(context, 'Checkout');
    authorize(context, 'checkout.preview', { customerId });
    return previewCheckout(deps, context, args.input);
  },

  reorder: async (_: unknown, args: { orderId: string }, context: GraphQLContext) => {
    authorize(context, 'checkout.preview', { customerId: null });
    const deps = previewDeps(context);
    const customerId = requireCustomer(context, 'Checkout');
    authorize(context, 'checkout.preview', { customerId });
    const past = await pastOrder(context, deps, args.orderId, customerId);
    if (!past) {
      return { preview: null, unavailableLines: [], userErrors: [{ code: 'ORDER_NOT_FOUND', message: `No order ${args.orderId}.`, field: ['orderId'] }] };
    }
    return reorder(deps, context, past);
  },
};
