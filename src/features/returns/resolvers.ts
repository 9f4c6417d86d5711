/**
 * Return request resolvers: request, list, view. Every return is asked about through the access
 * policy; another customer's does not exist, as far as the caller can tell.
 *
 * @module
 */
import { DomainError } from '../../domain/errors.ts';
import type { UserError } from '../../domain/orders/order-input.ts';
import { isTransientErpError } from '../../ports/erp-error.ts';
import type { ErpOrder, ErpReturnLine } from '../../ports/erp-connector.ts';
import type { OutboxEntry } from '../../ports/outbox-store.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import { allows, authorize, requireCustomer } from '../../transport/graphql/guards.ts';
import { outboxId } from '../../services/outbox/outbox-id.ts';
import { outboxEntryConnection } from '../outbox/entry-connection.ts';
import { exceedsShipped, RETURN_CREATE, validateReturnLines, viewReturns, type ReturnDeps, type ReturnPayload, type ReturnView } from './return-service.ts';

function returns(context: GraphQLContext): ReturnDeps {
  const deps = context.services.returns;
  if (!deps) throw new DomainError('FORBIDDEN', 'Returns are not available on this deployment (no durable outbox, or the ERP takes no returns).');
  return deps;
}

async function visibleReturn(context: GraphQLContext, id: string): Promise<OutboxEntry | null> {
  const entry = await returns(context).outbox.store.get(id);
  return entry && entry.kind === RETURN_CREATE && allows(context, 'return.read', { customerId: entry.customerId }) ? entry : null;
}

const view = async (context: GraphQLContext, entry: OutboxEntry): Promise<ReturnView> => (await viewReturns(returns(context), [entry], context.log))[0]!;

const samePayload = (a: ReturnPayload, b: ReturnPayload) =>
  a.orderId === b.orderId &&
  JSON.stringify(a.lines.map((l) => [l.sku, l.quantity, l.reason])) === JSON.stringify(b.lines.map((l) => [l.sku, l.quantity, l.reason]));

const keyReused: UserError = {
  code: 'IDEMPOTENCY_KEY_REUSED',
  message: 'This idempotency key was used for a different return request; use a new key.',
  field: ['idempotencyKey'],
};

export const ReturnQueries = {
  returnRequest: async (_: unknown, args: { id: string }, context: GraphQLContext): Promise<ReturnView | null> => {
    const entry = await visibleReturn(context, args.id);
    return entry ? view(context, entry) : null;
  },

  returnRequests: async (_: unknown, args: { first?: number | null; after?: string | null }, context: GraphQLContext) => {
    const deps = returns(context);
    const customerId = requireCustomer(context, 'Returns');
    authorize(context, 'return.read', { customerId });
    return outboxEntryConnection(deps.outbox.store, RETURN_CREATE, customerId, args, (entries) => viewReturns(deps, entries, context.log));
  },
};

export const ReturnMutations = {
  requestReturn: async (_: unknown, args: { input: { orderId: string; lines: ErpReturnLine[]; idempotencyKey?: string | null } }, context: GraphQLContext) => {
    authorize(context, 'return.request', { customerId: null });
    const deps = returns(context);
    const orders = context.services.orders;
    if (!orders) throw new DomainError('FORBIDDEN', 'Orders are not available on this deployment.');
    const customerId = requireCustomer(context, 'Returns');
    authorize(context, 'return.request', { customerId });
    const payload: ReturnPayload = {
      orderId: args.input.orderId,
      lines: args.input.lines.map((l) => ({ sku: l.sku.trim(), quantity: l.quantity, reason: l.reason.trim() })),
    };
    const key = args.input.idempotencyKey?.trim() || context.idempotencyKey?.trim() || null;
    const id = await outboxId('rt', customerId, key);
    // A retry: the request as it was taken (what it returns is counted as returned by now).
    const existing = await deps.outbox.store.get(id);
    if (existing) {
      if (existing.kind !== RETURN_CREATE || !samePayload(existing.payload as ReturnPayload, payload)) return { returnRequest: null, userErrors: [keyReused] };
      return { returnRequest: await view(context, existing), userErrors: [] };
    }

    const order = await orders.store.get(payload.orderId);
    if (!order || !allows(context, 'order.read', { customerId: order.customerId }) || order.customerId !== customerId)
      return { returnRequest: null, userErrors: [{ code: 'ORDER_NOT_FOUND', message: `No order ${payload.orderId}.`, field: ['orderId'] }] };
    if (order.status !== 'SUBMITTED')
      return {
        returnRequest: null,
        userErrors: [{ code: 'ORDER_NOT_SHIPPED', message: `Order ${payload.orderId} is ${order.status}: nothing of it has shipped.`, field: ['orderId'] }],
      };
    const lineErrors = validateReturnLines(payload.lines, { skus: new Set(order.request.lines.map((l) => l.sku)) }, deps);
    if (lineErrors.length) return { returnRequest: null, userErrors: lineErrors };

    // What shipped, as the ERP has it now; while it does not answer the ERP checks it on entry.
    let inErp: ErpOrder | null = null;
    try {
      inErp = await deps.erp.findOrderByExternalRef(order.id, { priority: 'order', log: context.log });
    } catch (error) {
      if (!isTransientErpError(error)) throw error;
    }
    if (inErp) {
      const mine = await deps.outbox.store.listByCustomer(RETURN_CREATE, customerId, { limit: 100 });
      const others = await viewReturns(
        deps,
        mine.entries.filter((e) => (e.payload as ReturnPayload).orderId === order.id),
        context.log,
      );
      const exceeded = exceedsShipped(payload.lines, inErp, others);
      if (exceeded.length) return { returnRequest: null, userErrors: exceeded };
    }

    const { entry, created } = await deps.outbox.store.enqueue(
      { kind: RETURN_CREATE, customerId, payload },
      { id, createdBy: context.principal.subject, now: deps.clock.now() },
    );
    if (!created && !samePayload(entry.payload as ReturnPayload, payload)) return { returnRequest: null, userErrors: [keyReused] };
    if (created) {
      deps.outbox.wake();
      context.log.info('return requested', { returnId: id, orderId: order.id, customerId, lines: payload.lines.length, by: context.principal.subject });
    }
    return { returnRequest: await view(context, entry), userErrors: [] };
  },
};
