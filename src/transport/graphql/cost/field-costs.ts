/**
 * What each field of the schema costs beyond the defaults: which fields read from the ERP (and
 * which kind of read, so that a read served from the cache can be given back), and which lists
 * are sized by an argument. Fields not listed follow the defaults of `query-cost.ts`: a scalar or
 * enum costs nothing, an object one point, a list of objects as much as one of them (its items
 * come with the record that holds them: `warehouses`, `breaks`, `lines`).
 *
 * @module
 */

/**
 * A kind of ERP read. All but `live` go through the read-through cache, so the request's reader
 * can tell whether they reached the ERP (see `ErpReader.erpReads`); `live` reads (orders, asked of
 * the ERP every time) always do.
 */
export type ErpRead = 'items' | 'prices' | 'stock' | 'accounts' | 'search' | 'activity' | 'invoices' | 'live';

export const ERP_READS: readonly ErpRead[] = ['items', 'prices', 'stock', 'accounts', 'search', 'activity', 'invoices', 'live'];

/** How many items a field returns, from its arguments. */
export type ListSize =
  /** As many as a list argument holds (`products(skus:)`). */
  | { list: string }
  /** An integer argument (`first`), with the schema's default; values above `max` are refused by the resolver, so they count as `max`. */
  | { count: string; default: number; max: number }
  /** No argument says: an assumption (a rep's assigned customers). */
  | { assumed: number };

export interface FieldCost {
  /** The field reads from the ERP: once per item it returns, or once for its whole page (`page`). */
  erp?: ErpRead;
  /** How many items it returns. */
  size?: ListSize;
  /**
   * The field returns a page (a connection): its `erp` read is one call, and `size` sizes the
   * page's list fields (`edges`), not the connection itself.
   */
  page?: boolean;
  /** Its items are products: each counts toward the request's total of SKUs (MAX_SKUS_PER_REQUEST). */
  products?: boolean;
}

/** By `Type.field`. */
export const FIELD_COSTS: Readonly<Record<string, FieldCost>> = {
  'Query.products': { erp: 'items', size: { list: 'skus' }, products: true },
  'Query.product': { erp: 'items', products: true },
  'Query.searchProducts': { erp: 'search', size: { count: 'first', default: 20, max: 100 }, page: true, products: true },
  'Query.order': { erp: 'live' },
  'Query.orders': { erp: 'live', size: { count: 'first', default: 20, max: 100 }, page: true },
  // Orders waiting in erpfront's own store: no ERP read, but as many as asked for.
  'Query.orderQueue': { size: { count: 'first', default: 100, max: 1000 } },
  // Company accounts: read from erpfront's own store (the company's name and currency from the account).
  'Query.ordersAwaitingApproval': { size: { count: 'first', default: 20, max: 100 }, page: true },
  'Viewer.company': { erp: 'accounts' },
  'Company.buyers': { size: { count: 'first', default: 500, max: 10_000 } },
  // Company registrations in erpfront's own store (operations): no ERP read, as many as asked for.
  'Query.companyApplications': { size: { count: 'first', default: 20, max: 100 }, page: true },
  // The account holds the credit position: `creditStatus` is read with it.
  'Viewer.customer': { erp: 'accounts' },
  'Viewer.assignedCustomers': { erp: 'accounts', size: { assumed: 10 } },
  // A rep's home: a page of assigned customers (their accounts one batched read), each with its
  // open orders and unpaid invoices (one batched read per kind for the page).
  'RepHome.customers': { erp: 'accounts', size: { count: 'first', default: 20, max: 50 }, page: true },
  'RepCustomer.openOrders': { erp: 'activity' },
  'RepCustomer.overdueInvoices': { erp: 'activity' },
  'Product.price': { erp: 'prices' },
  'Product.availability': { erp: 'stock' },
  // The checkout preview asks the ERP for the order's totals every time; its lines' prices and
  // stock are batched reads like a product's.
  'Query.checkoutPreview': { erp: 'live' },
  'Query.reorder': { erp: 'live' },
  'Query.reorderQuote': { erp: 'live' },
  'CheckoutLine.price': { erp: 'prices' },
  'CheckoutLine.availability': { erp: 'stock' },
  // A customer's invoices are one cached read, filtered and paged by erpfront; the statement reads the same list.
  'Query.invoices': { erp: 'invoices', size: { count: 'first', default: 20, max: 100 }, page: true },
  'Query.accountStatement': { erp: 'invoices' },
};

/** Points, as Shopify counts them, plus the ERP's share. */
export const COST_WEIGHTS = {
  /** An object (or one item of a list of objects). */
  object: 1,
  /** Added to an object the ERP is asked for: what a cache hit gives back. */
  erpRead: 2,
  /** A mutation field, whatever it selects: its work is its own (an order is priced, checked, written). */
  mutation: 10,
} as const;
