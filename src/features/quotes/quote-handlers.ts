/**
 * How the quote writes reach the ERP through the outbox: `quote.create` enters a request for
 * quotation under the quote's id; `quote.respond` records the buyer's response (accept, decline,
 * revise) under the response's id. Both are found by their reference after an ambiguous failure.
 *
 * @module
 */
import type { ErpConnector, ErpQuoteResponse } from '../../ports/erp-connector.ts';
import type { OutboxEntry } from '../../ports/outbox-store.ts';
import type { OutboxHandler } from '../../services/outbox/outbox-dispatcher.ts';

export const QUOTE_CREATE = 'quote.create';
export const QUOTE_RESPOND = 'quote.respond';

/** What `quote.create` carries. */
export interface QuoteCreatePayload {
  note: string | null;
  lines: Array<{ sku: string; quantity: number }>;
  [key: string]: unknown;
}

/** What `quote.respond` carries: the quote (its id and ERP number) and the response. */
export interface QuoteRespondPayload {
  quoteId: string;
  quoteNumber: string;
  action: ErpQuoteResponse['action'];
  note: string | null;
  orderRef: string | null;
  [key: string]: unknown;
}

export function quoteCreateHandler(erp: ErpConnector): OutboxHandler {
  return {
    async send(entry, { sendBy, log }) {
      const payload = entry.payload as QuoteCreatePayload;
      const quote = await erp.createQuote(
        { externalRef: entry.id, customerId: entry.customerId!, note: payload.note, lines: payload.lines },
        { priority: 'order', sendBy, log },
      );
      return { erpQuoteNumber: quote.number };
    },
    async find(entry, { log }) {
      const quote = await erp.findQuoteByExternalRef(entry.id, { priority: 'order', log });
      return quote ? { erpQuoteNumber: quote.number } : null;
    },
  };
}

export function quoteRespondHandler(erp: ErpConnector): OutboxHandler {
  const response = (entry: OutboxEntry): ErpQuoteResponse => {
    const payload = entry.payload as QuoteRespondPayload;
    return { ref: entry.id, action: payload.action, note: payload.note, orderRef: payload.orderRef };
  };
  return {
    async send(entry, { sendBy, log }) {
      const quote = await erp.respondToQuote((entry.payload as QuoteRespondPayload).quoteNumber, response(entry), { priority: 'order', sendBy, log });
      return { status: quote.status };
    },
    async find(entry, { log }) {
      const quote = await erp.findQuoteByExternalRef((entry.payload as QuoteRespondPayload).quoteId, { priority: 'order', log });
      return quote?.responses.some((r) => r.ref === entry.id) ? { status: quote.status } : null;
    },
  };
}
