/**
 * The sandbox ERP's quotation API and its controls.
 *
 * API (faults apply in front; `dropResponseAfterCommit` loses the reply of a committed write):
 * - `POST /quotes` enters a request for quotation (`ErpQuoteRequest`).
 * - `GET /quotes?externalRef=` / `GET /quotes?externalRefs=a,b` find quotations by reference.
 * - `POST /quotes/{number}/responses` records the buyer's response (`ErpQuoteResponse`), once per ref.
 *
 * Controls (never faulted): `POST /__control/quotes/{number}/answer` with
 * `{"lines":[{"sku","unitPrice"}],"validUntil":"YYYY-MM-DD"}` (sales price it), `POST
 * /__control/quotes/{number}/withdraw`, `GET /__control/quotes` (every quotation), and `POST
 * /__control/orders/{externalRef}/ship`, which ships every line of the order with that reference
 * and invoices it (the order's steps run to the end now, whatever the pace).
 *
 * @module
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { ErpQuote, ErpQuoteRequest, ErpQuoteResponse } from '../ports/erp-connector.ts';
import { badRequest, MAX_IDS } from './api.ts';
import { describeIssue, type FaultState, type SandboxVariables } from './faults.ts';
import { loseReply } from './lost-reply.ts';
import type { OrderBook } from './order-book.ts';
import type { QuoteBook, QuoteRefusal } from './quote-book.ts';

const ref = z.string({ error: 'expected a string' }).regex(/\S/, { error: 'expected a non-empty string' }).max(100, { error: 'at most 100 characters' });
const DECIMAL = /^\d+(\.\d{1,6})?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const QuoteRequestSchema = z.object({
  externalRef: ref,
  customerId: ref,
  note: z.string().max(2000).nullable(),
  lines: z
    .array(z.object({ sku: ref, quantity: z.number({ error: 'expected a number' }).positive().max(1_000_000) }))
    .min(1, { error: 'expected at least one line' })
    .max(500, { error: 'at most 500 lines' }),
}) satisfies z.ZodType<ErpQuoteRequest>;

export const QuoteResponseSchema = z.object({
  ref,
  action: z.enum(['ACCEPT', 'DECLINE', 'REVISE']),
  note: z.string().max(2000).nullable(),
  orderRef: ref.nullable(),
}) satisfies z.ZodType<ErpQuoteResponse>;

const AnswerSchema = z.strictObject({
  lines: z.array(z.strictObject({ sku: ref, unitPrice: z.string().regex(DECIMAL, { error: 'expected a decimal string' }) })).min(1),
  validUntil: z.string().regex(ISO_DATE, { error: 'expected a date YYYY-MM-DD' }),
});

async function json(c: Context): Promise<unknown> {
  try {
    return JSON.parse(await c.req.text()) as unknown;
  } catch {
    return undefined;
  }
}

/** The answer to a book operation: the quotation, a 404, or a 422 refusal. */
function answered(c: Context, number: string, result: ErpQuote | QuoteRefusal | 'unknown'): Response {
  if (result === 'unknown') return c.json({ error: `No quotation ${number}` }, 404);
  if ('reason' in result) return c.json({ error: result.message, reason: result.reason }, 422);
  return c.json(result);
}

/** The quotation API (`/api/v1`). */
export function quoteApiRoutes(quotes: QuoteBook, faults: FaultState): Hono<{ Variables: SandboxVariables }> {
  const api = new Hono<{ Variables: SandboxVariables }>();

  api.post('/quotes', async (c) => {
    const parsed = QuoteRequestSchema.safeParse(await json(c));
    if (!parsed.success) return badRequest(c, describeIssue(parsed.error));
    if (faults.current().uniqueExternalRefs) {
      const existing = quotes.byExternalRef(parsed.data.externalRef)[0];
      if (existing)
        return c.json({ error: `A quotation with reference ${parsed.data.externalRef} exists (${existing.number})`, reason: 'DUPLICATE_EXTERNAL_REF' }, 409);
    }
    const forced = faults.takeRejection();
    if (forced) return c.json({ error: forced.message, reason: forced.reason }, 422);
    const result = quotes.create(parsed.data);
    if (!result.ok) return c.json({ error: result.refusal.message, reason: result.refusal.reason }, 422);
    if (faults.takeDrop()) return loseReply(c, 'quotation');
    return c.json(result.quote, 201);
  });

  api.get('/quotes', (c) => {
    const one = c.req.query('externalRef');
    if (one !== undefined) {
      if (one.trim() === '') return badRequest(c, 'externalRef: expected a non-empty reference');
      return c.json({ value: quotes.byExternalRef(one) });
    }
    const refs = [
      ...new Set(
        (c.req.query('externalRefs') ?? '')
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean),
      ),
    ];
    if (refs.length === 0) return badRequest(c, 'externalRefs: expected externalRef or a comma-separated externalRefs list');
    if (refs.length > MAX_IDS) return badRequest(c, `externalRefs: at most ${MAX_IDS} keys per call, got ${refs.length}`);
    return c.json({ value: refs.flatMap((r) => quotes.byExternalRef(r)) });
  });

  api.post('/quotes/:number/responses', async (c) => {
    const parsed = QuoteResponseSchema.safeParse(await json(c));
    if (!parsed.success) return badRequest(c, describeIssue(parsed.error));
    const number = c.req.param('number');
    const result = quotes.respond(number, parsed.data);
    if (result !== 'unknown' && !('reason' in result) && faults.takeDrop()) return loseReply(c, 'quotation response');
    return answered(c, number, result);
  });

  return api;
}

/** The quotation controls and `ship` (`/__control`). */
export function quoteControlRoutes(quotes: QuoteBook, orders: OrderBook): Hono {
  const control = new Hono();

  control.get('/quotes', (c) => c.json({ quotes: quotes.list() }));

  control.post('/quotes/:number/answer', async (c) => {
    const parsed = AnswerSchema.safeParse(await json(c));
    if (!parsed.success) return badRequest(c, describeIssue(parsed.error));
    const number = c.req.param('number');
    return answered(c, number, quotes.answer(number, parsed.data));
  });

  control.post('/quotes/:number/withdraw', (c) => {
    const number = c.req.param('number');
    return answered(c, number, quotes.withdraw(number));
  });

  // Ships every line of the order with this reference and invoices it: OPEN → … → INVOICED now.
  control.post('/orders/:externalRef/ship', (c) => {
    const externalRef = c.req.param('externalRef');
    const order = orders.byExternalRef(externalRef)[0];
    if (!order) return c.json({ error: `No order with external reference ${externalRef}` }, 404);
    if (order.status === 'CANCELLED') return c.json({ error: `Order ${order.number} is cancelled` }, 409);
    let latest = order;
    for (let step = 0; step < 3; step++) {
      const moved = orders.advance(order.number);
      if (typeof moved === 'string') break;
      latest = moved;
    }
    return c.json(latest);
  });

  return control;
}
