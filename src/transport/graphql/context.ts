/**
 * What every resolver receives: who asks, for which customer, and this request's ERP reader.
 *
 * @module
 */
import type { Principal } from '../../domain/principal.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ErpConnector } from '../../ports/erp-connector.ts';
import type { ErpReader } from '../../services/erp-reader.ts';
import type { PlaceOrderDeps } from '../../services/orders/place-order.ts';
import type { ReadThroughCache } from '../../services/read-through-cache.ts';
import type { PunchOutService } from '../../services/punchout/punchout-service.ts';
import type { Logger } from '../../ports/logger.ts';
import type { GraphQLFacts } from '../http/request-log.ts';

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

export interface GraphQLContext {
  principal: Principal;
  /** The customer this request acts for, already authorized; `null` when none is named. */
  customerId: string | null;
  reader: ErpReader;
  services: GraphQLServices;
  /** Customers already read in this request, so 48 prices share one account object. */
  customers: Map<string, unknown>;
  /** The `Idempotency-Key` header, used when the input carries no key. */
  idempotencyKey: string | null;
  /** This request's id (the `X-Request-Id` answered), quoted in errors whose detail went to the log. */
  requestId: string;
  /** This request's logger, bound to its id: for what it causes (orders placed, ERP calls). */
  log: Logger;
  /** What the request's log line says about it; the engine adds the operation's name. */
  facts: GraphQLFacts;
}
