/**
 * Capabilities `orders` (enter orders, find them by erpfront's reference, list a customer's) and
 * `orderCancellation` (cancel one that has not shipped).
 *
 * @module
 */
import type { CurrencyCode, DecimalString, ErpCallOptions, IsoDate } from '../erp-connector.ts';
import type { ErpOrderTotals } from './checkout.ts';

/** How an order is paid. */
export type OrderPayment =
  | { method: 'ON_ACCOUNT' }
  /** A card authorized by a payment gateway; the ERP captures it on invoicing. */
  | { method: 'CARD'; authorizationRef: string };

export interface ErpOrderLine {
  sku: string;
  quantity: number;
  /** The unit price erpfront quoted and the buyer accepted. */
  unitPrice: DecimalString;
  unitOfMeasure: string;
}

/** An order as erpfront submits it. */
export interface ErpOrderRequest {
  /**
   * erpfront's order id, stored by the ERP as the order's external reference: after an ambiguous
   * failure (a timeout, a lost reply) the order is looked up by it before any retry.
   */
  externalRef: string;
  customerId: string;
  poNumber: string | null;
  shipToId: string;
  requestedDate: IsoDate | null;
  currency: CurrencyCode;
  payment: OrderPayment;
  notes: string | null;
  lines: ErpOrderLine[];
}

/** Where an order stands in the ERP. */
export type ErpOrderStatus = 'OPEN' | 'ON_HOLD' | 'PARTIALLY_SHIPPED' | 'SHIPPED' | 'INVOICED' | 'CANCELLED';

export interface Shipment {
  id: string;
  carrier: string;
  trackingNumber: string;
  /** UTC ISO 8601. */
  shippedAt: string;
  lines: Array<{ sku: string; quantity: number }>;
}

export interface Invoice {
  number: string;
  kind: 'INVOICE' | 'CREDIT_MEMO';
  issuedAt: IsoDate;
  dueDate: IsoDate;
  total: DecimalString;
  currency: CurrencyCode;
  paid: boolean;
}

/**
 * Why the ERP holds an order (`ON_HOLD`): what a buyer is told when the ERP, not erpfront, keeps
 * the order from going ahead (Tryton: its credit limit refused to confirm the sale).
 */
export interface ErpHoldReason {
  /** A stable code, e.g. `CREDIT_LIMIT_EXCEEDED`; `AWAITING_CONFIRMATION` when the ERP gives no reason. */
  code: string;
  /** The ERP's words, fit for the buyer: one line, no internal detail. */
  message: string;
}

/** An order as the ERP holds it. */
export interface ErpOrder {
  /** The ERP's own order number. */
  number: string;
  externalRef: string | null;
  customerId: string;
  status: ErpOrderStatus;
  poNumber: string | null;
  /** UTC ISO 8601. */
  createdAt: string;
  currency: CurrencyCode;
  total: DecimalString;
  lines: Array<ErpOrderLine & { shippedQuantity: number }>;
  shipments: Shipment[];
  invoices: Invoice[];
  /**
   * Why the ERP holds the order, while it is `ON_HOLD`; `null` (or absent, for a connector whose
   * ERP never holds orders) otherwise.
   */
  holdReason?: ErpHoldReason | null;
  /**
   * The order's amounts as the ERP computed them (tax and shipping included), for a connector
   * whose ERP says; absent otherwise. `totals.total` is what the customer is invoiced for the order.
   */
  totals?: ErpOrderTotals | null;
}

/** How the ERP enters an order twice, or does not: what settles an order in doubt. */
export interface ErpOrderEntry {
  /**
   * Whether `createOrder` itself looks for an order with the same external reference and
   * completes it, rather than entering a second one (Tryton: a draft is quoted, a quotation
   * confirmed). For such a connector erpfront resolves an order in doubt by calling `createOrder`
   * again, so an entry cut short (a lost reply to Tryton's `confirm`) is completed instead of
   * being taken for the ERP's final word. Otherwise it looks the order up first.
   */
  readonly resumesOrderEntry: boolean;
  /**
   * Whether the ERP itself refuses a second order with an external reference it holds already
   * (NetSuite's `externalId`, Business Central's external document number check, SAP's
   * customer-PO duplicate check): `createOrder` then rejects with `ERP_DUPLICATE_REF`. With it,
   * an order in doubt can simply be sent again. Without it, "not found" by reference is trusted
   * only once no earlier attempt can still commit (`ERP_MAX_REQUEST_SECONDS`). The conformance
   * suite checks the declaration against the ERP.
   */
  readonly refusesDuplicateExternalRef: boolean;
}

/** Enters orders and reads them back. */
export interface ErpOrders {
  /**
   * Creates an order. A business refusal (credit hold, credit limit, an item the ERP will not
   * sell) rejects with `ERP_REJECTED` and the ERP's reason; an ambiguous failure (timeout, lost
   * reply) rejects with a transient code, and the order may or may not exist: look it up by
   * `externalRef` before trying again.
   */
  createOrder(order: ErpOrderRequest, options?: ErpCallOptions): Promise<ErpOrder>;
  /** The order with this external reference, or `null` when the ERP has none (the oldest, should it hold several). */
  findOrderByExternalRef(externalRef: string, options?: ErpCallOptions): Promise<ErpOrder | null>;
  /**
   * Every order with this external reference, oldest first: normally none or one. More than one
   * is a duplicate entry, which reconciliation reports (and cancels where it can).
   */
  findOrdersByExternalRef(externalRef: string, options?: ErpCallOptions): Promise<ErpOrder[]>;
  /** A customer's orders in the ERP, newest first. */
  listOrders(customerId: string, page: { offset: number; limit: number }, options?: ErpCallOptions): Promise<{ orders: ErpOrder[]; total: number }>;
}

/** Cancels orders. */
export interface ErpOrderCancellation {
  /**
   * Cancels an order that has not shipped. Resolves with the order as it then stands; rejects
   * with `ERP_REJECTED` when the ERP will not cancel it.
   */
  cancelOrder(number: string, options?: ErpCallOptions): Promise<ErpOrder>;
}
