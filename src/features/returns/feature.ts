/**
 * Returns (RMA): a buyer asks to return lines of a shipped order (at most shipped less returned,
 * with a configured reason); the request reaches the ERP exactly once through the ERP-write
 * outbox (`features/outbox`), queued while the ERP is down, and moves on in the ERP (authorized,
 * received, credited with a credit memo, or rejected, cancelled).
 *
 * Served where the outbox and orders are, and the connector takes returns; elsewhere its fields
 * answer FORBIDDEN.
 *
 * @module
 */
import type { Feature } from '../feature.ts';
import { ReturnMutations, ReturnQueries } from './resolvers.ts';
import { RETURN_CREATE, returnCreateHandler, type ReturnDeps } from './return-service.ts';
import { returnsTypeDefs } from './schema.ts';

declare module '../../transport/graphql/context.ts' {
  interface GraphQLServices {
    /** Returns; absent where nothing is durable or the ERP takes no returns. */
    returns?: ReturnDeps;
  }
}

export const returnsFeature: Feature = {
  name: 'returns',
  typeDefs: returnsTypeDefs,
  resolvers: { Query: ReturnQueries, Mutation: ReturnMutations },
  setup({ env, erp, clock, services }) {
    const outbox = services.outbox;
    if (!outbox || !services.orders || !erp.supports('returns')) return {};
    outbox.register(RETURN_CREATE, returnCreateHandler(erp));
    return { services: { returns: { erp, outbox, clock, reasons: env.RETURN_REASONS, maxLines: env.ORDER_MAX_LINES } } };
  },
};
