/**
 * The sandbox ERP's quotations: requests for quotation entered by erpfront, answered by "sales"
 * through the control API, and the buyer's responses recorded once per reference. Like its orders,
 * the book does not deduplicate requests by external reference unless the sandbox was started with
 * its duplicate check (`uniqueExternalRefs`).
 *
 * A quoted quotation whose `validUntil` has passed (by the sandbox's clock) is `EXPIRED`.
 *
 * @module
 */
import Big from 'big.js';
import type { ErpQuote, ErpQuoteRequest, ErpQuoteResponse } from '../ports/erp-connector.ts';
import type { DataSet } from './data-set.ts';

/** A refusal, as the API answers it (422 with `reason`). */
export interface QuoteRefusal {
  reason: string;
  message: string;
}

export interface QuoteBook {
  create(request: ErpQuoteRequest): { ok: true; quote: ErpQuote } | { ok: false; refusal: QuoteRefusal };
  /** Every quotation with this reference, oldest first (normally none or one). */
  byExternalRef(externalRef: string): ErpQuote[];
  byNumber(number: string): ErpQuote | null;
  /** Records a response (once per `ref`). */
  respond(number: string, response: ErpQuoteResponse): ErpQuote | QuoteRefusal | 'unknown';
  /** Sales answer: prices per line (every line), valid until a date. */
  answer(number: string, answer: { lines: Array<{ sku: string; unitPrice: string }>; validUntil: string }): ErpQuote | QuoteRefusal | 'unknown';
  /** Sales withdraw a quotation not yet accepted. */
  withdraw(number: string): ErpQuote | QuoteRefusal | 'unknown';
  list(): ErpQuote[];
  reset(): void;
}

export function createQuoteBook(data: DataSet, now: () => Date): QuoteBook {
  let quotes: ErpQuote[] = [];
  const today = () => now().toISOString().slice(0, 10);
  /** The quotation as it stands now: quoted and past its validity is expired. */
  const current = (quote: ErpQuote): ErpQuote => {
    const copy = structuredClone(quote);
    if (copy.status === 'QUOTED' && copy.validUntil !== null && copy.validUntil < today()) copy.status = 'EXPIRED';
    return copy;
  };
  const find = (number: string) => quotes.find((q) => q.number === number);
  const total = (quote: ErpQuote) =>
    quote.lines.every((l) => l.unitPrice !== null)
      ? quote.lines.reduce((sum, l) => sum.plus(new Big(l.unitPrice!).times(l.quantity)), new Big(0)).toFixed(2)
      : null;

  return {
    create(request) {
      const customer = data.customersById.get(request.customerId);
      if (!customer) return { ok: false, refusal: { reason: 'UNKNOWN_CUSTOMER', message: `No customer ${request.customerId}` } };
      const unknown = request.lines.find((l) => !data.itemsBySku.has(l.sku));
      if (unknown) return { ok: false, refusal: { reason: 'UNKNOWN_SKU', message: `No item ${unknown.sku}` } };
      const quote: ErpQuote = {
        number: `QT-${String(quotes.length + 1).padStart(6, '0')}`,
        externalRef: request.externalRef,
        customerId: request.customerId,
        status: 'REQUESTED',
        note: request.note,
        currency: customer.currency,
        createdAt: now().toISOString(),
        validUntil: null,
        lines: request.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: null })),
        total: null,
        responses: [],
      };
      quotes.push(quote);
      return { ok: true, quote: current(quote) };
    },

    byExternalRef: (externalRef) => quotes.filter((q) => q.externalRef === externalRef).map(current),

    byNumber(number) {
      const quote = find(number);
      return quote ? current(quote) : null;
    },

    respond(number, response) {
      const quote = find(number);
      if (!quote) return 'unknown';
      // The same response again (a retry after a lost reply): recorded once, answered as it stands.
      if (quote.responses.some((r) => r.ref === response.ref)) return current(quote);
      const status = current(quote).status;
      if (response.action === 'ACCEPT') {
        if (status === 'EXPIRED') return { reason: 'QUOTE_EXPIRED', message: `Quotation ${number} expired on ${quote.validUntil}` };
        if (status !== 'QUOTED') return { reason: 'QUOTE_NOT_OPEN', message: `Quotation ${number} is ${status}, not QUOTED` };
        quote.status = 'ACCEPTED';
      } else {
        if (status !== 'REQUESTED' && status !== 'QUOTED') return { reason: 'QUOTE_NOT_OPEN', message: `Quotation ${number} is ${status}` };
        if (response.action === 'DECLINE') quote.status = 'DECLINED';
        else {
          // Back to sales: the prices given no longer hold.
          quote.status = 'REQUESTED';
          quote.validUntil = null;
          for (const line of quote.lines) line.unitPrice = null;
          quote.total = null;
        }
      }
      quote.responses.push({ ...response, at: now().toISOString() });
      return current(quote);
    },

    answer(number, answer) {
      const quote = find(number);
      if (!quote) return 'unknown';
      if (quote.status !== 'REQUESTED' && quote.status !== 'QUOTED') return { reason: 'QUOTE_NOT_OPEN', message: `Quotation ${number} is ${quote.status}` };
      const prices = new Map(answer.lines.map((l) => [l.sku, l.unitPrice]));
      const missing = quote.lines.find((l) => !prices.has(l.sku));
      if (missing) return { reason: 'LINE_NOT_PRICED', message: `No price for ${missing.sku}: every line is priced` };
      for (const line of quote.lines) line.unitPrice = prices.get(line.sku)!;
      quote.total = total(quote);
      quote.validUntil = answer.validUntil;
      quote.status = 'QUOTED';
      return current(quote);
    },

    withdraw(number) {
      const quote = find(number);
      if (!quote) return 'unknown';
      if (quote.status === 'ACCEPTED') return { reason: 'QUOTE_NOT_OPEN', message: `Quotation ${number} is accepted` };
      quote.status = 'WITHDRAWN';
      return current(quote);
    },

    list: () => quotes.map(current),

    reset() {
      quotes = [];
    },
  };
}
