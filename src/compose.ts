/**
 * Builds erpfront's parts from a validated configuration. Runtime-free: the entry passes in what
 * only it can provide (the schema text, the signing secret, metrics, fetch).
 *
 * @module
 */
import { createSandboxConnector } from './adapters/erp/sandbox/index.ts';
import { createTrytonConnector } from './adapters/erp/tryton/index.ts';
import { createMemoryCacheStore } from './adapters/stores/memory/cache-store.ts';
import { createApp } from './app.ts';
import { freshnessPolicies } from './config/defaults.ts';
import type { Env } from './config/env.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import type { ErpConnector } from './ports/erp-connector.ts';
import type { Logger } from './ports/logger.ts';
import type { Metrics } from './ports/metrics.ts';
import { createMemoryErpBudget } from './adapters/stores/memory/erp-budget.ts';
import type { OrderStore } from './ports/order-store.ts';
import type { CacheStore } from './ports/cache-store.ts';
import type { ErpBudget } from './ports/erp-budget.ts';
import type { InvalidationBus } from './ports/cache-invalidation.ts';
import { CacheInvalidation } from './services/cache-invalidation.ts';
import { createMemoryPunchOutStore } from './adapters/stores/memory/punchout-store.ts';
import type { BuyerOrganisation } from './domain/punchout/buyer-organisation.ts';
import type { PunchOutStore } from './ports/punchout-store.ts';
import { assemblePunchOut } from './transport/punchout/assemble.ts';
import { CircuitBreaker } from './services/circuit-breaker.ts';
import { ErpHealth } from './services/erp-health.ts';
import { guardErp } from './services/guarded-erp.ts';
import { instrumentErp } from './services/instrumented-erp.ts';
import { OrderDispatcher } from './services/orders/order-dispatcher.ts';
import type { PlaceOrderDeps } from './services/orders/place-order.ts';
import { createSandboxPaymentGateway } from './adapters/payments/sandbox-gateway.ts';
import type { PaymentGateway } from './ports/payment-gateway.ts';
import { DuplicateOrderCheck } from './services/reconciliation/duplicate-orders.ts';
import { ReadThroughCache } from './services/read-through-cache.ts';
import { createTokenVerifier } from './services/token-verifier.ts';

export interface RuntimeParts {
  typeDefs: string;
  metrics: Metrics;
  /** Where the core reports what operators must see. */
  logger: Logger;
  /** The HS256 secret in force (from AUTH_JWT_SECRET, or the entry's development secret). */
  jwtSecret?: string;
  clock?: Clock;
  fetch?: typeof fetch;
  graphiqlHeaders?: string;
  /** Renders the GraphiQL page; yoga's CDN-based default when absent. */
  renderGraphiQL?: (options?: Record<string, unknown>) => string;
  /** Whether the runtime allows graphql-jit's code generation (not on Workers). */
  jit?: boolean;
  /** `false` where the platform compresses responses itself (Workers); else `HTTP_COMPRESSION` decides. */
  compress?: boolean;
  /** The durable order store; without one, erpfront serves the read path only. */
  orderStore?: OrderStore;
  /** Unique per process: who holds order leases. */
  instanceId?: string;
  /** PunchOut buyer organisations (validated by the entry); none: PunchOut refuses every buyer. */
  punchOutBuyers?: BuyerOrganisation[];
  /** Where PunchOut sessions live; default in memory. */
  punchOutStore?: PunchOutStore;
  /** Scale-out (Redis): the ERP budget shared by every instance; default an in-process one. */
  budget?: ErpBudget;
  /** Scale-out (Redis): the cache's shared second tier, behind this process's LRU. */
  sharedCache?: CacheStore;
  /** Scale-out (Redis): carries cache invalidations to every instance. */
  invalidationBus?: InvalidationBus;
}

/** The ERP connector the configuration names. */
export function createErpConnector(env: Env, fetchImpl?: typeof fetch): ErpConnector {
  const baseUrl = env.ERP_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}`;
  switch (env.ERP_CONNECTOR) {
    case 'sandbox':
      return createSandboxConnector({ baseUrl, timeoutMs: env.ERP_TIMEOUT_MS, fetch: fetchImpl, uniqueExternalRefs: env.ERP_UNIQUE_EXTERNAL_REFS });
    case 'tryton':
      // env.ts requires ERP_URL, ERP_USERNAME and ERP_PASSWORD with this connector.
      return createTrytonConnector({ url: baseUrl, username: env.ERP_USERNAME ?? '', password: env.ERP_PASSWORD ?? '', timeoutMs: env.ERP_TIMEOUT_MS, fetch: fetchImpl });
  }
}

/** The payment gateway the configuration names; `null` when card orders are not taken. */
export function createPaymentGateway(env: Env, fetchImpl?: typeof fetch): PaymentGateway | null {
  if (env.PAYMENT_GATEWAY === 'none') return null;
  const baseUrl = env.PAYMENT_GATEWAY_URL ?? env.ERP_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}`;
  return createSandboxPaymentGateway({ baseUrl, timeoutMs: env.ERP_TIMEOUT_MS, fetch: fetchImpl });
}

