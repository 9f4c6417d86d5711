/**
 * Builds erpfront from a validated configuration, the backends the entry opened, and the list of
 * features. Runtime-free: the entry passes in what only it can provide (metrics, the logger, the
 * signing secret, fetch, the GraphiQL page).
 *
 * @module
 */
import { createSandboxConnector } from './adapters/erp/sandbox/index.ts';
import { createTrytonConnector } from './adapters/erp/tryton/index.ts';
import { createMemoryCacheStore } from './adapters/stores/memory/cache-store.ts';
import { createApp, MAX_GRAPHQL_BODY_BYTES, requestLogOptions } from './app.ts';
import { createGraphQLEngine } from './transport/graphql/yoga.ts';
import { GraphQLRequests } from './transport/http/graphql-requests.ts';
import { LoadShedder } from './transport/http/load-shedding.ts';
import { freshnessPolicies } from './config/defaults.ts';
import type { Env } from './config/env.ts';
import type { Feature, FeatureCore, FeatureRoute } from './features/feature.ts';
import { features as defaultFeatures } from './features/index.ts';
import type { Backends } from './ports/backends.ts';
import type { EventLoopDelay } from './ports/event-loop-delay.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import type { ErpConnector } from './ports/erp-connector.ts';
import type { Logger } from './ports/logger.ts';
import type { Metrics } from './ports/metrics.ts';
import type { Job, Scheduler } from './ports/scheduler.ts';
import { CacheInvalidation } from './services/cache-invalidation.ts';
import { CircuitBreaker } from './services/circuit-breaker.ts';
import { ErpHealth } from './services/erp-health.ts';
import { decorateConnector } from './services/erp/decorate-connector.ts';
import { guardLinks } from './services/erp/guard-links.ts';
import { logLink } from './services/erp/log-link.ts';
import { meterLink } from './services/erp/meter-link.ts';
import { traceLink } from './services/erp/trace-link.ts';
import { BackgroundWork } from './services/background-work.ts';
import { ReadThroughCache } from './services/read-through-cache.ts';
import { RecentErrors } from './services/recent-errors.ts';
import { ResponseCache } from './services/response-cache.ts';
import type { CachedAnswer, ScopeNote } from './transport/graphql/response-cache/cached-answer.ts';
import { Throttle } from './services/throttle/throttle.ts';
import { createTokenVerifier, type TokenVerifier } from './services/token-verifier.ts';
import type { GraphQLServices } from './transport/graphql/context.ts';
import { baseTypeDefs } from './transport/graphql/base-schema.ts';
import type { BuyerOrganisation } from './features/punchout/domain/buyer-organisation.ts';
import type { ManifestEntry } from './transport/graphql/trusted-documents/manifest.ts';

export interface RuntimeParts {
  metrics: Metrics;
  /** Where the core reports what operators must see. */
  logger: Logger;
  /** The stores, opened by the entry (`backends/`). */
  backends: Backends;
  /** The HS256 secret in force (from AUTH_JWT_SECRET, or the entry's development secret). */
  jwtSecret?: string;
  clock?: Clock;
  fetch?: typeof fetch;
  graphiqlHeaders?: string;
  /** Renders the GraphiQL page; yoga's CDN-based default when absent. */
  renderGraphiQL?: (options?: Record<string, unknown>) => string | Promise<string>;
  /** Whether the runtime allows graphql-jit's code generation (not on Workers). */
  jit?: boolean;
  /** `false` where the platform compresses responses itself (Workers); else `HTTP_COMPRESSION` decides. */
  compress?: boolean;
  /** Unique per process: who holds order leases. */
  instanceId?: string;
  /** The storefront builds' registered documents, read by the entry from TRUSTED_DOCUMENTS_FILE; none by default. */
  trustedDocuments?: readonly ManifestEntry[];
  /** PunchOut buyer organisations (validated by the entry); none: PunchOut refuses every buyer. */
  punchOutBuyers?: BuyerOrganisation[];
  /** The event loop's recent delay (Node); none where it cannot be measured (Workers). */
  eventLoopDelay?: EventLoopDelay;
  /** The features to serve; default all of `features/index.ts`. */
  features?: readonly Feature[];
  /** Where work requests start without waiting for it is kept track of (the Worker entry's, shared with its backends); a new one by default. */
  background?: BackgroundWork;
}

