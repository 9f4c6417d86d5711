/**
 * Capability `accountActivity`: what is going on in many customers' accounts at once — their open
 * orders and their unpaid invoices — batched by customer, for overviews such as a sales rep's home
 * page (twenty customers, one call per kind, not one per customer).
 *
 * An ERP answers these from its sales-order and receivables tables filtered by a customer list
 * (OData `$filter=customerId in (...)`, SuiteQL `IN`), where a per-customer `listOrders` would take
 * one call per customer and page through every order ever placed.
 *
 * @module
 */
import type { CurrencyCode, DecimalString, ErpCallOptions } from '../erp-connector.ts';
import type { Invoice } from './orders.ts';

/** A customer's orders entered in the ERP and not yet invoiced or cancelled. */
export interface OpenOrderSummary {
  customerId: string;
  count: number;
  /** Their total, in `currency` (the customer's). */
  total: DecimalString;
  currency: CurrencyCode;
}

/** An unpaid invoice (or credit memo) of a customer. */
export interface OpenInvoice extends Invoice {
  /** The ERP's number of the order it invoices; `null` for one of no order (e.g. a service charge). */
  orderNumber: string | null;
}

/** A customer's unpaid invoices: what overdue means is decided by the caller, against its today. */
export interface CustomerOpenInvoices {
  customerId: string;
  invoices: OpenInvoice[];
}

/** Reads account activity by customer. */
export interface ErpAccountActivity {
  /** One summary (zero orders is a summary) or one `ERP_NOT_FOUND` error per id, in the ids' order. */
  getOpenOrderSummaries(customerIds: readonly string[], options?: ErpCallOptions): Promise<Array<OpenOrderSummary | Error>>;
  /** One list (possibly empty) or one `ERP_NOT_FOUND` error per id, in the ids' order. */
  getOpenInvoices(customerIds: readonly string[], options?: ErpCallOptions): Promise<Array<CustomerOpenInvoices | Error>>;
}
