/**
 * Orders: placing them (credit, idempotency, card payments), the durable queue and its
 * dispatcher, views of the customer's orders, and the jobs that keep the queue honest (dispatch,
 * the duplicate check of orders that were in doubt, the purge of expired idempotency keys).
 * Served where the backends have an order store; elsewhere the order fields answer FORBIDDEN.
 *
 * @module
 */
import { createSandboxPaymentGateway } from '../../adapters/payments/sandbox-gateway.ts';
import type { Env } from '../../config/env.ts';
import type { PaymentGateway } from '../../ports/payment-gateway.ts';
import type { Job } from '../../ports/scheduler.ts';
import type { Feature } from '../feature.ts';
import { Order, OrderMutations, OrderQueries } from './resolvers.ts';
import { ordersTypeDefs } from './schema.ts';
import { DuplicateOrderCheck } from './services/duplicate-orders.ts';
import { OrderActions } from './services/order-actions.ts';
import { OrderDispatcher } from './services/order-dispatcher.ts';
import type { PlaceOrderDeps } from './services/place-order.ts';
import { creditLanes } from './services/credit-lanes.ts';

declare module '../../transport/graphql/context.ts' {
  interface GraphQLServices {
    /** The order pipeline; absent where orders are not served (the Workers read path). */
    orders?: PlaceOrderDeps;
    /** Replay, release, cancel: checked, carried out and audited in one place (GraphQL and the console). */
    orderActions?: OrderActions;
  }
}

/** Expired idempotency keys are dropped hourly. */
const PURGE_INTERVAL_MS = 3_600_000;

/** The payment gateway the configuration names; `null` when card orders are not taken. */
export function createPaymentGateway(env: Env, fetchImpl?: typeof fetch): PaymentGateway | null {
  if (env.PAYMENT_GATEWAY === 'none') return null;
  const baseUrl = env.PAYMENT_GATEWAY_URL ?? env.ERP_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}`;
  return createSandboxPaymentGateway({ baseUrl, timeoutMs: env.ERP_TIMEOUT_MS, fetch: fetchImpl });
}

export const ordersFeature: Feature = {
  name: 'orders',
  typeDefs: ordersTypeDefs,
  // Each mutation asks the access policy first (a PunchOut session may not place or cancel orders).
  resolvers: { Query: OrderQueries, Mutation: OrderMutations, Order },
  setup({ env, backends, erp, cache, clock, metrics, logger, breaker, instanceId, fetch }) {
    const store = backends.orders;
    if (!store) return {};
    const dispatcher = new OrderDispatcher({
      store,
      erp,
      clock,
      metrics,
      owner: instanceId,
      leaseMs: env.ORDER_LEASE_SECONDS * 1000,
      concurrency: env.ORDER_DISPATCH_CONCURRENCY,
      erpAvailable: () => breaker.state === 'closed',
      maxRequestMs: env.ERP_MAX_REQUEST_SECONDS * 1000,
      logger,
    });
    const duplicateCheck = new DuplicateOrderCheck({
      store,
      erp,
      clock,
      metrics,
      findings: backends.findings,
      report: (finding) =>
        logger.error(
          `DUPLICATE ORDER in the ERP for ${finding.orderId} (${finding.customerId}): kept ${finding.kept}; ${finding.duplicates.map((d) => `${d.number} ${d.outcome}`).join(', ')}`,
          { orderId: finding.orderId, customerId: finding.customerId, kept: finding.kept, duplicates: finding.duplicates },
        ),
    });
    metrics.observeQueue(() => store.queueStats(clock.now()));
    const orders: PlaceOrderDeps = {
      erp,
      cache,
      store,
      dispatcher,
      clock,
      metrics,
      maxBatchSize: env.ERP_MAX_BATCH,
      policy: {
        maxLines: env.ORDER_MAX_LINES,
        maxQuantity: env.MAX_QUANTITY,
        priceMaxAgeMs: env.ORDER_PRICE_MAX_AGE_SECONDS * 1000,
        overLimit: env.CREDIT_OVER_LIMIT,
        allowBackorders: env.ALLOW_BACKORDERS,
        idempotencyTtlMs: env.IDEMPOTENCY_TTL_HOURS * 3_600_000,
        submitWaitMs: env.ORDER_SUBMIT_WAIT_MS,
        claimMs: env.IDEMPOTENCY_CLAIM_SECONDS * 1000,
        creditHoldAllowsCard: env.CREDIT_HOLD_ALLOWS_CARD,
      },
      payments: createPaymentGateway(env, fetch),
      logger,
      // A decision takes milliseconds; 5 s behind the others is a burst of hundreds, or one whose
      // request was cancelled mid-decision: past it, the store's insert alone keeps credit exact.
      creditLanes: creditLanes({ maxWaitMs: 5000 }),
    };
    const orderActions = new OrderActions({ store, clock, audit: backends.audit, payments: orders.payments, wake: () => dispatcher.wake() });
    const jobs: Job[] = [
      dispatcher.job(),
      // Orders that were in doubt are checked for a second ERP entry (README "Orders": exactly once).
      { name: 'duplicate-order-check', intervalMs: env.RECONCILE_INTERVAL_SECONDS * 1000, tick: async () => void (await duplicateCheck.tick()) },
      { name: 'idempotency-key-purge', intervalMs: PURGE_INTERVAL_MS, tick: async () => void (await store.purgeExpiredKeys(clock.now())) },
    ];
    return { services: { orders, orderActions }, jobs };
  },
};
