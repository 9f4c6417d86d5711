/**
 * A feature: one capability of erpfront (catalog and pricing, orders, PunchOut, operations; later
 * accounts, quotes, returns), in one folder, contributing its part of the public schema, its
 * resolvers, HTTP routes and background jobs. The app is composed from a list of them
 * (`features/index.ts`); adding a feature is its folder plus one line there.
 *
 * @module
 */
import type { Hono } from 'hono';
import type { Env } from '../config/env.ts';
import type { Backends } from '../ports/backends.ts';
import type { Clock } from '../ports/clock.ts';
import type { ErpConnector } from '../ports/erp-connector.ts';
import type { Logger } from '../ports/logger.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { Job } from '../ports/scheduler.ts';
import type { CacheInvalidation } from '../services/cache-invalidation.ts';
import type { CircuitBreaker } from '../services/circuit-breaker.ts';
import type { ErpHealth } from '../services/erp-health.ts';
import type { ReadThroughCache } from '../services/read-through-cache.ts';
import type { RecentErrors } from '../services/recent-errors.ts';
import type { TokenVerifier } from '../services/token-verifier.ts';
import type { GraphQLServices } from '../transport/graphql/context.ts';
import type { BuyerOrganisation } from './punchout/domain/buyer-organisation.ts';

/** GraphQL resolvers by type name, then field name (graphql-tools' shape). */
export type Resolvers = Record<string, object>;

/** What every feature is given: the core, built once, and what the features before it provide. */
export interface FeatureCore {
  env: Env;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /** The ERP connector behind the budget, the breaker and the metrics. */
  erp: ErpConnector;
  cache: ReadThroughCache;
  invalidation: CacheInvalidation;
  breaker: CircuitBreaker;
  health: ErpHealth;
  /** The stores of this deployment (embedded, scale-out, memory), opened by the entry. */
  backends: Backends;
  /** Unique per process: who holds order leases. */
  instanceId: string;
  fetch?: typeof fetch;
  /**
   * Checks a bearer token: JWTs, and the tokens features add (PunchOut sessions). Complete once
   * every feature is set up; call it per request, not during setup.
   */
  verifyToken: TokenVerifier;
  /** The services of the features set up before this one (PunchOut uses the orders'). */
  services: GraphQLServices;
  /** PunchOut buyer organisations, validated by the entry (a file on Node, demo buyers in dev). */
  punchOutBuyers: BuyerOrganisation[];
  /** The errors this instance answered lately (code, erpfront's sentence, request id): the ops console's panel. */
  recentErrors: RecentErrors;
}

/** An HTTP sub-application mounted at `path`. */
export interface FeatureRoute {
  path: string;
  app: Hono;
}

/** What a feature's `setup` builds. */
export interface FeatureParts {
  /** Services its resolvers read from the GraphQL context (declared on `GraphQLServices`). */
  services?: Partial<GraphQLServices>;
  routes?: FeatureRoute[];
  /** Periodic work, run by the runtime's scheduler. */
  jobs?: Job[];
  /** Wraps the bearer-token check so this feature's own tokens are known (PunchOut sessions). */
  tokens?(verify: TokenVerifier): TokenVerifier;
  /**
   * Told of every GraphQL request once it is authorized to act for a customer (the price sheet
   * keeps who is active). Runs on the request's path: synchronous, cheap, and it never throws.
   */
  customerSeen?(customerId: string): void;
}

/** One capability of erpfront. */
export interface Feature {
  readonly name: string;
  /** Its part of the public schema (SDL); `schema.graphql` is the parts in list order. */
  readonly typeDefs?: string;
  readonly resolvers?: Resolvers;
  /** Builds the feature's runtime parts; called once, in list order. */
  setup(core: FeatureCore): FeatureParts;
}
