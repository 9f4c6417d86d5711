/**
 * Capability `quotes`: requests for quotation (RFQ) as ERP quotations. erpfront enters a buyer's
 * request under its own reference (exactly once, through the outbox); sales answer it in the ERP
 * (prices per line, a validity date); the buyer's answer (accept, decline, ask for a revision) is
 * recorded on the quotation, again under a reference of erpfront's, so that a response sent twice
 * is recorded once.
 *
 * @module
 */
import type { CurrencyCode, DecimalString, ErpCallOptions, IsoDate } from '../erp-connector.ts';

/**
 * Where a quotation stands in the ERP. `REQUESTED`: sales have not answered (or are revising it);
 * `QUOTED`: priced, valid until `validUntil`; `ACCEPTED`: the buyer ordered it (`orderRef`);
 * `DECLINED` by the buyer; `EXPIRED`: quoted, and `validUntil` has passed; `WITHDRAWN` by sales.
 */
export type ErpQuoteStatus = 'REQUESTED' | 'QUOTED' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED' | 'WITHDRAWN';

export const ERP_QUOTE_STATUSES: readonly ErpQuoteStatus[] = ['REQUESTED', 'QUOTED', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN'];

/** A request for quotation as erpfront enters it. */
export interface ErpQuoteRequest {
  /** erpfront's id of the request: the quotation's external reference, looked up after an ambiguous failure. */
  externalRef: string;
  customerId: string;
  note: string | null;
  lines: Array<{ sku: string; quantity: number }>;
}

export interface ErpQuoteLine {
  sku: string;
  quantity: number;
  /** The quoted unit price; `null` until sales answer. */
  unitPrice: DecimalString | null;
}

/** What the buyer answered, as recorded on the quotation. */
export interface ErpQuoteResponse {
  /** erpfront's reference of the response: a response with a reference the ERP holds is not recorded again. */
  ref: string;
  action: 'ACCEPT' | 'DECLINE' | 'REVISE';
  /** The buyer's words (a revision request's). */
  note: string | null;
  /** For `ACCEPT`: erpfront's order id (the order's external reference). */
  orderRef: string | null;
}

/** A quotation as the ERP holds it. */
export interface ErpQuote {
  /** The ERP's own quotation number. */
  number: string;
  externalRef: string;
  customerId: string;
  status: ErpQuoteStatus;
  note: string | null;
  currency: CurrencyCode;
  /** UTC ISO 8601. */
  createdAt: string;
  /** The last day the prices hold (inclusive); `null` until quoted. */
  validUntil: IsoDate | null;
  lines: ErpQuoteLine[];
  /** Sum of quantity × unit price, once every line is priced. */
  total: DecimalString | null;
  /** The buyer's responses recorded so far, oldest first. */
  responses: Array<ErpQuoteResponse & { at: string }>;
}

/** Enters quotation requests, reads quotations back, records the buyer's responses. */
export interface ErpQuotes {
  /**
   * Enters a request for quotation. A business refusal (an unknown customer or item) rejects with
   * `ERP_REJECTED`; an ambiguous failure leaves it in doubt: look it up by `externalRef` first.
   */
  createQuote(request: ErpQuoteRequest, options?: ErpCallOptions): Promise<ErpQuote>;
  /** The quotation with this external reference, or `null` when the ERP has none. */
  findQuoteByExternalRef(externalRef: string, options?: ErpCallOptions): Promise<ErpQuote | null>;
  /** The quotations of these external references (those the ERP has), in one call per batch. */
  getQuotes(externalRefs: readonly string[], options?: ErpCallOptions): Promise<ErpQuote[]>;
  /**
   * Records the buyer's response on quotation `number`, once per `response.ref` (the same ref
   * again answers the quotation as it stands). Rejects with `ERP_REJECTED` (`QUOTE_NOT_OPEN`,
   * `QUOTE_EXPIRED`) when the quotation cannot take it.
   */
  respondToQuote(number: string, response: ErpQuoteResponse, options?: ErpCallOptions): Promise<ErpQuote>;
}
