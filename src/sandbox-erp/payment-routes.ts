/**
 * The sandbox payment gateway, bundled with the sandbox ERP for demos and tests: a card processor
 * reduced to what a B2B checkout needs. `POST /payments/v1/authorizations` authorizes an amount
 * for a customer (what a storefront's checkout does with the buyer's card) and answers its
 * reference; `GET /payments/v1/authorizations/{reference}` reads it; `POST .../{reference}/void`
 * releases it. Authorizations expire after seven days, as card authorizations do. The ERP faults
 * do not apply here: the gateway is another service.
 *
 * @module
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { badRequest } from './api.ts';
import { describeIssue } from './faults.ts';

const AUTHORIZATION_TTL_MS = 7 * 86_400_000;
const MAX_AUTHORIZATIONS = 100_000;

const AuthorizeSchema = z.strictObject({
  amount: z
    .string()
    .regex(/^\d{1,12}(\.\d{1,6})?$/, { error: 'expected a decimal string > 0' })
    .refine((a) => Number(a) > 0, { error: 'expected an amount > 0' }),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 currency code' }),
  customerId: z.string().min(1).max(40),
});

interface Authorization {
  reference: string;
  amount: string;
  currency: string;
  customerId: string;
  status: 'AUTHORIZED' | 'VOIDED';
  createdAt: string;
  expiresAt: string;
}

/** The gateway's routes, over its own in-memory book (not reset with the ERP: another service). */
export function paymentRoutes(clock: () => number = Date.now): Hono {
  const book = new Map<string, Authorization>();
  const routes = new Hono();

  routes.post('/authorizations', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return badRequest(c, 'body: expected a JSON object {"amount","currency","customerId"}');
    }
    const parsed = AuthorizeSchema.safeParse(body);
    if (!parsed.success) return badRequest(c, describeIssue(parsed.error));
    // A bounded book: the oldest authorizations go first.
    if (book.size >= MAX_AUTHORIZATIONS) book.delete(book.keys().next().value!);
    const now = clock();
    const authorization: Authorization = {
      reference: `pi_${crypto.randomUUID().replaceAll('-', '')}`,
      ...parsed.data,
      status: 'AUTHORIZED',
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + AUTHORIZATION_TTL_MS).toISOString(),
    };
    book.set(authorization.reference, authorization);
    return c.json(authorization, 201);
  });

  routes.get('/authorizations/:reference', (c) => {
    const found = book.get(c.req.param('reference'));
    if (!found) return c.json({ error: 'No such authorization' }, 404);
    const expired = found.status === 'AUTHORIZED' && Date.parse(found.expiresAt) <= clock();
    return c.json(expired ? { ...found, status: 'EXPIRED' } : found);
  });

  routes.post('/authorizations/:reference/void', (c) => {
    const found = book.get(c.req.param('reference'));
    if (!found) return c.json({ error: 'No such authorization' }, 404);
    found.status = 'VOIDED';
    return c.json(found);
  });

  return routes;
}
