/**
 * The sandbox ERP's order API: `POST /orders` to enter one, `GET /orders` to find them by
 * external reference or page through a customer's. The general faults (outage, errors, latency,
 * limits) apply in front of these routes as in front of any; the order faults apply here:
 * `rejectNext` refuses before anything is entered, `dropResponseAfterCommit` loses the reply
 * after the order is committed.
 *
 * @module
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { ErpOrderRequest } from '../ports/erp-connector.ts';
import { badRequest, intParam } from './api.ts';
import { abandoned, describeIssue, type FaultState, type SandboxVariables } from './faults.ts';
import type { Stats } from './stats.ts';
import type { OrderBook } from './order-book.ts';
import { loseReply } from './lost-reply.ts';

export const MAX_ORDER_LINES = 500;
export const MAX_ORDERS_PAGE = 100;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// Kept exactly as sent (no trimming): the external reference is looked up by equality later.
const ref = (max: number) =>
  z
    .string({ error: 'expected a string' })
    .regex(/\S/, { error: 'expected a non-empty string' })
    .max(max, { error: `at most ${max} characters` });

/** The body of `POST /orders`: the port's `ErpOrderRequest`, every field present (null allowed where the port allows). */
export const OrderRequestSchema = z.object({
  externalRef: ref(100),
  customerId: ref(40),
  poNumber: ref(50).nullable(),
  shipToId: ref(40),
  requestedDate: z
    .string()
    .regex(ISO_DATE, { error: 'expected a date YYYY-MM-DD' })
    .refine((s) => new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: 'expected a real calendar date' })
    .nullable(),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 currency code' }),
  payment: z.discriminatedUnion(
    'method',
    [z.object({ method: z.literal('ON_ACCOUNT') }), z.object({ method: z.literal('CARD'), authorizationRef: ref(100) })],
    { error: 'expected {"method": "ON_ACCOUNT"} or {"method": "CARD", "authorizationRef": ...}' },
  ),
  notes: z.string().max(2000).nullable(),
  lines: z
    .array(
      z.object({
        sku: ref(40),
        quantity: z.number({ error: 'expected a number' }).positive().max(1_000_000),
        // A JSON number has been through a binary float already: money must come as a string.
        unitPrice: z.string({ error: 'expected a decimal string' }).regex(/^\d+(\.\d{1,6})?$/, { error: 'expected a decimal string >= 0' }),
        unitOfMeasure: ref(10),
      }),
    )
    .min(1, { error: 'expected at least one line' })
    .max(MAX_ORDER_LINES, { error: `at most ${MAX_ORDER_LINES} lines per order` }),
}) satisfies z.ZodType<ErpOrderRequest>;

export function orderRoutes(
  orders: OrderBook,
  faults: FaultState,
  stats: Pick<Stats, 'rejected'>,
  clock: () => number = Date.now,
): Hono<{ Variables: SandboxVariables }> {
  const api = new Hono<{ Variables: SandboxVariables }>();

  api.post('/orders', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return badRequest(c, 'body: expected a JSON object (an order)');
    }
    const parsed = OrderRequestSchema.safeParse(body);
    if (!parsed.success) return badRequest(c, describeIssue(parsed.error));

    // The ERP works on the order (orderLatencyMs) and commits when done, unless its own time limit
    // cut the request off first. Whether the client is still there plays no part, as in a real ERP.
    const orderLatencyMs = faults.takeOrderLatency();
    const { uniqueExternalRefs } = faults.current();
    const deadline = c.get('sandboxDeadline') ?? Number.POSITIVE_INFINITY;
    const remaining = Math.max(0, deadline - clock());
    const overruns = orderLatencyMs >= remaining;
    if (orderLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, overruns ? remaining : orderLatencyMs));
    if (overruns && orderLatencyMs > 0) return abandoned(c, stats);

    if (uniqueExternalRefs) {
      const existing = orders.byExternalRef(parsed.data.externalRef)[0];
      if (existing) {
        return c.json(
          {
            error: `An order with external reference ${parsed.data.externalRef} exists already (${existing.number})`,
            reason: 'DUPLICATE_EXTERNAL_REF',
            number: existing.number,
          },
          409,
        );
      }
    }
    const forced = faults.takeRejection();
    if (forced) return c.json({ error: forced.message, reason: forced.reason }, 422);
    const result = orders.create(parsed.data);
    if (!result.ok) return c.json({ error: result.refusal.message, reason: result.refusal.reason }, 422);

    // The order is committed; now the reply goes missing.
    if (faults.takeDrop()) return loseReply(c, 'order');
    return c.json(result.order, 201);
  });

  // Cancelling an order that has not shipped (reconciliation cancels a duplicate entry this way).
  api.post('/orders/:number/cancel', (c) => {
    const result = orders.cancel(c.req.param('number'));
    if (result === 'unknown') return c.json({ error: `No order ${c.req.param('number')}` }, 404);
    if (result === 'shipped')
      return c.json({ error: `Order ${c.req.param('number')} has shipped and can no longer be cancelled`, reason: 'ALREADY_SHIPPED' }, 422);
    return c.json(result);
  });

  api.get('/orders', (c) => {
    const externalRef = c.req.query('externalRef');
    if (externalRef !== undefined) {
      if (externalRef.trim() === '') return badRequest(c, 'externalRef: expected a non-empty reference');
      return c.json({ value: orders.byExternalRef(externalRef) });
    }
    const customerId = c.req.query('customerId');
    if (customerId === undefined || customerId.trim() === '') return badRequest(c, 'customerId: expected customerId or externalRef');
    const offset = intParam(c.req.query('offset'), 0);
    const limit = intParam(c.req.query('limit'), 20);
    if (offset === null || offset < 0) return badRequest(c, 'offset: expected an integer >= 0');
    if (limit === null || limit < 1 || limit > MAX_ORDERS_PAGE) {
      return badRequest(c, `limit: expected an integer from 1 to ${MAX_ORDERS_PAGE}`);
    }
    return c.json(orders.byCustomer(customerId, offset, limit));
  });

  return api;
}
