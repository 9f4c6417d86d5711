/**
 * What every resolver receives: the request's scope (who asks, for which customer, this request's
 * ERP reader) and the long-lived services.
 *
 * @module
 */
import type { Clock } from '../../ports/clock.ts';
import type { ErpConnector } from '../../ports/erp-connector.ts';
import type { ReadThroughCache } from '../../services/read-through-cache.ts';
import type { RequestScope } from '../../services/request-scope.ts';
import type { GraphQLFacts } from '../http/request-log.ts';
import type { ResponseCacheSlot } from './response-cache/cached-answer.ts';

/** Limits and policies the GraphQL layer enforces. */
export interface GraphQLLimits {
  maxSkusPerQuery: number;
  maxQuantity: number;
  allowSplitShipments: boolean;
}

/** Long-lived services shared by all requests: the core's, and those the features add. */
export interface GraphQLServices {
  erp: ErpConnector;
  cache: ReadThroughCache;
  clock: Clock;
  limits: GraphQLLimits;
  // Each feature declares the services it adds here, in its own folder (`declare module`).
}

/** The request's scope is the context: a resolver passes it on to the services it calls. */
export interface GraphQLContext extends RequestScope {
  services: GraphQLServices;
  /** What the request's log line says about it; the engine adds the operation's name. */
  facts: GraphQLFacts;
  /** Where this request's answer is kept for repeats, when it may be (the response cache). */
  responseCache?: ResponseCacheSlot;
}
