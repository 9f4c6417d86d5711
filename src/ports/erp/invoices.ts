/**
 * Capability `invoices`: a customer's invoices and credit memos as the ERP books them (open, paid,
 * what is still owed), and the document the ERP renders for one, streamed.
 *
 * Amounts are signed: a credit memo's `total` and `openAmount` are negative, so a customer's open
 * balance is the plain sum of the open amounts (Tryton books credit notes the same way).
 *
 * @module
 */
import type { CurrencyCode, DecimalString, ErpCallOptions, IsoDate } from '../erp-connector.ts';

/** One invoice or credit memo of a customer. */
export interface ErpInvoice {
  /** The ERP's own number, unique across customers (e.g. `INV-100001`). */
  number: string;
  kind: 'INVOICE' | 'CREDIT_MEMO';
  customerId: string;
  issuedAt: IsoDate;
  /** When the open amount falls due; a credit memo's is its issue date unless the ERP says otherwise. */
  dueDate: IsoDate;
  /** Signed: negative for a credit memo. */
  total: DecimalString;
  /** What is still owed (signed like `total`); `0` once paid. */
  openAmount: DecimalString;
  currency: CurrencyCode;
  /** `PAID` once nothing is owed; overdue is not a state but a reading of `dueDate` against today. */
  state: 'OPEN' | 'PAID';
  /** The ERP's number of the order it bills, when it bills one. */
  orderNumber: string | null;
  /** That order's external reference: erpfront's order id for orders placed through erpfront. */
  orderExternalRef: string | null;
  /** Whether the ERP renders a document for it ({@link ErpInvoices.getInvoiceDocument}). */
  hasDocument: boolean;
}

/** A rendered invoice document, streamed as the ERP sends it. */
export interface ErpInvoiceDocument {
  /** Whose invoice it is: the caller checks access on it before sending a byte. */
  customerId: string;
  /** e.g. `application/pdf`; whatever the ERP renders. */
  contentType: string;
  /** A file name for `Content-Disposition`, e.g. `INV-100001.pdf`. */
  fileName: string;
  /** The size when the ERP says it. */
  byteLength: number | null;
  /** The bytes; cancel it when not sent on. */
  body: ReadableStream<Uint8Array>;
}

/** Reads invoices and their documents. */
export interface ErpInvoices {
  /**
   * Every invoice and credit memo of each customer, newest first: one list per customer id, in the
   * ids' order; an unknown customer fails alone with `ERP_NOT_FOUND`.
   */
  getInvoices(customerIds: readonly string[], options?: ErpCallOptions): Promise<Array<ErpInvoice[] | Error>>;
  /** The document of an invoice, or `null` when the ERP has no such invoice or renders none. */
  getInvoiceDocument(number: string, options?: ErpCallOptions): Promise<ErpInvoiceDocument | null>;
}
