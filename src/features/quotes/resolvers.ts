/**
 * Quote resolvers: request, list, view, accept (an order at the quoted prices), decline, revise.
 * Every quote is asked about through the access policy; another customer's quote does not exist,
 * as far as the caller can tell.
 *
 * @module
 */
import { DomainError } from '../../domain/errors.ts';
import type { UserError } from '../../domain/orders/order-input.ts';
import type { OutboxEntry } from '../../ports/outbox-store.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import { allows, authorize, requireCustomer } from '../../transport/graphql/guards.ts';
import { fromStored } from '../orders/services/order-view.ts';
import { outboxEntryConnection } from '../outbox/entry-connection.ts';
import { quoteIdempotencyKey } from '../orders/services/order-identity.ts';
import { placeOrder } from '../orders/services/place-order.ts';
import { QUOTE_CREATE, QUOTE_RESPOND, type QuoteCreatePayload, type QuoteRespondPayload } from './quote-handlers.ts';
import { effectiveStatus, quoteEntry, quoteId, responseId, utcToday, validateQuoteInput, viewQuotes, type QuoteDeps, type QuoteView } from './quote-service.ts';

function quotes(context: GraphQLContext): QuoteDeps {
  const deps = context.services.quotes;
  if (!deps) throw new DomainError('FORBIDDEN', 'Quotes are not available on this deployment (no durable outbox, or the ERP has no quotations).');
  return deps;
}

/** The quote if the caller may see it; `null` for an unknown id or another customer's. */
async function visibleQuote(context: GraphQLContext, id: string): Promise<OutboxEntry | null> {
  const entry = await quoteEntry(quotes(context), id);
  return entry && allows(context, 'quote.read', { customerId: entry.customerId }) ? entry : null;
}

const notFound = (id: string): UserError => ({ code: 'QUOTE_NOT_FOUND', message: `No quote ${id}.`, field: ['id'] });
const erpDown: UserError = {
  code: 'ERP_UNAVAILABLE',
  message: 'The ERP is not answering, and this needs the quote as it stands there; retry shortly.',
  field: [],
};

async function view(context: GraphQLContext, entry: OutboxEntry): Promise<QuoteView> {
  return (await viewQuotes(quotes(context), [entry], context.log))[0]!;
}

/** Canonical JSON of a payload (keys sorted): "the same request" under one idempotency key. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );

/** Records a buyer's response in the outbox (once per id) and wakes the dispatcher. */
async function respond(context: GraphQLContext, id: string, payload: QuoteRespondPayload): Promise<void> {
  const deps = quotes(context);
  const { created } = await deps.outbox.store.enqueue(
    { kind: QUOTE_RESPOND, customerId: context.customerId, payload },
    { id, createdBy: context.principal.subject, now: deps.clock.now() },
  );
  if (created) deps.outbox.wake();
}

/** The quote for a response: visible, in the ERP, and as the ERP has it now (a quote `view` with `erp`). */
async function openForResponse(context: GraphQLContext, id: string): Promise<{ quote: QuoteView } | { userErrors: UserError[]; quote: QuoteView | null }> {
  authorize(context, 'quote.respond', { customerId: null });
  const entry = await visibleQuote(context, id);
  if (!entry) return { quote: null, userErrors: [notFound(id)] };
  authorize(context, 'quote.respond', { customerId: entry.customerId });
  const quote = await view(context, entry);
  if (quote.stale) return { quote, userErrors: [erpDown] };
  if (!quote.erp)
    return { quote, userErrors: [{ code: 'QUOTE_NOT_QUOTED', message: `Quote ${id} is ${quote.status}: sales have not answered it yet.`, field: ['id'] }] };
  return { quote };
}

export const QuoteQueries = {
  quote: async (_: unknown, args: { id: string }, context: GraphQLContext): Promise<QuoteView | null> => {
    const entry = await visibleQuote(context, args.id);
    return entry ? view(context, entry) : null;
  },

  quotes: async (_: unknown, args: { first?: number | null; after?: string | null }, context: GraphQLContext) => {
    const deps = quotes(context);
    const customerId = requireCustomer(context, 'Quotes');
    authorize(context, 'quote.read', { customerId });
    // One ERP call for the whole page.
    return outboxEntryConnection(deps.outbox.store, QUOTE_CREATE, customerId, args, (entries) => viewQuotes(deps, entries, context.log));
  },
};