/** The ERP connector the configuration names. */
export function createErpConnector(env: Env, fetchImpl?: typeof fetch): ErpConnector {
  const baseUrl = env.ERP_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}`;
  switch (env.ERP_CONNECTOR) {
    case 'sandbox':
      return createSandboxConnector({ baseUrl, timeoutMs: env.ERP_TIMEOUT_MS, fetch: fetchImpl, uniqueExternalRefs: env.ERP_UNIQUE_EXTERNAL_REFS });
    case 'tryton':
      // env.ts requires ERP_URL, ERP_USERNAME and ERP_PASSWORD with this connector.
      return createTrytonConnector({
        url: baseUrl,
        username: env.ERP_USERNAME ?? '',
        password: env.ERP_PASSWORD ?? '',
        timeoutMs: env.ERP_TIMEOUT_MS,
        quoteValidityDays: env.TRYTON_QUOTE_VALIDITY_DAYS,
        fetch: fetchImpl,
      });
  }
}

/** The full schema text: the base, then each feature's part (what `schema.graphql` holds). */
export function printSchemaParts(features: readonly Feature[] = defaultFeatures): string {
  return `${[baseTypeDefs, ...features.flatMap((f) => (f.typeDefs ? [f.typeDefs] : []))].map((part) => part.trim()).join('\n\n')}\n`;
}

export function composeErpfront(env: Env, parts: RuntimeParts) {
  const clock = parts.clock ?? systemClock;
  const { backends, metrics } = parts;
  // The budget and breaker sit outside the instrumentation: erpfront_erp_requests_total counts
  // calls that reached the ERP, not those the breaker refused.
  const breaker = new CircuitBreaker({ failureThreshold: env.BREAKER_FAILURE_THRESHOLD, cooldownMs: env.BREAKER_COOLDOWN_SECONDS * 1000, metrics, clock });
  const instanceId = parts.instanceId ?? `erpfront-${crypto.randomUUID()}`;
  const connector = createErpConnector(env, parts.fetch);
  // The trace link outermost: an ERP call's span covers the breaker, the wait for a permit and the call.
  const erp = decorateConnector(connector, [
    traceLink(connector.name),
    ...guardLinks({ budget: backends.budget, breaker, metrics, clock }),
    meterLink(metrics),
    logLink(connector.name, parts.logger),
  ]);
  const localCache = createMemoryCacheStore({ maxEntries: env.CACHE_MAX_ENTRIES, maxBytes: env.CACHE_MAX_MB * 1024 * 1024 });
  const shared = backends.sharedCache ?? undefined;
  // What requests start and do not wait for (stale entries' refreshes): the Worker entry keeps it alive past the answer.
  const background = parts.background ?? new BackgroundWork();
  const cache = new ReadThroughCache({
    local: localCache,
    shared,
    policies: freshnessPolicies(env),
    clock,
    metrics,
    background,
    maxFetchMs: env.ERP_MAX_REQUEST_SECONDS * 1000,
  });
  // Answers built from cache entries: dropped with them, on every instance (the invalidation bus).
  const responseCache = env.RESPONSE_CACHE
    ? new ResponseCache<CachedAnswer | ScopeNote>({ maxEntries: env.RESPONSE_CACHE_MAX_ENTRIES, maxBytes: env.RESPONSE_CACHE_MAX_MB * 1024 * 1024, clock })
    : undefined;
  const invalidation = new CacheInvalidation({
    local: localCache,
    shared,
    bus: backends.invalidationBus ?? undefined,
    instanceId,
    logger: parts.logger,
    inflight: cache,
    dependents: responseCache,
  });
  // The errors this instance answered lately (ops console), fed by the error policy and the request log.
  const recentErrors = new RecentErrors();
  const throttle = new Throttle({ store: backends.throttle, limits: env.THROTTLE_LIMITS, enabled: env.THROTTLE, metrics });

  // Features' tokens (PunchOut sessions) wrap the JWT check once every feature is set up.
  let verify: TokenVerifier = createTokenVerifier({
    secret: env.AUTH_JWT_SECRET ?? parts.jwtSecret,
    jwksUrl: env.AUTH_JWKS_URL,
    issuer: env.AUTH_JWT_ISSUER,
    audience: env.AUTH_JWT_AUDIENCE,
    logger: parts.logger,
  });
  const verifyToken: TokenVerifier = (token) => verify(token);
  const services: GraphQLServices = {
    erp,
    cache,
    clock,
    limits: { maxSkusPerQuery: env.MAX_SKUS_PER_QUERY, maxQuantity: env.MAX_QUANTITY, allowSplitShipments: env.ALLOW_SPLIT_SHIPMENTS },
  };
  const core: FeatureCore = {
    env,
    clock,
    metrics,
    logger: parts.logger,
    erp,
    cache,
    invalidation,
    breaker,
    health: new ErpHealth(erp, clock),
    backends,
    instanceId,
    fetch: parts.fetch,
    verifyToken,
    services,
    punchOutBuyers: parts.punchOutBuyers ?? [],
    recentErrors,
  };
  const features = parts.features ?? defaultFeatures;
  const routes: FeatureRoute[] = [];
  const jobs: Job[] = [];
  const seen: Array<(customerId: string) => void> = [];
  for (const feature of features) {
    const built = feature.setup(core);
    Object.assign(services, built.services);
    routes.push(...(built.routes ?? []));
    jobs.push(...(built.jobs ?? []));
    if (built.tokens) verify = built.tokens(verify);
    if (built.customerSeen) seen.push(built.customerSeen);
  }

  const requests = new GraphQLRequests({
    engine: createGraphQLEngine({
      typeDefs: [baseTypeDefs, ...features.flatMap((f) => (f.typeDefs ? [f.typeDefs] : []))],
      resolvers: features.flatMap((f) => (f.resolvers ? [f.resolvers] : [])),
      graphiql: env.GRAPHIQL ? { defaultHeaders: parts.graphiqlHeaders } : false,
      introspection: env.GRAPHQL_INTROSPECTION,
      jit: parts.jit,
      renderGraphiQL: parts.renderGraphiQL,
      throttle: throttle.enabled ? throttle : undefined,
      metrics,
      responseCache: responseCache && { store: responseCache, clock },
      trustedDocuments: {
        mode: env.TRUSTED_DOCUMENTS,
        manifest: parts.trustedDocuments ?? [],
        apqMaxEntries: env.APQ_MAX_ENTRIES,
        apqMaxBytes: env.APQ_MAX_MB * 1024 * 1024,
        getMaxAgeSeconds: env.PERSISTED_GET_MAX_AGE_SECONDS,
      },
      maxTokens: env.MAX_QUERY_TOKENS,
      onError: ({ code, message, requestId, path }) => recentErrors.record({ at: new Date(clock.now()).toISOString(), code, message, requestId, where: path }),
      limits: env.QUERY_LIMITS && {
        maxDepth: env.MAX_QUERY_DEPTH,
        maxAliases: env.MAX_QUERY_ALIASES,
        maxDirectives: env.MAX_QUERY_DIRECTIVES,
        maxFragmentSpreads: env.MAX_FRAGMENT_SPREADS,
        maxSkusPerRequest: env.MAX_SKUS_PER_REQUEST,
        maxQueryCost: env.MAX_QUERY_COST,
      },
    }),
    services,
    verifyToken,
    customerSeen:
      seen.length === 0
        ? undefined
        : (customerId) => {
            for (const tell of seen) tell(customerId);
          },
    maxBatchSize: env.ERP_MAX_BATCH,
  });
  const shedder = new LoadShedder({
    maxInflight: env.MAX_INFLIGHT_REQUESTS,
    delayThresholdMs: env.OVERLOAD_EVENT_LOOP_DELAY_MS,
    eventLoopDelay: parts.eventLoopDelay,
    retryAfterSeconds: env.OVERLOAD_RETRY_AFTER_SECONDS,
    metrics,
  });
  const compress = env.HTTP_COMPRESSION && parts.compress !== false;
  const app = createApp({ requests, routes, compress, logger: parts.logger, recentErrors, shedder });
  return {
    app,
    /** What the Node lane of `POST /graphql` shares with the app (transport/node/graphql-lane.ts). */
    lane: { requests, shedder, log: requestLogOptions({ logger: parts.logger, recentErrors }), maxBodyBytes: MAX_GRAPHQL_BODY_BYTES, compress },
    erp,
    cache,
    /** Answers of repeated operations (RESPONSE_CACHE); `undefined` when off. */
    responseCache,
    breaker,
    invalidation,
    /** Every caller's bucket of points (its status for `extensions.cost`). */
    throttle,
    /** Every feature's periodic work. */
    jobs,
    /** Work requests started without waiting for it (see services/background-work.ts). */
    background,
    /** Subscribes to invalidations and hands the jobs to the runtime's scheduler. */
    async start(scheduler: Scheduler): Promise<void> {
      await invalidation.start();
      for (const job of jobs) scheduler.add(job);
    },
  };
}

export type Erpfront = ReturnType<typeof composeErpfront>;
