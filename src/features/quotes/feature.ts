/**
 * Quotes (RFQ): a buyer requests a quote for a cart; it becomes an ERP quotation exactly once
 * through the ERP-write outbox (`features/outbox`), queued while the ERP is down; sales answer it
 * in the ERP; the buyer accepts it (an order at the quoted prices, through the order pipeline),
 * declines it or asks for a revision, each response recorded in the ERP exactly once.
 *
 * Served where the outbox and orders are, and the connector has quotations; elsewhere its fields
 * answer FORBIDDEN.
 *
 * @module
 */
import type { Feature } from '../feature.ts';
import { QUOTE_CREATE, QUOTE_RESPOND, quoteCreateHandler, quoteRespondHandler } from './quote-handlers.ts';
import type { QuoteDeps } from './quote-service.ts';
import { QuoteMutations, QuoteQueries } from './resolvers.ts';
import { quotesTypeDefs } from './schema.ts';

declare module '../../transport/graphql/context.ts' {
  interface GraphQLServices {
    /** Quotes; absent where nothing is durable or the ERP has no quotations. */
    quotes?: QuoteDeps;
  }
}

export const quotesFeature: Feature = {
  name: 'quotes',
  typeDefs: quotesTypeDefs,
  resolvers: { Query: QuoteQueries, Mutation: QuoteMutations },
  setup({ env, erp, clock, services }) {
    const outbox = services.outbox;
    if (!outbox || !services.orders || !erp.supports('quotes')) return {};
    outbox.register(QUOTE_CREATE, quoteCreateHandler(erp));
    outbox.register(QUOTE_RESPOND, quoteRespondHandler(erp));
    return { services: { quotes: { erp, outbox, clock, limits: { maxLines: env.ORDER_MAX_LINES, maxQuantity: env.MAX_QUANTITY } } } };
  },
};
