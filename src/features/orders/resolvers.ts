/**
 * Order resolvers: place, view, cancel; and for operations, the queue, replay and release.
 *
 * @module
 */
import { DomainError } from '../../domain/errors.ts';
import type { OrderInput, UserError } from '../../domain/orders/order-input.ts';
import type { ErpOrder } from '../../ports/erp-connector.ts';
import { isTransientErpError } from '../../ports/erp-error.ts';
import type { LocalOrderStatus, StoredOrder } from '../../ports/order-store.ts';
import { ORDER_ACTIONS, type OrderActionKind } from './services/order-actions.ts';
import { placeOrder } from './services/place-order.ts';
import { buyerIdempotencyKey } from './services/order-identity.ts';
import { fromErp, fromStored, viewOrder, type OrderView } from './services/order-view.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import { decodeCursor, encodeCursor, pageSize } from '../../transport/graphql/cursor.ts';
import { ORDER_RETRY_MESSAGE, rejectionMessage, safeReason } from '../../transport/graphql/errors.ts';
import { allows, authorize, requireCustomer } from '../../transport/graphql/guards.ts';
import type { Action } from '../../domain/access/policy.ts';

function orders(context: GraphQLContext) {
  const deps = context.services.orders;
  if (!deps) throw new DomainError('FORBIDDEN', 'Orders are not available on this deployment.');
  return deps;
}

/** An order the policy lets the caller `action` (see, or act on); `null` for any other. */
async function visibleOrder(context: GraphQLContext, id: string, action: Action = 'order.read'): Promise<StoredOrder | null> {
  const stored = await orders(context).store.get(id);
  if (!stored) return null;
  if (allows(context, action, { customerId: stored.customerId })) return stored;
  return null; // another customer's order does not exist, as far as this caller can tell
}

async function act(context: GraphQLContext, kind: OrderActionKind, id: string) {
  const { action } = ORDER_ACTIONS[kind];
  // Asked in general first, so a caller refused the action is told so whatever the id.
  authorize(context, action, { customerId: null });
  const actions = context.services.orderActions;
  if (!actions) throw new DomainError('FORBIDDEN', 'Orders are not available on this deployment.');
  const outcome = await actions.run(
    kind,
    id,
    { subject: context.principal.subject, mayActOn: (customerId) => allows(context, action, { customerId }) },
    context.log,
  );
  if (outcome.ok) return { order: fromStored(outcome.order), userErrors: [] };
  const userErrors: UserError[] = [{ code: outcome.code, message: outcome.message, field: ['id'] }];
  return { order: outcome.code === 'INVALID_ORDER_STATE' ? fromStored(outcome.order) : null, userErrors };
}

/**
 * What clients see of an order's failures: the reason code and erpfront's sentence. The ERP's own
 * words (its URL, its login, its record ids) stay in the order store; operations, who fix the
 * cause and replay, see them.
 */
export const Order = {
  lastError: (order: OrderView, _: unknown, context: GraphQLContext): string | null =>
    order.lastError === null ? null : allows(context, 'order.erpText.read', { customerId: order.customerId }) ? order.lastError : ORDER_RETRY_MESSAGE,
  rejection: (order: OrderView, _: unknown, context: GraphQLContext): OrderView['rejection'] => {
    if (!order.rejection || allows(context, 'order.erpText.read', { customerId: order.customerId })) return order.rejection;
    const reason = safeReason(order.rejection.reason);
    return { reason, message: rejectionMessage(reason) };
  },
};

