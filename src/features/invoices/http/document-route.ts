/**
 * `GET /documents/invoices/{number}`: an invoice's document as the ERP renders it (a PDF for the
 * sandbox), streamed through to the caller, bearer token required.
 *
 * Only the customer who owns the invoice gets it: the number must be in the acting customer's own
 * invoice list (the same cached read as the `invoices` query), and the access policy
 * (`invoice.read`) decides on the invoice's customer. Anything else — another customer's number,
 * an unknown one, a document the ERP does not render — is the same 404, so a caller cannot learn
 * which numbers exist. The body is bounded (`maxBytes`): a larger document is cut off, never
 * buffered.
 *
 * @module
 */
import { Hono } from 'hono';
import { can } from '../../../domain/access/policy.ts';
import { loggableError } from '../../../domain/loggable-error.ts';
import type { ErpConnector } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { erpErrorClass } from '../../../ports/erp/error-classes.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { ReadThroughCache } from '../../../services/read-through-cache.ts';
import { openRequestScope } from '../../../services/request-scope.ts';
import type { TokenVerifier } from '../../../services/token-verifier.ts';
import { authorizeCustomer } from '../../../transport/http/authorize-customer.ts';
import { authenticate } from '../../../transport/http/bearer.ts';
import { graphqlErrorResponse } from '../../../transport/http/error-response.ts';
import { requestIdFor, requestIdOf, requestLogger } from '../../../transport/http/request-log.ts';

export interface DocumentRouteOptions {
  erp: ErpConnector;
  cache: ReadThroughCache;
  verifyToken: TokenVerifier;
  maxBatchSize: number;
  /** The largest document passed on. */
  maxBytes: number;
  logger: Logger;
}

// Slashes too: Tryton numbers its invoices `INV/2026/4` (sent percent-encoded, `INV%2F2026%2F4`).
const NUMBER = /^[A-Za-z0-9._/-]{1,100}$/;

export function documentRoute(options: DocumentRouteOptions): Hono {
  const app = new Hono();
  app.get('/documents/invoices/:number', async (c) => {
    const principal = await authenticate(c.req.raw, options.verifyToken);
    if (principal instanceof Response) return principal;
    const number = c.req.param('number');
    const absent = () => graphqlErrorResponse(404, 'NOT_FOUND', `No invoice ${NUMBER.test(number) ? number : '(not an invoice number)'}.`);
    if (!NUMBER.test(number)) return absent();
    const log = requestLogger(c, options.logger);
    const scope = openRequestScope(
      { erp: options.erp, cache: options.cache, maxBatchSize: options.maxBatchSize },
      { principal, requestId: requestIdFor(c) ?? requestIdOf(c.req.raw), log },
    );
    const decision = await authorizeCustomer(principal, c.req.header('x-customer-id') ?? null, scope.reader);
    if ('status' in decision) return graphqlErrorResponse(decision.status, decision.code, decision.message);
    const customerId = decision.customerId;
    if (customerId === null) return absent();
    try {
      const invoice = (await scope.reader.invoices(customerId)).value.find((i) => i.number === number);
      if (!invoice?.hasDocument) return absent();
      if (can({ principal, customerId }, 'invoice.read', { customerId: invoice.customerId }).verdict !== 'allow') return absent();
      const document = await options.erp.getInvoiceDocument(number, { priority: 'read', log });
      if (!document) return absent();
      // The ERP's word on whose it is, too: a document of anyone else is never passed on.
      if (document.customerId !== invoice.customerId) {
        void document.body.cancel().catch(() => {});
        log.error('the ERP answered an invoice document of another customer', { number, customerId });
        return absent();
      }
      if (document.byteLength !== null && document.byteLength > options.maxBytes) {
        void document.body.cancel().catch(() => {});
        return graphqlErrorResponse(
          502,
          'DOCUMENT_TOO_LARGE',
          `The ERP's document for ${number} is larger than ${options.maxBytes} bytes; ask your account manager for it.`,
        );
      }
      const headers: Record<string, string> = {
        'content-type': document.contentType,
        'content-disposition': `attachment; filename="${document.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      };
      if (document.byteLength !== null) headers['content-length'] = String(document.byteLength);
      return new Response(document.body.pipeThrough(atMost(options.maxBytes)), { status: 200, headers });
    } catch (error) {
      if (error instanceof ErpError && error.code === 'ERP_NOT_FOUND') return absent();
      if (error instanceof ErpError) {
        const { client } = erpErrorClass(error.code);
        log.warn('invoice document not served', { number, err: loggableError(error) });
        return graphqlErrorResponse(client.status, client.code, 'The ERP is not answering, so the document cannot be fetched now. Retry shortly.');
      }
      throw error;
    }
  });
  return app;
}

/** Passes bytes on until `maxBytes`, then fails the stream: a runaway transfer is cut, not buffered. */
function atMost(maxBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) controller.error(new Error(`document larger than ${maxBytes} bytes`));
      else controller.enqueue(chunk);
    },
  });
}
