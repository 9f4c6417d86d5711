/**
 * One request's scope: who asks, for which customer, and the ERP reads the request makes. Every
 * entry point opens one here — the `/graphql` route, a cXML OrderRequest — and what it calls
 * (pricing, placing an order, returning a PunchOut cart) takes the scope instead of building a
 * reader of its own, so a request's reads share one set of loaders and one memo, at one priority.
 *
 * A scope lives for one request only (DataLoader's advice): nothing in it outlives the request, so
 * one buyer's view can never leak into another's through it.
 *
 * @module
 */
import type { Principal } from '../domain/principal.ts';
import type { ErpConnector, ErpPriority } from '../ports/erp-connector.ts';
import type { Logger } from '../ports/logger.ts';
import { ErpReader } from './erp-reader.ts';
import type { ReadThroughCache } from './read-through-cache.ts';

/** The long-lived parts a scope's reader reads through. */
export interface ScopeBackend {
  erp: ErpConnector;
  cache: ReadThroughCache;
  /** The largest keys list sent to the ERP in one call (ERPs cap list filters). */
  maxBatchSize: number;
}

/** Who asks, for which customer, and this request's ERP reads. */
export interface RequestScope {
  readonly principal: Principal;
  /** The customer the request acts for, already authorized; `null` when none is named. */
  readonly customerId: string | null;
  /** This request's ERP reads: per-request loaders that batch each tick and memoize. */
  readonly reader: ErpReader;
  /** The ERP budget priority of the reader's calls: `read` for browsing, `order` while placing one. */
  readonly priority: ErpPriority;
  /** The `Idempotency-Key` header, used when an order's input carries no key. */
  readonly idempotencyKey: string | null;
  /** Customers already read in this request, so 48 prices share one account object. */
  readonly customers: Map<string, unknown>;
  /** This request's id (the `X-Request-Id` answered), quoted in errors whose detail went to the log. */
  readonly requestId: string;
  /** This request's logger, bound to its id: for what it causes (orders placed, ERP calls). */
  readonly log: Logger;
}

/** What opening a scope needs; everything but the principal has a default. */
export interface ScopeInit {
  principal: Principal;
  /** Default `null`: no customer named (or not yet authorized). */
  customerId?: string | null;
  idempotencyKey?: string | null;
  /** Default `read`. */
  priority?: ErpPriority;
  /** The request's id; default a new one. */
  requestId?: string;
  /** The request's logger (a child bound to its id); its reader's ERP calls are logged on it. */
  log: Logger;
}

/** Opens a request's scope: a fresh reader (its loaders and memo) at the scope's priority. */
export function openRequestScope(backend: ScopeBackend, init: ScopeInit): RequestScope {
  const priority = init.priority ?? 'read';
  return {
    principal: init.principal,
    customerId: init.customerId ?? null,
    reader: new ErpReader(backend.erp, backend.cache, { maxBatchSize: backend.maxBatchSize, priority, log: init.log }),
    priority,
    idempotencyKey: init.idempotencyKey ?? null,
    customers: new Map(),
    requestId: init.requestId ?? crypto.randomUUID(),
    log: init.log,
  };
}

/**
 * The same scope acting for `customerId`, once the request has been authorized for it: the reader
 * and memo are shared (the authorization's own reads, a rep's assignments, are not read twice).
 */
export function actingFor(scope: RequestScope, customerId: string | null): RequestScope {
  return { ...scope, customerId };
}

/**
 * The same request at another ERP priority: same principal, customer and key, with a reader of its
 * own, since a reader's loaders are bound to one priority. An order's reads wait at `order`,
 * ahead of catalog browsing, even when the request that places it was opened at `read`.
 */
export function atPriority(backend: ScopeBackend, scope: RequestScope, priority: ErpPriority): RequestScope {
  if (scope.priority === priority) return scope;
  return openRequestScope(backend, {
    principal: scope.principal,
    customerId: scope.customerId,
    idempotencyKey: scope.idempotencyKey,
    priority,
    requestId: scope.requestId,
    log: scope.log,
  });
}
