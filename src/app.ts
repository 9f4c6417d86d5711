/**
 * The erpfront HTTP application, assembled from already-built parts. No runtime imports: the Node
 * and Workers entries build the parts and pass them in.
 *
 * @module
 */
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { HTTPException } from 'hono/http-exception';
import type { Clock } from './ports/clock.ts';
import type { ErpConnector } from './ports/erp-connector.ts';
import type { ErpBudget } from './ports/erp-budget.ts';
import type { Metrics } from './ports/metrics.ts';
import type { CircuitBreaker } from './services/circuit-breaker.ts';
import type { PlaceOrderDeps } from './services/orders/place-order.ts';
import type { ErpHealth } from './services/erp-health.ts';
import type { ReadThroughCache } from './services/read-through-cache.ts';
import type { TokenVerifier } from './services/token-verifier.ts';
import type { GraphQLLimits } from './transport/graphql/context.ts';
import { createGraphQLEngine } from './transport/graphql/yoga.ts';
import { graphqlErrorResponse, refusalResponse } from './transport/http/error-response.ts';
import { graphqlRoute } from './transport/http/graphql-route.ts';
import { opsRoutes } from './transport/ops/routes.ts';
import { invalidateRoute } from './transport/ops/invalidate-route.ts';
import type { CacheInvalidation } from './services/cache-invalidation.ts';
import type { PunchOutService } from './services/punchout/punchout-service.ts';
import type { Logger } from './ports/logger.ts';
import { loggableError } from './domain/loggable-error.ts';
import { requestLog, requestLogger } from './transport/http/request-log.ts';

export interface AppDeps {
  typeDefs: string;
  erp: ErpConnector;
  cache: ReadThroughCache;
  metrics: Metrics;
  health: ErpHealth;
  clock: Clock;
  verifyToken: TokenVerifier;
  limits: GraphQLLimits;
  maxBatchSize: number;
  maxStaleSeconds: number;
  /** `false` to turn the GraphiQL IDE off; headers to pre-fill it with (a demo token in dev). */
  graphiql: boolean | { defaultHeaders?: string };
  /** Answer introspection queries (GRAPHQL_INTROSPECTION); default true. */
  introspection?: boolean;
  /** Renders the GraphiQL page (see the GraphQL engine's option). */
  renderGraphiQL?: (options?: Record<string, unknown>) => string;
  /** Compile operations with graphql-jit (default true; false on Workers, which forbid it). */
  jit?: boolean;
  /** Largest GraphQL request body, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** The order pipeline (Node: SQLite queue); absent on the read-only Workers path. */
  orders?: PlaceOrderDeps;
  breaker?: CircuitBreaker;
  budget?: ErpBudget;
  /** PunchOut's HTTP routes (`/punchout/cxml`, `/punchout/oci`, `/punchout/session`), mounted at `/punchout`. */
  punchout?: Hono;
  /** PunchOut sessions for the GraphQL resolvers (cart, return). */
  punchoutService?: PunchOutService;
  /** Cache invalidation on every instance (`POST /ops/invalidate`). */
  invalidation?: CacheInvalidation;
  /** gzip or deflate responses of 1 KiB and more, for clients that accept it. */
  compress?: boolean;
  /** Where erpfront's log lines go; each request gets a child bound to its id. */
  logger: Logger;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  // First of all: it times the whole request, sees every answer, and gives the request its id.
  app.use(requestLog({ logger: deps.logger }));
  // Before every route: a CatalogPage's JSON shrinks about ninefold (30 KB to 3.4 KB), the
  // GraphiQL page from 9 MB to 2.4 MB. The threshold only applies to answers that state their
  // length; streamed ones are compressed whatever their size (a few bytes' overhead).
  if (deps.compress) app.use(compress({ threshold: 1024 }));
  const engine = createGraphQLEngine({ typeDefs: deps.typeDefs, graphiql: deps.graphiql, jit: deps.jit, renderGraphiQL: deps.renderGraphiQL, introspection: deps.introspection });
  const services = { erp: deps.erp, cache: deps.cache, clock: deps.clock, limits: deps.limits, orders: deps.orders, punchout: deps.punchoutService };
  const graphql = graphqlRoute({
    engine,
    verifyToken: deps.verifyToken,
    services,
    maxBatchSize: deps.maxBatchSize,
    maxBodyBytes: deps.maxBodyBytes ?? 1024 * 1024,
    logger: deps.logger,
  });

  app.route('/', opsRoutes({ health: deps.health, metrics: deps.metrics, maxStaleSeconds: deps.maxStaleSeconds, connector: deps.erp.name, breaker: deps.breaker, budget: deps.budget, orders: deps.orders?.store, clock: deps.clock, verifyToken: deps.verifyToken }));
  if (deps.invalidation) app.route('/', invalidateRoute({ invalidation: deps.invalidation, verifyToken: deps.verifyToken, logger: deps.logger }));
  if (deps.punchout) app.route('/punchout', deps.punchout);
  app.on(['GET', 'POST'], '/graphql', graphql);
  app.notFound(() => graphqlErrorResponse(404, 'NOT_FOUND', 'No such endpoint. GraphQL is served at /graphql.'));
  app.onError((error, c) => {
    // A middleware's refusal (hono's body limit throws one for a body over a route's own limit) is
    // an answer to the client, not a failure of erpfront: its status, with a code, like any other.
    if (error instanceof HTTPException && error.status < 500) {
      return refusalResponse(error.status);
    }
    requestLogger(c, deps.logger).error('unexpected error', { err: loggableError(error) });
    return graphqlErrorResponse(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error; it has been logged.');
  });
  return app;
}