export const OrderQueries = {
  order: async (_: unknown, args: { id: string }, context: GraphQLContext): Promise<OrderView | null> => {
    const deps = orders(context);
    const stored = await visibleOrder(context, args.id);
    if (stored) return viewOrder(stored, deps.erp);
    // Not placed through erpfront: the ERP may know it by its own number or reference.
    const customerId = requireCustomer(context, 'Orders');
    // No order has an empty reference, and the ERP port refuses to look one up.
    if (args.id === '') return null;
    const inErp = await deps.erp.findOrderByExternalRef(args.id, { priority: 'status' });
    return inErp && inErp.customerId === customerId ? fromErp(inErp) : null;
  },

  orders: async (_: unknown, args: { first?: number | null; after?: string | null }, context: GraphQLContext) => {
    const deps = orders(context);
    const customerId = requireCustomer(context, 'Orders');
    const first = pageSize(args.first, 20, 100);
    const offset = decodeCursor('erp', args.after) ?? 0;
    // Orders not in the ERP yet lead the first page; the ERP's own list follows, paged by the ERP.
    const notInErp =
      offset === 0
        ? await deps.store.listByCustomer(customerId, { statuses: ['PENDING_APPROVAL', 'QUEUED', 'ON_HOLD', 'REJECTED', 'APPROVAL_REJECTED'], limit: 100 })
        : [];
    const known = new Map((await deps.store.listByCustomer(customerId, { statuses: ['SUBMITTED'], limit: 500 })).map((o) => [o.id, o]));
    let page: { orders: ErpOrder[]; total: number };
    let fromErpList = true;
    try {
      page = await deps.erp.listOrders(customerId, { offset, limit: first }, { priority: 'status' });
    } catch (error) {
      if (!isTransientErpError(error)) throw error;
      // The ERP is not answering: what erpfront itself submitted still shows, marked stale.
      fromErpList = false;
      page = { orders: [], total: 0 };
    }
    // An order the ERP took a moment ago may be listed by the ERP before erpfront has marked it
    // submitted (or while a lost reply is being resolved): it shows once, as the ERP holds it.
    const listedByErp = new Set(fromErpList ? page.orders.map((o) => o.externalRef) : []);
    const waiting = notInErp.filter((o) => !listedByErp.has(o.id));
    for (const o of notInErp) if (listedByErp.has(o.id)) known.set(o.id, o);
    const nodes: OrderView[] = [
      ...waiting.map(fromStored),
      ...(fromErpList
        ? page.orders.map((o) => {
            const local = o.externalRef ? known.get(o.externalRef) : undefined;
            return local
              ? { ...fromStored(local), ...fromErp(o), placedBy: local.placedBy, onBehalf: local.onBehalf ?? null, creditDecision: local.creditDecision }
              : fromErp(o);
          })
        : offset === 0
          ? [...known.values()].slice(0, first).map((o) => ({ ...fromStored(o), stale: true }))
          : []),
    ];
    const next = offset + page.orders.length;
    return {
      edges: nodes.map((node, i) => ({ cursor: encodeCursor('erp', offset + Math.max(0, i - waiting.length)), node })),
      pageInfo: { hasNextPage: next < page.total, hasPreviousPage: offset > 0, startCursor: null, endCursor: encodeCursor('erp', next) },
    };
  },

  orderQueue: async (_: unknown, args: { statuses?: LocalOrderStatus[] | null; first?: number | null }, context: GraphQLContext) => {
    authorize(context, 'orderQueue.read', { customerId: null });
    const statuses = args.statuses?.length ? args.statuses : (['QUEUED', 'ON_HOLD', 'REJECTED'] as LocalOrderStatus[]);
    return (await orders(context).store.listByStatus(statuses, { limit: pageSize(args.first, 100, 1000) })).map(fromStored);
  },
};

export const OrderMutations = {
  placeOrder: async (_: unknown, args: { input: OrderInput }, context: GraphQLContext) => {
    authorize(context, 'order.place', { customerId: null });
    const deps = orders(context);
    const customerId = requireCustomer(context, 'Orders');
    authorize(context, 'order.place', { customerId });
    // The buyers' namespace: a buyer's key can never take or block a PunchOut order's.
    const input = { ...args.input, idempotencyKey: buyerIdempotencyKey(args.input.idempotencyKey ?? context.idempotencyKey) };
    // The request's scope: placeOrder reads at order priority, for the customer it acts for.
    const result = await placeOrder(deps, context, input);
    return {
      order: result.order ? fromStored(result.order) : null,
      userErrors: result.userErrors,
      creditDecision: result.creditDecision,
      pricesAsOf: result.pricing?.asOf ?? null,
      pricesStale: result.pricing?.stale ?? null,
    };
  },

  cancelOrder: (_: unknown, args: { id: string }, context: GraphQLContext) => act(context, 'cancel', args.id),

  replayOrder: (_: unknown, args: { id: string }, context: GraphQLContext) => act(context, 'replay', args.id),

  releaseOrder: (_: unknown, args: { id: string }, context: GraphQLContext) => act(context, 'release', args.id),
};
