/**
 * The sandbox ERP's returns (RMA): entered by erpfront against a shipped order, then moved on by
 * the controls as a warehouse and finance would. At most what shipped, less what other returns of
 * the order (not rejected or cancelled) take back, can be returned: `RETURN_QUANTITY_EXCEEDS_SHIPPED`.
 *
 * API (faults apply in front; `dropResponseAfterCommit` loses the reply of a committed return):
 * `POST /returns`, `GET /returns?externalRef=` and `GET /returns?externalRefs=a,b`.
 * Controls: `POST /__control/returns/{number}/authorize`, `/receive`, `/credit` (issues the credit
 * memo: the returned quantities at the order's unit prices, booked in the invoice book against the
 * order, as finance would), `/reject`; `GET /__control/returns`.
 *
 * @module
 */
import Big from 'big.js';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { ErpReturn, ErpReturnRequest, ErpReturnStatus } from '../ports/erp-connector.ts';
import { badRequest, MAX_IDS } from './api.ts';
import { describeIssue, type FaultState, type SandboxVariables } from './faults.ts';
import { loseReply } from './lost-reply.ts';
import type { InvoiceBook } from './invoice-book.ts';
import type { OrderBook } from './order-book.ts';

const ref = z.string({ error: 'expected a string' }).regex(/\S/, { error: 'expected a non-empty string' }).max(100, { error: 'at most 100 characters' });

export const ReturnRequestSchema = z.object({
  externalRef: ref,
  customerId: ref,
  orderRef: ref,
  lines: z
    .array(z.object({ sku: ref, quantity: z.number({ error: 'expected a number' }).positive().max(1_000_000), reason: ref }))
    .min(1, { error: 'expected at least one line' })
    .max(500, { error: 'at most 500 lines' }),
}) satisfies z.ZodType<ErpReturnRequest>;

/** Which status each control moves a return from, and to. */
const STEPS: Record<string, { from: ErpReturnStatus[]; to: ErpReturnStatus }> = {
  authorize: { from: ['REQUESTED'], to: 'AUTHORIZED' },
  receive: { from: ['REQUESTED', 'AUTHORIZED'], to: 'RECEIVED' },
  credit: { from: ['RECEIVED'], to: 'CREDITED' },
  reject: { from: ['REQUESTED', 'AUTHORIZED'], to: 'REJECTED' },
};

export interface ReturnRoutes {
  api: Hono<{ Variables: SandboxVariables }>;
  control: Hono;
  reset(): void;
}

async function json(c: Context): Promise<unknown> {
  try {
    return JSON.parse(await c.req.text()) as unknown;
  } catch {
    return undefined;
  }
}

export function returnRoutes(orders: OrderBook, invoices: InvoiceBook, faults: FaultState, now: () => Date): ReturnRoutes {
  let returns: ErpReturn[] = [];
  const copy = (r: ErpReturn) => structuredClone(r);
  const byRef = (externalRef: string) => returns.filter((r) => r.externalRef === externalRef).map(copy);

  const api = new Hono<{ Variables: SandboxVariables }>();
  api.post('/returns', async (c) => {
    const parsed = ReturnRequestSchema.safeParse(await json(c));
    if (!parsed.success) return badRequest(c, describeIssue(parsed.error));
    const request = parsed.data;
    if (faults.current().uniqueExternalRefs && byRef(request.externalRef).length > 0)
      return c.json({ error: `A return with reference ${request.externalRef} exists`, reason: 'DUPLICATE_EXTERNAL_REF' }, 409);
    const order = orders.byExternalRef(request.orderRef)[0];
    if (!order || order.customerId !== request.customerId)
      return c.json({ error: `No order ${request.orderRef} of customer ${request.customerId}`, reason: 'UNKNOWN_ORDER' }, 422);
    const open = returns.filter((r) => r.orderRef === request.orderRef && r.status !== 'REJECTED' && r.status !== 'CANCELLED');
    for (const line of request.lines) {
      const shipped = order.lines.filter((l) => l.sku === line.sku).reduce((sum, l) => sum.plus(l.shippedQuantity), new Big(0));
      const returned = open.flatMap((r) => r.lines.filter((l) => l.sku === line.sku)).reduce((sum, l) => sum.plus(l.quantity), new Big(0));
      if (shipped.minus(returned).lt(line.quantity))
        return c.json(
          {
            error: `${line.sku}: ${line.quantity} to return, but ${shipped.toString()} shipped and ${returned.toString()} returned already`,
            reason: 'RETURN_QUANTITY_EXCEEDS_SHIPPED',
          },
          422,
        );
    }
    const created: ErpReturn = {
      number: `RMA-${String(returns.length + 1).padStart(6, '0')}`,
      externalRef: request.externalRef,
      customerId: request.customerId,
      orderRef: request.orderRef,
      orderNumber: order.number,
      status: 'REQUESTED',
      createdAt: now().toISOString(),
      lines: request.lines.map((l) => ({ ...l })),
      creditMemo: null,
    };
    returns.push(created);
    if (faults.takeDrop()) return loseReply(c, 'return');
    return c.json(copy(created), 201);
  });

  api.get('/returns', (c) => {
    const one = c.req.query('externalRef');
    if (one !== undefined) return one.trim() === '' ? badRequest(c, 'externalRef: expected a non-empty reference') : c.json({ value: byRef(one) });
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
    return c.json({ value: refs.flatMap(byRef) });
  });

  const control = new Hono();
  control.get('/returns', (c) => c.json({ returns: returns.map(copy) }));
  control.post('/returns/:number/:step', (c) => {
    const step = STEPS[c.req.param('step')];
    if (!step) return c.json({ error: `No step ${c.req.param('step')}: authorize, receive, credit or reject` }, 404);
    const found = returns.find((r) => r.number === c.req.param('number'));
    if (!found) return c.json({ error: `No return ${c.req.param('number')}` }, 404);
    if (!step.from.includes(found.status)) return c.json({ error: `Return ${found.number} is ${found.status}` }, 409);
    found.status = step.to;
    if (step.to === 'CREDITED') {
      const order = orders.byExternalRef(found.orderRef)[0]!;
      const price = new Map(order.lines.map((l) => [l.sku, l.unitPrice]));
      const total = found.lines.reduce((sum, l) => sum.plus(new Big(price.get(l.sku) ?? '0').times(l.quantity)), new Big(0));
      found.creditMemo = {
        number: `CM-${found.number.slice(4)}`,
        issuedAt: now().toISOString().slice(0, 10),
        total: total.toFixed(2),
        currency: order.currency,
      };
      invoices.bookCreditMemo(found.creditMemo, order);
    }
    return c.json(copy(found));
  });

  return {
    api,
    control,
    reset: () => {
      returns = [];
    },
  };
}
