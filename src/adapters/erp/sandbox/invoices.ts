/**
 * The sandbox connector's invoice calls: a batch of customers' invoices in one request, and an
 * invoice's document streamed as the ERP sends it.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions, ErpInvoice, ErpInvoiceDocument, ErpInvoices } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { chunks } from '../shared/batches.ts';
import type { HttpClient } from './http-client.ts';
import { currency, decimal, isoDate, key, parseWire } from './wire.ts';

const MAX_IDS = 500;

const InvoiceWire = z.object({
  number: key,
  kind: z.enum(['INVOICE', 'CREDIT_MEMO']),
  customerId: key,
  issuedAt: isoDate,
  dueDate: isoDate,
  total: decimal,
  openAmount: decimal,
  currency,
  state: z.enum(['OPEN', 'PAID']),
  orderNumber: key.nullable(),
  orderExternalRef: z.string().nullable(),
  hasDocument: z.boolean(),
}) satisfies z.ZodType<ErpInvoice>;

const InvoicesBatchWire = z.object({
  value: z.array(z.object({ customerId: key, invoices: z.array(InvoiceWire) })),
  missing: z.array(z.string()),
});

/** A number the path can carry as it is; any other is no invoice of the sandbox. */
const PATH_SAFE = /^[A-Za-z0-9._-]{1,100}$/;

/** The capability `invoices` over one HTTP client. */
export function invoiceCalls(http: HttpClient): ErpInvoices {
  return {
    async getInvoices(customerIds: readonly string[], options?: ErpCallOptions): Promise<Array<ErpInvoice[] | Error>> {
      const askable = [...new Set(customerIds)].filter((id) => PATH_SAFE.test(id));
      const found = new Map<string, ErpInvoice[]>();
      for (const chunk of chunks(askable, MAX_IDS)) {
        const answer = parseWire(InvoicesBatchWire, await http.get('getInvoices', '/api/v1/invoices', { customerIds: chunk }, options), 'getInvoices');
        for (const entry of answer.value) found.set(entry.customerId, entry.invoices);
      }
      return customerIds.map((id) => found.get(id) ?? new ErpError('ERP_NOT_FOUND', `Customer ${id} does not exist in the ERP`, { operation: 'getInvoices' }));
    },

    async getInvoiceDocument(number: string, options?: ErpCallOptions): Promise<ErpInvoiceDocument | null> {
      if (!PATH_SAFE.test(number)) return null;
      const response = await http.download('getInvoiceDocument', `/api/v1/invoices/${number}/document`, options);
      if (!response) return null;
      const customerId = response.headers.get('x-customer-id');
      if (!customerId || !response.body) {
        void response.body?.cancel().catch(() => {});
        throw new ErpError('ERP_BAD_RESPONSE', `getInvoiceDocument: the ERP sent invoice ${number} without its customer`, { operation: 'getInvoiceDocument' });
      }
      const length = Number(response.headers.get('content-length'));
      return {
        customerId,
        contentType: response.headers.get('content-type') ?? 'application/octet-stream',
        fileName: `${number}.pdf`,
        byteLength: Number.isSafeInteger(length) && length >= 0 && response.headers.has('content-length') ? length : null,
        body: response.body,
      };
    },
  };
}
