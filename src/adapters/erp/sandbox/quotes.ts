/**
 * The sandbox connector's quotation calls (capability `quotes`). Nothing here retries: a create
 * or response that failed ambiguously may have been committed; the outbox looks it up by its
 * reference before sending it again.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions, ErpQuote, ErpQuoteRequest, ErpQuoteResponse, ErpQuotes } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { chunks } from '../shared/batches.ts';
import type { HttpClient } from './http-client.ts';
import { currency, decimal, isoDate, key, parseWire, quantity, text } from './wire.ts';

/** The sandbox API's limit of references per call. */
const MAX_REFS = 500;

const QuoteWire = z.object({
  number: key,
  externalRef: key,
  customerId: key,
  status: z.enum(['REQUESTED', 'QUOTED', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN']),
  note: text.nullable(),
  currency,
  createdAt: z.string(),
  validUntil: isoDate.nullable(),
  lines: z.array(z.object({ sku: key, quantity, unitPrice: decimal.nullable() })),
  total: decimal.nullable(),
  responses: z.array(z.object({ ref: key, action: z.enum(['ACCEPT', 'DECLINE', 'REVISE']), note: text.nullable(), orderRef: key.nullable(), at: z.string() })),
}) satisfies z.ZodType<ErpQuote>;
const QuoteListWire = z.object({ value: z.array(QuoteWire) });

/** The capability `quotes` over one HTTP client. */
export function quoteCalls(http: HttpClient): ErpQuotes {
  return {
    async createQuote(request: ErpQuoteRequest, options?: ErpCallOptions): Promise<ErpQuote> {
      const quote = parseWire(QuoteWire, await http.post('createQuote', '/api/v1/quotes', request, options), 'createQuote');
      if (quote.externalRef !== request.externalRef) {
        throw new ErpError(
          'ERP_BAD_RESPONSE',
          `createQuote: the ERP answered quotation ${quote.number} (ref ${quote.externalRef}) for ${request.externalRef}`,
          {
            operation: 'createQuote',
          },
        );
      }
      return quote;
    },

    async findQuoteByExternalRef(externalRef: string, options?: ErpCallOptions): Promise<ErpQuote | null> {
      if (externalRef === '') throw new TypeError('findQuoteByExternalRef: expected a non-empty external reference');
      const answer = parseWire(QuoteListWire, await http.get('findQuoteByExternalRef', '/api/v1/quotes', { externalRef }, options), 'findQuoteByExternalRef');
      return answer.value.find((q) => q.externalRef === externalRef) ?? null;
    },

    async getQuotes(externalRefs: readonly string[], options?: ErpCallOptions): Promise<ErpQuote[]> {
      const unique = [...new Set(externalRefs)];
      const found: ErpQuote[] = [];
      for (const chunk of chunks(unique, MAX_REFS)) {
        const answer = parseWire(QuoteListWire, await http.get('getQuotes', '/api/v1/quotes', { externalRefs: chunk }, options), 'getQuotes');
        found.push(...answer.value);
      }
      // The oldest quotation of a reference only, should the ERP hold two.
      const seen = new Set<string>();
      return found.filter((q) => unique.includes(q.externalRef) && !seen.has(q.externalRef) && seen.add(q.externalRef));
    },

    async respondToQuote(number: string, response: ErpQuoteResponse, options?: ErpCallOptions): Promise<ErpQuote> {
      return parseWire(
        QuoteWire,
        await http.post('respondToQuote', `/api/v1/quotes/${encodeURIComponent(number)}/responses`, response, options),
        'respondToQuote',
      );
    },
  };
}
