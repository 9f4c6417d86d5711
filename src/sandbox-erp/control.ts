/**
 * The `/__control` routes: how tests and demos steer the sandbox. Never subject to faults, so a
 * test can always end the outage it started.
 *
 * @module
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { describeIssue, FaultsPatchSchema, type FaultState } from './faults.ts';
import type { OrderBook } from './order-book.ts';
import type { Stats } from './stats.ts';

const AdvanceSchema = z.strictObject({ number: z.string().min(1, { error: 'expected an order number, e.g. SO-100001' }) });

/** `resetData` drops the data changes made through `/__control/changes`. */
export function controlRoutes(faults: FaultState, stats: Stats, orders: OrderBook, resetData: () => void = () => {}): Hono {
  const control = new Hono();

  control.get('/faults', (c) => c.json(faults.current()));

  control.post('/faults', async (c) => {
    const body = await jsonBody(c.req.raw);
    if (body === undefined) return c.json({ error: 'body: expected a JSON object' }, 400);
    const parsed = FaultsPatchSchema.safeParse(body);
    if (!parsed.success) return c.json({ error: describeIssue(parsed.error) }, 400);
    return c.json(faults.update(parsed.data));
  });

  control.get('/stats', (c) => c.json(stats.snapshot()));

  // Every order the ERP holds, in creation order: how a test proves an order was entered once.
  control.get('/orders', (c) => c.json({ orders: orders.list() }));

  // One step on for one order, now, whatever the pace (`orderStepMs`).
  control.post('/orders/advance', async (c) => {
    const body = await jsonBody(c.req.raw);
    if (body === undefined) return c.json({ error: 'body: expected a JSON object {"number": "SO-100001"}' }, 400);
    const parsed = AdvanceSchema.safeParse(body);
    if (!parsed.success) return c.json({ error: describeIssue(parsed.error) }, 400);
    const result = orders.advance(parsed.data.number);
    if (result === 'unknown') return c.json({ error: `No order ${parsed.data.number}` }, 404);
    if (result === 'final') return c.json({ error: `Order ${parsed.data.number} is invoiced: there is no next step` }, 409);
    return c.json(result);
  });

  control.post('/reset', (c) => {
    faults.reset();
    stats.reset();
    orders.reset();
    resetData();
    return c.json({ faults: faults.current(), stats: stats.snapshot() });
  });

  return control;
}

/** The parsed JSON body, or `undefined` when it is not JSON. */
async function jsonBody(request: Request): Promise<unknown> {
  try {
    return JSON.parse(await request.text()) as unknown;
  } catch {
    return undefined;
  }
}