export function composeErpfront(env: Env, parts: RuntimeParts) {
  const clock = parts.clock ?? systemClock;
  // The budget and breaker sit outside the instrumentation: erpfront_erp_requests_total counts
  // calls that reached the ERP, not those the breaker refused.
  const breaker = new CircuitBreaker({
    failureThreshold: env.BREAKER_FAILURE_THRESHOLD,
    cooldownMs: env.BREAKER_COOLDOWN_SECONDS * 1000,
    metrics: parts.metrics,
    clock,
  });
  // The budget keeps real time: its grants are scheduled with real timers.
  const instanceId = parts.instanceId ?? `erpfront-${crypto.randomUUID()}`;
  const budget = parts.budget ?? createMemoryErpBudget({ requestsPerSecond: env.ERP_REQUESTS_PER_SECOND, maxConcurrent: env.ERP_MAX_CONCURRENT });
  const erp = guardErp(instrumentErp(createErpConnector(env, parts.fetch), parts.metrics, parts.logger), { budget, breaker, metrics: parts.metrics, clock });
  const localCache = createMemoryCacheStore({ maxEntries: env.CACHE_MAX_ENTRIES, maxBytes: env.CACHE_MAX_MB * 1024 * 1024 });
  const invalidation = new CacheInvalidation({ local: localCache, shared: parts.sharedCache, bus: parts.invalidationBus, instanceId, logger: parts.logger });
  const cache = new ReadThroughCache({
    local: localCache,
    shared: parts.sharedCache,
    policies: freshnessPolicies(env),
    clock,
    metrics: parts.metrics,
  });
  let dispatcher: OrderDispatcher | undefined;
  let duplicateCheck: DuplicateOrderCheck | undefined;
  let orders: PlaceOrderDeps | undefined;
  if (parts.orderStore) {
    const store = parts.orderStore;
    dispatcher = new OrderDispatcher({
      store,
      erp,
      clock,
      metrics: parts.metrics,
      owner: instanceId,
      leaseMs: env.ORDER_LEASE_SECONDS * 1000,
      concurrency: env.ORDER_DISPATCH_CONCURRENCY,
      erpAvailable: () => breaker.state === 'closed',
      maxRequestMs: env.ERP_MAX_REQUEST_SECONDS * 1000,
      logger: parts.logger,
    });
    duplicateCheck = new DuplicateOrderCheck({
      store,
      erp,
      clock,
      metrics: parts.metrics,
      report: (finding) => parts.logger.error(
        `DUPLICATE ORDER in the ERP for ${finding.orderId} (${finding.customerId}): kept ${finding.kept}; ${finding.duplicates.map((d) => `${d.number} ${d.outcome}`).join(', ')}`,
        { orderId: finding.orderId, customerId: finding.customerId, kept: finding.kept, duplicates: finding.duplicates },
      ),
    });
    parts.metrics.observeQueue(() => store.queueStats(clock.now()));
    orders = {
      erp,
      cache,
      store,
      dispatcher,
      clock,
      metrics: parts.metrics,
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
      payments: createPaymentGateway(env, parts.fetch),
      logger: parts.logger,
    };
  }
  const secret = env.AUTH_JWT_SECRET ?? parts.jwtSecret;
  const punchout = assemblePunchOut(
    {
      buyers: parts.punchOutBuyers ?? [],
      store: parts.punchOutStore ?? createMemoryPunchOutStore(),
      startTtlMs: env.PUNCHOUT_START_TTL_SECONDS * 1000,
      sessionTtlMs: env.PUNCHOUT_SESSION_TTL_MINUTES * 60_000,
      maxBodyBytes: env.PUNCHOUT_MAX_BODY_BYTES,
      notifyIntervalMs: env.PUNCHOUT_NOTIFY_INTERVAL_MS,
      answerTtlMs: env.IDEMPOTENCY_TTL_HOURS * 3_600_000,
      maxLines: env.ORDER_MAX_LINES,
      startUrl: env.PUNCHOUT_START_URL,
      publicUrl: env.PUBLIC_URL,
      trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    },
    { erp, cache, clock, maxBatchSize: env.ERP_MAX_BATCH, orders, logger: parts.logger },
  );
  // PunchOut session tokens (`pos_…`) are checked against the session store; all others as before.
  const verifyToken = punchout.verifier(createTokenVerifier({ secret, jwksUrl: env.AUTH_JWKS_URL, issuer: env.AUTH_JWT_ISSUER, audience: env.AUTH_JWT_AUDIENCE, logger: parts.logger }));
  const app = createApp({
    typeDefs: parts.typeDefs,
    erp,
    cache,
    metrics: parts.metrics,
    health: new ErpHealth(erp, clock),
    clock,
    verifyToken,
    limits: {
      maxSkusPerQuery: env.MAX_SKUS_PER_QUERY,
      maxQuantity: env.MAX_QUANTITY,
      allowSplitShipments: env.ALLOW_SPLIT_SHIPMENTS,
    },
    maxBatchSize: env.ERP_MAX_BATCH,
    maxStaleSeconds: env.MAX_STALE_SECONDS,
    graphiql: env.GRAPHIQL ? { defaultHeaders: parts.graphiqlHeaders } : false,
    introspection: env.GRAPHQL_INTROSPECTION,
    jit: parts.jit,
    renderGraphiQL: parts.renderGraphiQL,
    orders,
    punchout: punchout.routes,
    punchoutService: punchout.service,
    breaker,
    budget,
    invalidation,
    compress: env.HTTP_COMPRESSION && parts.compress !== false,
    logger: parts.logger,
  });
  return { app, erp, cache, dispatcher, duplicateCheck, breaker, budget, invalidation, punchOutNotifier: punchout.notifier };
}
