/**
 * The ERP-write outbox: one dispatcher that sends every write the features after it register a
 * handler for (quotes and their responses, returns) exactly once, retried while the ERP is down
 * (`services/outbox/outbox-dispatcher.ts`). Served where the backends keep the outbox durably.
 *
 * @module
 */
import { OutboxDispatcher } from '../../services/outbox/outbox-dispatcher.ts';
import type { Feature } from '../feature.ts';

declare module '../../transport/graphql/context.ts' {
  interface GraphQLServices {
    /** The ERP-write outbox and its dispatcher; absent where nothing is durable. */
    outbox?: OutboxDispatcher;
  }
}

export const outboxFeature: Feature = {
  name: 'outbox',
  setup({ env, backends, clock, logger, instanceId }) {
    const store = backends.outbox;
    if (!store) return {};
    const outbox = new OutboxDispatcher({
      store,
      clock,
      logger: logger.child({ job: 'erp-outbox' }),
      owner: instanceId,
      leaseMs: env.ORDER_LEASE_SECONDS * 1000,
      maxRequestMs: env.ERP_MAX_REQUEST_SECONDS * 1000,
    });
    return { services: { outbox }, jobs: [outbox.job()] };
  },
};
