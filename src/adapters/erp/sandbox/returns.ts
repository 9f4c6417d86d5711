/**
 * The sandbox connector's return calls (capability `returns`). Nothing here retries: a create that
 * failed ambiguously may have been committed; the outbox looks it up by its reference first.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions, ErpReturn, ErpReturnRequest, ErpReturns } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { chunks } from '../shared/batches.ts';
import type { HttpClient } from './http-client.ts';
import { currency, decimal, isoDate, key, parseWire, quantity } from './wire.ts';

const MAX_REFS = 500;

const ReturnWire = z.object({
  number: key,
  externalRef: key,
  customerId: key,
  orderRef: key,
  orderNumber: key,
  status: z.enum(['REQUESTED', 'AUTHORIZED', 'RECEIVED', 'CREDITED', 'REJECTED', 'CANCELLED']),
  createdAt: z.string(),
  lines: z.array(z.object({ sku: key, quantity, reason: key })),
  creditMemo: z.object({ number: key, issuedAt: isoDate, total: decimal, currency }).nullable(),
}) satisfies z.ZodType<ErpReturn>;
const ReturnListWire = z.object({ value: z.array(ReturnWire) });

/** The capability `returns` over one HTTP client. */
export function returnCalls(http: HttpClient): ErpReturns {
  return {
    async createReturn(request: ErpReturnRequest, options?: ErpCallOptions): Promise<ErpReturn> {
      const created = parseWire(ReturnWire, await http.post('createReturn', '/api/v1/returns', request, options), 'createReturn');
      if (created.externalRef !== request.externalRef)
        throw new ErpError(
          'ERP_BAD_RESPONSE',
          `createReturn: the ERP answered return ${created.number} (ref ${created.externalRef}) for ${request.externalRef}`,
          {
            operation: 'createReturn',
          },
        );
      return created;
    },

    async findReturnByExternalRef(externalRef: string, options?: ErpCallOptions): Promise<ErpReturn | null> {
      if (externalRef === '') throw new TypeError('findReturnByExternalRef: expected a non-empty external reference');
      const answer = parseWire(
        ReturnListWire,
        await http.get('findReturnByExternalRef', '/api/v1/returns', { externalRef }, options),
        'findReturnByExternalRef',
      );
      return answer.value.find((r) => r.externalRef === externalRef) ?? null;
    },

    async getReturns(externalRefs: readonly string[], options?: ErpCallOptions): Promise<ErpReturn[]> {
      const unique = [...new Set(externalRefs)];
      const found: ErpReturn[] = [];
      for (const chunk of chunks(unique, MAX_REFS)) {
        found.push(...parseWire(ReturnListWire, await http.get('getReturns', '/api/v1/returns', { externalRefs: chunk }, options), 'getReturns').value);
      }
      const seen = new Set<string>();
      return found.filter((r) => unique.includes(r.externalRef) && !seen.has(r.externalRef) && seen.add(r.externalRef));
    },
  };
}
