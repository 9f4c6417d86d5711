/**
 * The sandbox ERP's checkout API: `POST /checkout/totals` answers an order's subtotal, tax (and its rate),
 * shipping and total — computed by the very function that totals the orders it enters
 * (`order-totals.ts`) — and enters nothing: no order, no credit taken, no counter moved but the
 * request's own.
 *
 * @module
 */
import { Hono } from 'hono';
import type { DataSet } from './data-set.ts';
import { badRequest } from './api.ts';
import { describeIssue, type SandboxVariables } from './faults.ts';
import { OrderRequestSchema } from './order-routes.ts';
import { orderTotals } from './order-totals.ts';

/** The body: an order request without what only an entered order has (reference, PO, dates, notes). */
const DraftSchema = OrderRequestSchema.pick({ customerId: true, shipToId: true, currency: true, payment: true, lines: true });

export function checkoutRoutes(data: DataSet): Hono<{ Variables: SandboxVariables }> {
  const api = new Hono<{ Variables: SandboxVariables }>();

  api.post('/checkout/totals', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return badRequest(c, 'body: expected a JSON object (a checkout draft)');
    }
    const parsed = DraftSchema.safeParse(body);
    if (!parsed.success) return badRequest(c, describeIssue(parsed.error));
    const draft = parsed.data;
    const customer = data.customersById.get(draft.customerId);
    if (!customer) return c.json({ error: `Customer ${draft.customerId} does not exist`, reason: 'UNKNOWN_CUSTOMER' }, 422);
    const shipTo = customer.shipTos.find((address) => address.id === draft.shipToId);
    if (!shipTo) return c.json({ error: `Ship-to ${draft.shipToId} is not an address of customer ${customer.id}`, reason: 'UNKNOWN_SHIP_TO' }, 422);
    if (draft.currency !== customer.currency) {
      return c.json({ error: `Customer ${customer.id} is invoiced in ${customer.currency}, not ${draft.currency}`, reason: 'REJECTED' }, 422);
    }
    const unknown = draft.lines.find((line) => !data.itemsBySku.has(line.sku));
    if (unknown) return c.json({ error: `Item ${unknown.sku} does not exist`, reason: 'UNKNOWN_ITEM' }, 422);
    return c.json(orderTotals(draft.lines, shipTo, draft.currency));
  });

  return api;
}
