/**
 * Capability `returns`: return requests (RMA) for lines of a shipped order. erpfront enters a
 * buyer's request under its own reference (exactly once, through the outbox); the ERP moves it
 * through authorization, receipt and credit (a credit memo), or rejects or cancels it.
 *
 * @module
 */
import type { CurrencyCode, DecimalString, ErpCallOptions, IsoDate } from '../erp-connector.ts';

/**
 * Where a return stands in the ERP: `REQUESTED` (not yet reviewed), `AUTHORIZED` (the goods may
 * be sent back), `RECEIVED` (they arrived), `CREDITED` (a credit memo was issued: `creditMemo`),
 * `REJECTED` or `CANCELLED`.
 */
export type ErpReturnStatus = 'REQUESTED' | 'AUTHORIZED' | 'RECEIVED' | 'CREDITED' | 'REJECTED' | 'CANCELLED';

export interface ErpReturnLine {
  sku: string;
  quantity: number;
  /** A reason code of the configured list (RETURN_REASONS), e.g. `DAMAGED`. */
  reason: string;
}

/** A return request as erpfront enters it. */
export interface ErpReturnRequest {
  /** erpfront's id of the request: the return's external reference, looked up after an ambiguous failure. */
  externalRef: string;
  customerId: string;
  /** The external reference of the order the goods came with (erpfront's order id). */
  orderRef: string;
  lines: ErpReturnLine[];
}

/** The credit memo a return was credited with. */
export interface ErpCreditMemo {
  number: string;
  issuedAt: IsoDate;
  total: DecimalString;
  currency: CurrencyCode;
}

/** A return as the ERP holds it. */
export interface ErpReturn {
  /** The ERP's own return (RMA) number. */
  number: string;
  externalRef: string;
  customerId: string;
  orderRef: string;
  /** The ERP's number of the order. */
  orderNumber: string;
  status: ErpReturnStatus;
  /** UTC ISO 8601. */
  createdAt: string;
  lines: ErpReturnLine[];
  creditMemo: ErpCreditMemo | null;
}

/** Enters return requests and reads them back. */
export interface ErpReturns {
  /**
   * Enters a return request. A business refusal (more than shipped less returned:
   * `RETURN_QUANTITY_EXCEEDS_SHIPPED`; an unknown order) rejects with `ERP_REJECTED`; an
   * ambiguous failure leaves it in doubt: look it up by `externalRef` first.
   */
  createReturn(request: ErpReturnRequest, options?: ErpCallOptions): Promise<ErpReturn>;
  /** The return with this external reference, or `null` when the ERP has none. */
  findReturnByExternalRef(externalRef: string, options?: ErpCallOptions): Promise<ErpReturn | null>;
  /** The returns of these external references (those the ERP has), in one call per batch. */
  getReturns(externalRefs: readonly string[], options?: ErpCallOptions): Promise<ErpReturn[]>;
}
