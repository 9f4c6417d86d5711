/**
 * The ERP port: everything erpfront reads from and writes to the system of record. The port is
 * split by capability in `erp/` (catalog, pricing, stock, accounts, orders, health; see
 * `erp/capabilities.ts`); this module gathers it under one name, with the options every call takes.
 *
 * Batch-first, after DataLoader's contract: every `get*` takes a list of keys and resolves to a
 * list of the same length and order, holding for each key either its value or an `Error` for that
 * key alone (an unknown SKU fails that SKU, not the page). A whole call fails only when the ERP
 * could not answer at all; it then rejects with an {@link ErpError}.
 *
 * Connectors validate the ERP's wire data before it crosses this port: a value typed here is a
 * value the domain can trust. Quantities are plain numbers (units of measure may be fractional,
 * e.g. metres); money is always a decimal string, never a binary float.
 *
 * @module
 */
import type { Logger } from './logger.ts';

/** A decimal amount as a string, e.g. `"1234.50"`. Never a JavaScript number. */
export type DecimalString = string;

/** An ISO 4217 currency code, e.g. `"USD"`. */
export type CurrencyCode = string;

/** A calendar date in UTC, `YYYY-MM-DD`. */
export type IsoDate = string;

/**
 * Who waits on an ERP call, most urgent first: order submission, then order status, then price and
 * availability reads, then background work (cache refreshes). The ERP budget serves them in this
 * order, so reads never starve order submissions.
 */
export type ErpPriority = 'order' | 'status' | 'read' | 'background';

/** Options every ERP call accepts. */
export interface ErpCallOptions {
  /** Cancels the call (the caller gave up, or its own deadline passed). */
  signal?: AbortSignal;
  /** Defaults to `read`. Connectors ignore it; the ERP budget in front of them uses it. */
  priority?: ErpPriority;
  /**
   * Epoch ms after which the call must not be sent at all: a call still waiting for an ERP permit
   * then rejects with `ERP_NOT_SENT`. The order dispatcher sets it to the end of its lease, so an
   * order is never sent by an instance that no longer holds it (the lease is what bounds, for
   * everybody else, when its last attempt can have been sent).
   */
  sendBy?: number;
  /**
   * Where this call is logged: the caller's logger, bound to what caused it (a request's `reqId`,
   * an `orderId`). Connectors ignore it; the instrumentation in front of them writes the line.
   */
  log?: Logger;
}

// The port by capability, gathered here so that `ports/erp-connector.ts` stays the one import.
export type * from './erp/accounts.ts';
export type * from './erp/activity.ts';
export type * from './erp/catalog.ts';
export type * from './erp/checkout.ts';
export type * from './erp/health.ts';
export type * from './erp/invoices.ts';
export type * from './erp/orders.ts';
export type * from './erp/pricing.ts';
export type * from './erp/quotes.ts';
export type * from './erp/returns.ts';
export type * from './erp/stock.ts';
export {
  ERP_CAPABILITIES,
  ERP_METHODS,
  ERP_METHOD_NAMES,
  type ErpCapabilities,
  type ErpCapability,
  type ErpMethodInfo,
  type ErpMethodName,
  type ErpMethods,
} from './erp/capabilities.ts';
export { defineErpConnector, notSupported, type ErpConnector, type ErpConnectorDefinition, type ErpConnectorInfo } from './erp/connector.ts';
