/**
 * What every resolver receives: the request's scope (who asks, for which customer, this request's
 * ERP reader) and the long-lived services.
 *
 * @module
 */
import type { Clock } from '../../ports/clock.ts';
import type { ErpConnector } from '../../ports/erp-connector.ts';
import type { PlaceOrderDeps } from '../../services/orders/place-order.ts';
import type { ReadThroughCache } from '../../services/read-through-cache.ts';
import type { PunchOutService } from '../../services/punchout/punchout-service.ts';
import type { RequestScope } from '../../services/request-scope.ts';

/** Limits and policies the GraphQL layer enforces. */
export interface GraphQLLimits {
  maxSkusPerQuery: number;
  maxQuantity: number;
  allowSplitShipments: boolean;
}

/** Long-lived services shared by all requests. */
export interface GraphQLServices {
  erp: ErpConnector;
  cache: ReadThroughCache;
  clock: Clock;
  limits: GraphQLLimits;
  /** The order pipeline; absent where orders are not served (the Workers read path). */
  orders?: PlaceOrderDeps;
  /** PunchOut sessions (cart, return); absent where PunchOut is not served. */
  punchout?: PunchOutService;
}

/** The request's scope is the context: a resolver passes it on to the services it calls. */
export interface GraphQLContext extends RequestScope {
  services: GraphQLServices;
}
