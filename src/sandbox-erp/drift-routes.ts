/**
 * Drift: `DELETE /__control/orders/{externalRef}` and `PATCH /__control/orders/{externalRef}` change
 * the ERP's orders behind erpfront's back, as someone working in the ERP would (an order deleted
 * by mistake, a line edited), so that reconciliation has something to find. Silent on purpose: no
 * webhook is sent, since drift stands for what erpfront never heard of.
 *
 * - `DELETE` removes every order with that reference: 200 `{"deleted":[ErpOrder]}`, 404 when none.
 * - `PATCH` with `{"sku":"SKU-00001","quantity":5}` and/or `"unitPrice":"9.50"` changes that SKU's
 *   line on every order with the reference (the total follows): 200 `{"orders":[ErpOrder]}`; 404
 *   when no order has the reference or none has a line of the SKU; 400 naming the field.
 *
 * @module
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { describeIssue } from './faults.ts';
import type { OrderBook } from './order-book.ts';

const LineChangeSchema = z
  .strictObject({
    sku: z.string().min(1, { error: 'expected the SKU of a line of the order' }).max(40),
    quantity: z.number({ error: 'expected a number' }).positive().max(1_000_000).optional(),
    unitPrice: z
      .string({ error: 'expected a decimal string' })
      .regex(/^\d+(\.\d{1,6})?$/, { error: 'expected a decimal string >= 0' })
      .optional(),
  })
  .refine((c) => c.quantity !== undefined || c.unitPrice !== undefined, { error: 'expected quantity or unitPrice (or both) to change' });

export function driftRoutes(orders: OrderBook): Hono {
  const routes = new Hono();

  routes.delete('/orders/:externalRef', (c) => {
    const externalRef = c.req.param('externalRef');
    const deleted = orders.remove(externalRef);
    if (deleted.length === 0) return c.json({ error: `No order with external reference ${externalRef}` }, 404);
    return c.json({ deleted });
  });

  routes.patch('/orders/:externalRef', async (c) => {
    const externalRef = c.req.param('externalRef');
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: 'body: expected a JSON object such as {"sku":"SKU-00001","quantity":5}' }, 400);
    }
    const parsed = LineChangeSchema.safeParse(body);
    if (!parsed.success) return c.json({ error: describeIssue(parsed.error) }, 400);
    const changed = orders.changeLine(externalRef, parsed.data);
    if (changed === 'unknown') return c.json({ error: `No order with external reference ${externalRef}` }, 404);
    if (changed === 'no-line') return c.json({ error: `The order ${externalRef} has no line of ${parsed.data.sku}` }, 404);
    return c.json({ orders: changed });
  });

  return routes;
}
