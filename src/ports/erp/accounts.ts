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
  /**
   * The login or e-mail of the account's primary contact in the ERP (the person the ERP writes to
   * about the account), `null` when the ERP names none. erpfront compares it, case-insensitively,
   * with a buyer token's `sub`: while the company has no admin yet, the primary contact is made
   * its admin on first sight (identity providers that use e-mail subjects make this match).
   */
  primaryContact: string | null;
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

/** An address of a new customer, as the applicant gave it (the ERP assigns its id). */
export interface NewCustomerAddress {
  /** What the company calls the site, e.g. "Head office"; may be empty. */
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** A customer account as erpfront asks the ERP to create it (a company registration ops approved). */
export interface NewCustomerRequest {
  /**
   * erpfront's reference of the registration, stored by the ERP with the account so that after an
   * ambiguous failure (a timeout, a lost reply) the account is looked up by it before any retry.
   */
  externalRef: string;
  name: string;
  /** The company's tax or VAT number, as the applicant gave it. */
  taxId: string;
  /** At least one; the first is the default (invoicing and shipping) address. */
  addresses: NewCustomerAddress[];
  /** The first contact: who the ERP writes to about the account. */
  contact: { name: string; email: string };
  /** The ERP's price list for new customers (configuration); `null`: list prices only. */
  priceListId: string | null;
  /** The ERP's payment terms for new customers (configuration); `null`: the ERP's own default. */
  paymentTermsCode: string | null;
}

/** A customer account the ERP created, as far as erpfront needs it. */
export interface CreatedCustomer {
  /** The ERP's customer id (what a buyer token's `customerId` names). */
  id: string;
  externalRef: string;
  name: string;
}

/**
 * Creates customer accounts (capability `accounts`), exactly once by external reference: as with
 * orders, a create whose outcome is unknown is resolved by {@link findCustomerByExternalRef}
 * before it is sent again.
 */
export interface ErpAccountCreation {
  /**
   * Creates the account with its addresses, price list and payment terms. A refusal (an unknown
   * price list or payment term, an address the ERP will not take) rejects with `ERP_REJECTED` and
   * the ERP's reason; an ERP that refuses a second account with one reference rejects with
   * `ERP_DUPLICATE_REF`; an ambiguous failure rejects with a transient code, and the account may
   * or may not exist.
   */
  createCustomer(request: NewCustomerRequest, options?: ErpCallOptions): Promise<CreatedCustomer>;
  /** The account created with this external reference, or `null` (the oldest, should there be several). */
  findCustomerByExternalRef(externalRef: string, options?: ErpCallOptions): Promise<CreatedCustomer | null>;
}
