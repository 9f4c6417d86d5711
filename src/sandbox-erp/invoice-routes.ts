/**
 * The sandbox ERP's invoice routes.
 *
 * API (subject to faults):
 * - `GET /api/v1/invoices?customerIds=C0001,C0002` → `{"value":[{"customerId","invoices":[...]}],"missing":[...]}`
 * - `GET /api/v1/invoices/{number}/document` → the PDF, with the owner in `X-Customer-Id`; 404 when unknown
 *
 * Control (never faulted):
 * - `GET /__control/invoices?customerId=C0001` → `{"invoices":[...]}`: the ERP's own figures
 * - `POST /__control/invoices` `{"customerId","kind":"INVOICE"|"CREDIT_MEMO","amount":"120.00",
 *   "issuedAt"?,"dueDate"?,"paid"?,"orderNumber"?}` → the invoice entered (201)
 *
 * @module
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_IDS, badRequest } from './api.ts';
import { describeIssue } from './faults.ts';
import { invoicePdf } from './invoice-document.ts';
import type { InvoiceBook } from './invoice-book.ts';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date YYYY-MM-DD' });

const EntrySchema = z.strictObject({
  customerId: z.string().min(1).max(100),
  kind: z.enum(['INVOICE', 'CREDIT_MEMO']),
  amount: z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, { message: 'expected an unsigned decimal string such as "120.00"' }),
  issuedAt: date.optional(),
  dueDate: date.optional(),
  paid: z.boolean().optional(),
  orderNumber: z.string().min(1).max(100).optional(),
});

/** The API part, mounted under `/api/v1`. */
export function invoiceApiRoutes(book: InvoiceBook): Hono {
  const api = new Hono();

  api.get('/invoices', (c) => {
    const keys = [
      ...new Set(
        (c.req.query('customerIds') ?? '')
          .split(',')
          .map((k) => k.trim())
          .filter((k) => k !== ''),
      ),
    ];
    if (keys.length > MAX_IDS) return badRequest(c, `customerIds: at most ${MAX_IDS} keys per call, got ${keys.length}`);
    const value: Array<{ customerId: string; invoices: unknown[] }> = [];
    const missing: string[] = [];
    for (const customerId of keys) {
      const invoices = book.byCustomer(customerId);
      if (invoices.length === 0 && !book.knowsCustomer(customerId)) missing.push(customerId);
      else value.push({ customerId, invoices });
    }
    return c.json({ value, missing });
  });

  api.get('/invoices/:number/document', (c) => {
    const invoice = book.byNumber(c.req.param('number'));
    if (!invoice) return c.json({ error: `No invoice ${c.req.param('number')}` }, 404);
    const pdf = invoicePdf(invoice);
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/pdf',
      'content-length': String(pdf.byteLength),
      'content-disposition': `attachment; filename="${invoice.number}.pdf"`,
      'x-customer-id': invoice.customerId,
    });
  });

  return api;
}

/** The control part, mounted under `/__control`. */
export function invoiceControlRoutes(book: InvoiceBook): Hono {
  const control = new Hono();

  control.get('/invoices', (c) => {
    const customerId = c.req.query('customerId');
    if (!customerId) return c.json({ error: 'customerId: expected a customer id, e.g. ?customerId=C0001' }, 400);
    return c.json({ invoices: book.byCustomer(customerId) });
  });

  control.post('/invoices', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: 'body: expected a JSON object such as {"customerId":"C0001","kind":"INVOICE","amount":"120.00"}' }, 400);
    }
    const parsed = EntrySchema.safeParse(body);
    if (!parsed.success) return c.json({ error: describeIssue(parsed.error) }, 400);
    const entered = book.enter(parsed.data);
    if (entered === 'unknown-customer') return c.json({ error: `No customer ${parsed.data.customerId}` }, 404);
    if (entered === 'unknown-order') return c.json({ error: `No order ${parsed.data.orderNumber} of customer ${parsed.data.customerId}` }, 404);
    return c.json(entered, 201);
  });

  return control;
}
