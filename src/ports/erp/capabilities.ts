/**
 * The ERP port's capabilities by name, and the table of their methods.
 *
 * A connector has the capabilities its ERP offers and declares them (`defineErpConnector`); the
 * core asks `erp.supports('salesReps')` where it can do without one, and a call of a method the
 * connector lacks rejects with `ERP_NOT_SUPPORTED`. The table below lets one decorator wrap every
 * method (budget, breaker, metrics) without naming any of them.
 *
 * To add a capability (the ERP's change feed, quotes, returns): write its interface in a file of
 * this folder, add it to {@link ErpCapabilities} and its methods to {@link ERP_METHODS} (the
 * compiler refuses a table that misses one), and let the connectors that have it declare it.
 * Nothing in the decorator or the links changes.
 *
 * @module
 */
import type { ErpAccountCreation, ErpCustomers, ErpSalesReps } from './accounts.ts';
import type { ErpAccountActivity } from './activity.ts';
import type { ErpChangeFeed } from './changes.ts';
import type { ErpCheckout } from './checkout.ts';
import type { ErpCatalog } from './catalog.ts';
import type { ErpInvoices } from './invoices.ts';
import type { ErpPing } from './health.ts';
import type { ErpOrderCancellation, ErpOrders } from './orders.ts';
import type { ErpPricing } from './pricing.ts';
import type { ErpQuotes } from './quotes.ts';
import type { ErpReturns } from './returns.ts';
import type { ErpStock } from './stock.ts';

/** Every capability a connector may have, by name. */
export interface ErpCapabilities {
  /** `ping`: every connector has it. */
  health: ErpPing;
  catalog: ErpCatalog;
  pricing: ErpPricing;
  stock: ErpStock;
  customers: ErpCustomers;
  salesReps: ErpSalesReps;
  /** Creates customer accounts (company registrations), exactly once by external reference. */
  accounts: ErpAccountCreation;
  orders: ErpOrders;
  orderCancellation: ErpOrderCancellation;
  /** What changed since a cursor: for ERPs that send no webhooks (Tryton), polled by a job. */
  changes: ErpChangeFeed;
  /** Requests for quotation as ERP quotations, and the buyer's responses to them. */
  quotes: ErpQuotes;
  /** Return requests (RMA) for shipped order lines, through to their credit memo. */
  returns: ErpReturns;
  /** An order's totals (tax, shipping) as the ERP computes them, entering nothing: the checkout preview. */
  checkout: ErpCheckout;
  /** Open orders and unpaid invoices of many customers at once (a sales rep's home page). */
  accountActivity: ErpAccountActivity;
  /** A customer's invoices and credit memos, and their documents. */
  invoices: ErpInvoices;
}

export type ErpCapability = keyof ErpCapabilities;

/** Every capability's name, in a stable order (declaration order above). */
export const ERP_CAPABILITIES = Object.keys({
  health: true,
  catalog: true,
  pricing: true,
  stock: true,
  customers: true,
  salesReps: true,
  accounts: true,
  orders: true,
  orderCancellation: true,
  changes: true,
  quotes: true,
  returns: true,
  checkout: true,
  accountActivity: true,
  invoices: true,
} satisfies Record<ErpCapability, true>) as readonly ErpCapability[];

/** The methods of every capability, flat: what the core calls on a connector. */
export type ErpMethods = ErpPing &
  ErpCatalog &
  ErpPricing &
  ErpStock &
  ErpCustomers &
  ErpSalesReps &
  ErpAccountCreation &
  ErpOrders &
  ErpOrderCancellation &
  ErpChangeFeed &
  ErpQuotes &
  ErpReturns &
  ErpCheckout &
  ErpAccountActivity &
  ErpInvoices;

export type ErpMethodName = keyof ErpMethods;

/** The capability a method belongs to. */
type CapabilityOf<M extends ErpMethodName> = { [C in ErpCapability]: M extends keyof ErpCapabilities[C] ? C : never }[ErpCapability];

/** What the decorator needs to know about a method without knowing the method. */
export interface ErpMethodInfo<M extends ErpMethodName = ErpMethodName> {
  capability: CapabilityOf<M>;
  /** How many parameters it takes; the call options (`ErpCallOptions`) are always the last. */
  arity: Required<Parameters<ErpMethods[M]>>['length'];
  /** Whether its first parameter is a list of keys: a batch read, whose key count is recorded. */
  batch: Parameters<ErpMethods[M]>[0] extends readonly unknown[] ? true : false;
}

/**
 * Every method of the port. Typed so that the compiler checks each entry against the interfaces:
 * a method missing here, a wrong capability, arity or batch flag does not compile.
 */
export const ERP_METHODS: { readonly [M in ErpMethodName]: ErpMethodInfo<M> } = {
  ping: { capability: 'health', arity: 1, batch: false },
  getItems: { capability: 'catalog', arity: 2, batch: true },
  searchItems: { capability: 'catalog', arity: 2, batch: false },
  getPrices: { capability: 'pricing', arity: 2, batch: true },
  getStock: { capability: 'stock', arity: 2, batch: true },
  getCustomers: { capability: 'customers', arity: 2, batch: true },
  getSalesReps: { capability: 'salesReps', arity: 2, batch: true },
  createCustomer: { capability: 'accounts', arity: 2, batch: false },
  findCustomerByExternalRef: { capability: 'accounts', arity: 2, batch: false },
  createOrder: { capability: 'orders', arity: 2, batch: false },
  findOrderByExternalRef: { capability: 'orders', arity: 2, batch: false },
  findOrdersByExternalRef: { capability: 'orders', arity: 2, batch: false },
  listOrders: { capability: 'orders', arity: 3, batch: false },
  cancelOrder: { capability: 'orderCancellation', arity: 2, batch: false },
  changeCursorNow: { capability: 'changes', arity: 1, batch: false },
  changesSince: { capability: 'changes', arity: 3, batch: false },
  createQuote: { capability: 'quotes', arity: 2, batch: false },
  findQuoteByExternalRef: { capability: 'quotes', arity: 2, batch: false },
  getQuotes: { capability: 'quotes', arity: 2, batch: true },
  respondToQuote: { capability: 'quotes', arity: 3, batch: false },
  createReturn: { capability: 'returns', arity: 2, batch: false },
  findReturnByExternalRef: { capability: 'returns', arity: 2, batch: false },
  getReturns: { capability: 'returns', arity: 2, batch: true },
  quoteTotals: { capability: 'checkout', arity: 2, batch: false },
  getOpenOrderSummaries: { capability: 'accountActivity', arity: 2, batch: true },
  getOpenInvoices: { capability: 'accountActivity', arity: 2, batch: true },
  getInvoices: { capability: 'invoices', arity: 2, batch: true },
  getInvoiceDocument: { capability: 'invoices', arity: 2, batch: false },
};

/** The method names, in the table's order. */
export const ERP_METHOD_NAMES = Object.keys(ERP_METHODS) as readonly ErpMethodName[];