export const QuoteMutations = {
  requestQuote: async (
    _: unknown,
    args: { input: { lines: Array<{ sku: string; quantity: number }>; note?: string | null; idempotencyKey?: string | null } },
    context: GraphQLContext,
  ) => {
    authorize(context, 'quote.request', { customerId: null });
    const deps = quotes(context);
    const customerId = requireCustomer(context, 'Quotes');
    authorize(context, 'quote.request', { customerId });
    const userErrors = validateQuoteInput(args.input, deps.limits);
    if (userErrors.length) return { quote: null, userErrors };
    const payload: QuoteCreatePayload = {
      note: args.input.note?.trim() || null,
      lines: args.input.lines.map((l) => ({ sku: l.sku.trim(), quantity: l.quantity })),
    };
    const key = args.input.idempotencyKey?.trim() || context.idempotencyKey?.trim() || null;
    const id = await quoteId(customerId, key);
    const { entry, created } = await deps.outbox.store.enqueue(
      { kind: QUOTE_CREATE, customerId, payload },
      { id, createdBy: context.principal.subject, now: deps.clock.now() },
    );
    if (!created && canonical(entry.payload) !== canonical(payload)) {
      return {
        quote: null,
        userErrors: [
          { code: 'IDEMPOTENCY_KEY_REUSED', message: 'This idempotency key was used for a different quote request; use a new key.', field: ['idempotencyKey'] },
        ],
      };
    }
    if (created) {
      deps.outbox.wake();
      context.log.info('quote requested', { quoteId: id, customerId, lines: payload.lines.length, by: context.principal.subject });
    }
    return { quote: await view(context, entry), userErrors: [] };
  },

  acceptQuote: async (_: unknown, args: { id: string; idempotencyKey: string; poNumber?: string | null }, context: GraphQLContext) => {
    authorize(context, 'order.place', { customerId: null });
    const orders = context.services.orders;
    if (!orders) throw new DomainError('FORBIDDEN', 'Orders are not available on this deployment.');
    const deps = quotes(context);
    // Accepted already (a retry, or a second click): the same order, whatever the ERP says now.
    const accepted = await deps.outbox.store.get(responseId(args.id, 'accept'));
    if (accepted && (await visibleQuote(context, args.id))) {
      const order = await orders.store.get((accepted.payload as QuoteRespondPayload).orderRef!);
      const entry = (await visibleQuote(context, args.id))!;
      return { order: order ? fromStored(order) : null, quote: await view(context, entry), userErrors: [] };
    }
    const open = await openForResponse(context, args.id);
    if ('userErrors' in open) return { order: null, ...open };
    const { quote } = open;
    const erpQuote = quote.erp!;
    const status = effectiveStatus(erpQuote, utcToday(deps.clock.now()));
    if (status === 'EXPIRED')
      return {
        order: null,
        quote,
        userErrors: [{ code: 'QUOTE_EXPIRED', message: `Quote ${args.id} was valid until ${erpQuote.validUntil}; request a new one.`, field: ['id'] }],
      };
    if (status !== 'QUOTED')
      return {
        order: null,
        quote,
        userErrors: [{ code: 'QUOTE_NOT_OPEN', message: `Quote ${args.id} is ${quote.status}; only a QUOTED quote can be accepted.`, field: ['id'] }],
      };
    const lockedPrices = new Map(erpQuote.lines.map((l) => [l.sku, l.unitPrice!]));
    // One order per quote: the key is the quote's, in a namespace no buyer key can reach (see order-identity.ts).
    const input = {
      idempotencyKey: quoteIdempotencyKey(args.id),
      poNumber: args.poNumber ?? null,
      lines: erpQuote.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      notes: `Quote ${erpQuote.number}`,
    };
    const result = await placeOrder(orders, context, input, { lockedPrices });
    if (!result.order) {
      const userErrors = result.userErrors.map((e) =>
        e.code === 'IDEMPOTENCY_KEY_REUSED'
          ? { code: 'QUOTE_ALREADY_ACCEPTED', message: `Quote ${args.id} has been ordered already with another purchase-order number.`, field: ['id'] }
          : e,
      );
      return { order: null, quote, userErrors };
    }
    await respond(context, responseId(args.id, 'accept'), {
      quoteId: args.id,
      quoteNumber: erpQuote.number,
      action: 'ACCEPT',
      note: null,
      orderRef: result.order.id,
    });
    context.log.info('quote accepted', { quoteId: args.id, orderId: result.order.id, status: result.order.status, by: context.principal.subject });
    return { order: fromStored(result.order), quote: { ...quote, status: 'ACCEPTED', orderId: result.order.id }, userErrors: [] };
  },

  declineQuote: async (_: unknown, args: { id: string }, context: GraphQLContext) => {
    const open = await openForResponse(context, args.id);
    if ('userErrors' in open) return open;
    const { quote } = open;
    if (quote.status !== 'REQUESTED' && quote.status !== 'QUOTED' && quote.status !== 'DECLINED')
      return { quote, userErrors: [{ code: 'QUOTE_NOT_OPEN', message: `Quote ${args.id} is ${quote.status}; it can no longer be declined.`, field: ['id'] }] };
    await respond(context, responseId(args.id, 'decline'), { quoteId: args.id, quoteNumber: quote.erp!.number, action: 'DECLINE', note: null, orderRef: null });
    return { quote: { ...quote, status: 'DECLINED' }, userErrors: [] };
  },

  requestQuoteRevision: async (_: unknown, args: { id: string; note: string }, context: GraphQLContext) => {
    const note = args.note.trim();
    if (note === '' || note.length > 1000)
      return { quote: null, userErrors: [{ code: 'INVALID_NOTE', message: 'Say what should change, in at most 1000 characters.', field: ['note'] }] };
    const open = await openForResponse(context, args.id);
    if ('userErrors' in open) return open;
    const { quote } = open;
    if (quote.status !== 'QUOTED')
      return {
        quote,
        userErrors: [{ code: 'QUOTE_NOT_OPEN', message: `Quote ${args.id} is ${quote.status}; only a QUOTED quote can be revised.`, field: ['id'] }],
      };
    // Numbered by the responses the ERP holds: a retry before the ERP has it is the same revision.
    const id = responseId(args.id, `revise-${quote.erp!.responses.length}`);
    await respond(context, id, { quoteId: args.id, quoteNumber: quote.erp!.number, action: 'REVISE', note, orderRef: null });
    return { quote, userErrors: [] };
  },
};
