/**
 * Invoices and the account statement: the customer's invoices and credit memos as the ERP books
 * them (filtered, paged, aged against UTC today), and each invoice's document, downloaded by its
 * owner only (`GET /documents/invoices/{number}`). Needs an ERP with the `invoices` capability;
 * elsewhere the fields answer `ERP_NOT_SUPPORTED` through the connector.
 *
 * @module
 */
import type { Feature } from '../feature.ts';
import { documentRoute } from './http/document-route.ts';
import { Invoice, InvoiceQueries } from './resolvers.ts';
import { invoicesTypeDefs } from './schema.ts';

/** The largest invoice document passed on to a buyer: a rendered invoice is far smaller. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export const invoicesFeature: Feature = {
  name: 'invoices',
  typeDefs: invoicesTypeDefs,
  resolvers: { Query: InvoiceQueries, Invoice },
  setup({ env, erp, cache, verifyToken, logger }) {
    return {
      routes: [{ path: '/', app: documentRoute({ erp, cache, verifyToken, maxBatchSize: env.ERP_MAX_BATCH, maxBytes: MAX_DOCUMENT_BYTES, logger }) }],
    };
  },
};
