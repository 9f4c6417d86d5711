/**
 * The ERP port: everything erpfront reads from (and, later, writes to) the system of record.
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

/** A catalog item (product) as the ERP knows it. */
export interface Item {
  sku: string;
  name: string;
  description: string;
  /** UN/CEFACT-style unit code the item is sold in: `EA`, `BX`, `PK`, `MTR`, `KGM`, `LTR`... */
  unitOfMeasure: string;
  category: string;
  /** False when the ERP no longer sells the item at all. */
  salable: boolean;
  /**
   * Price lists whose customers may buy this item; `null` when anyone may. An item outside the
   * buyer's price list is "not sold to this customer".
   */
  restrictedToPriceLists: string[] | null;
}

/** One page of a catalog search. */
export interface ItemSearch {
  /** Free text matched against SKU, name and description (case-insensitive). */
  text?: string;
  category?: string;
  /** Zero-based position of the first result. */
  offset: number;
  limit: number;
}

export interface ItemSearchPage {
  items: Item[];
  /** Number of items matching the search in total. */
  total: number;
}

export interface Address {
  id: string;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  isDefault: boolean;
}

export interface PaymentTerms {
  code: string;
  description: string;
  /** Days from invoice to due date. */
  netDays: number;
}

/** The ERP's credit figures for a customer account, in the account's currency. */
export interface CreditFigures {
  /** `null` when the ERP sets the customer no limit (it never refuses an order for credit). */
  limit: DecimalString | null;
  /** Invoiced and not yet paid. */
  balance: DecimalString;
  /** Ordered and not yet invoiced. */
  openOrders: DecimalString;
  onHold: boolean;
  holdReason: string | null;
}

/** A company account (a customer) with its commercial terms and credit. */
export interface CustomerAccount {
  id: string;
  name: string;
  currency: CurrencyCode;
  /** The price list shared by the customer's group, if any. */
  priceListId: string | null;
  /** Whether the customer has any contract prices; lets erpfront skip looking for them. */
  hasContractPrices: boolean;
  paymentTerms: PaymentTerms;
  /** Whether the account requires a purchase-order number on every order. */
  poRequired: boolean;
  shipTos: Address[];
  credit: CreditFigures;
}

/** A sales representative and the customers assigned to them. */
export interface SalesRep {
  id: string;
  name: string;
  customerIds: string[];
}

/**
 * Where a price comes from, most specific first. A contract price is agreed with one customer; a
 * price list is shared by a group of customers; the list price is the same for everybody in a
 * currency.
 */
export type PriceScope = 'contract' | 'priceList' | 'list';

/**
 * The key of one price entry: a SKU within a scope. `scopeId` is the customer id for `contract`,
 * the price list id for `priceList`, and the currency code for `list`.
 */
export interface PriceKey {
  scope: PriceScope;
  scopeId: string;
  sku: string;
}

/** A unit price from a minimum quantity on. */
export interface QuantityBreak {
  minQuantity: number;
  unitPrice: DecimalString;
}

/** The prices of one SKU in one scope. */
export interface PriceEntry {
  sku: string;
  scope: PriceScope;
  scopeId: string;
  currency: CurrencyCode;
  /** Sorted by `minQuantity`, ascending; never empty. */
  breaks: QuantityBreak[];
}

export interface IncomingReceipt {
  /** Expected arrival date. */
  date: IsoDate;
  quantity: number;
}

export interface WarehouseStock {
  code: string;
  onHand: number;
  /** Allocated to open orders. */
  reserved: number;
  /** Kept back for emergencies; never promised. */
  safetyStock: number;
  /** Expected receipts, by date. */
  incoming: IncomingReceipt[];
}

/** Stock of one SKU across the warehouses, with its replenishment lead time. */
export interface StockRecord {
  sku: string;
  /** Days to replenish from the supplier; `null` when the item is not replenished any more. */
  leadTimeDays: number | null;
  warehouses: WarehouseStock[];
}

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
}

/** A connector to one ERP. Every connector passes the conformance suite in `test/contract/`. */
export interface ErpConnector {
  /** Short name for logs and metrics, e.g. `"sandbox"`. */
  readonly name: string;
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
  getItems(skus: readonly string[], options?: ErpCallOptions): Promise<Array<Item | Error>>;
  searchItems(search: ItemSearch, options?: ErpCallOptions): Promise<ItemSearchPage>;
  getCustomers(ids: readonly string[], options?: ErpCallOptions): Promise<Array<CustomerAccount | Error>>;
  getSalesReps(ids: readonly string[], options?: ErpCallOptions): Promise<Array<SalesRep | Error>>;
  /** `null` for a key means "no price in that scope": normal, the next scope applies. */
  getPrices(keys: readonly PriceKey[], options?: ErpCallOptions): Promise<Array<PriceEntry | null | Error>>;
  getStock(skus: readonly string[], options?: ErpCallOptions): Promise<Array<StockRecord | Error>>;
  /** Resolves when the ERP answers; rejects with an {@link ErpError} when it does not. */
  ping(options?: ErpCallOptions): Promise<void>;

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
  /**
   * Cancels an order that has not shipped, where the connector can (optional). Resolves with the
   * order as it then stands; rejects with `ERP_REJECTED` when the ERP will not cancel it.
   */
  cancelOrder?(number: string, options?: ErpCallOptions): Promise<ErpOrder>;
  /** A customer's orders in the ERP, newest first. */
  listOrders(customerId: string, page: { offset: number; limit: number }, options?: ErpCallOptions): Promise<{ orders: ErpOrder[]; total: number }>;
}
