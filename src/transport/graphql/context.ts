/**
 * What every resolver receives: who asks, for which customer, and this request's ERP reader.
 *
 * @module
 */
import type { Principal } from '../../domain/principal.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ErpConnector } from '../../ports/erp-connector.ts';
import type { ErpReader } from '../../services/erp-reader.ts';
import type { ReadThroughCache } from '../../services/read-through-cache.ts';

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
}
