/**
 * Capabilities `customers` and `salesReps`: company accounts with their terms and credit, and the
 * sales reps they are assigned to. Two capabilities, not one: an ERP may know customers and assign
 * them to no rep (Tryton 6.0).
 *
 * @module
 */
import type { CurrencyCode, DecimalString, ErpCallOptions } from '../erp-connector.ts';

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

/** Reads customer accounts. */
export interface ErpCustomers {
  /** One account or one `ERP_NOT_FOUND` error per id, in the ids' order. */
  getCustomers(ids: readonly string[], options?: ErpCallOptions): Promise<Array<CustomerAccount | Error>>;
}

/** Reads sales reps and their customers. */
export interface ErpSalesReps {
  /** One rep or one `ERP_NOT_FOUND` error per id, in the ids' order. */
  getSalesReps(ids: readonly string[], options?: ErpCallOptions): Promise<Array<SalesRep | Error>>;
}
