/**
 * PunchOut: procurement systems (cXML, SAP OCI) open a session in erpfront's storefront, return a
 * cart priced with the buyer's own prices, and send the approved order back; erpfront then sends
 * order confirmations and ship notices. Everything PunchOut is in this folder: the buyer
 * directory, sessions, the HTTP routes, the GraphQL fields of a session, the notice job.
 *
 * @module
 */
import type { Job } from '../../ports/scheduler.ts';
import type { Feature } from '../feature.ts';
import { cxmlNoticeChannel } from './cxml/notice-channel.ts';
import { punchOutRoutes } from './http/routes.ts';
import { PunchOutMutations, PunchOutQueries } from './resolvers.ts';
import { punchOutTypeDefs } from './schema.ts';
import { BuyerDirectory } from './services/buyer-directory.ts';
import { OrderNotifier } from './services/order-notifier.ts';
import { PunchOutService } from './services/punchout-service.ts';
import { withPunchOutTokens } from './services/session-token-verifier.ts';
import { PunchOutSessions } from './services/sessions.ts';

declare module '../../transport/graphql/context.ts' {
  interface GraphQLServices {
    /** PunchOut sessions (cart, return); absent where PunchOut is not served. */
    punchout?: PunchOutService;
  }
}

/** Expired sessions and answers are dropped hourly. */
const PURGE_INTERVAL_MS = 3_600_000;

export const punchOutFeature: Feature = {
  name: 'punchout',
  typeDefs: punchOutTypeDefs,
  resolvers: { Query: PunchOutQueries, Mutation: PunchOutMutations },
  setup({ env, backends, erp, clock, fetch, services, punchOutBuyers, logger }) {
    const store = backends.punchout;
    const orders = services.orders;
    const buyers = new BuyerDirectory(punchOutBuyers);
    const sessions = new PunchOutSessions(store, clock, {
      startTtlMs: env.PUNCHOUT_START_TTL_SECONDS * 1000,
      sessionTtlMs: env.PUNCHOUT_SESSION_TTL_MINUTES * 60_000,
    });
    const service = new PunchOutService({
      buyers,
      sessions,
      store,
      clock,
      orders,
      logger,
      answerTtlMs: env.IDEMPOTENCY_TTL_HOURS * 3_600_000,
      maxLines: env.ORDER_MAX_LINES,
    });
    const jobs: Job[] = [{ name: 'punchout-purge', intervalMs: PURGE_INTERVAL_MS, tick: async () => void (await store.purgeExpired(clock.now())) }];
    if (orders) {
      // Order confirmations and ship notices need orders to report on.
      const notifier = new OrderNotifier({
        store,
        orders: orders.store,
        erp,
        buyers,
        clock,
        channel: cxmlNoticeChannel(fetch),
        intervalMs: env.PUNCHOUT_NOTIFY_INTERVAL_MS,
        creditMemoWatch: { intervalMs: env.PUNCHOUT_CREDIT_MEMO_POLL_MS, forMs: env.PUNCHOUT_CREDIT_MEMO_DAYS * 86_400_000 },
        logger,
      });
      jobs.push(notifier.job());
    }
    return {
      services: { punchout: service },
      routes: [
        {
          path: '/punchout',
          app: punchOutRoutes({
            service,
            startUrl: env.PUNCHOUT_START_URL,
            publicUrl: env.PUBLIC_URL,
            maxBodyBytes: env.PUNCHOUT_MAX_BODY_BYTES,
            trustedProxyHops: env.TRUSTED_PROXY_HOPS,
          }),
        },
      ],
      jobs,
      tokens: (verify) => withPunchOutTokens(verify, sessions),
    };
  },
};
