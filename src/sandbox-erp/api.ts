/**
 * The sandbox ERP's REST API, shaped like a real ERP's: batch reads by key lists (as OData
 * `$filter=... in (...)` or SuiteQL `IN` lists allow), search with paging, JSON everywhere, money
 * as decimal strings.
 *
 * @module
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { CustomerAccount, PriceEntry } from '../ports/erp-connector.ts';
import type { DataSet } from './data-set.ts';
import { priceKey } from './pricing.ts';
import type { Operation } from './stats.ts';

export const MAX_IDS = 500;
export const MAX_PRICE_KEYS = 1000;
export const MAX_SEARCH_LIMIT = 100;

const PriceQuerySchema = z.object({
  keys: z
    .array(z.object({ scope: z.enum(['contract', 'priceList', 'list']), scopeId: z.string(), sku: z.string() }))
    .max(MAX_PRICE_KEYS, { message: `at most ${MAX_PRICE_KEYS} keys per call` }),
});

/** Which port operation a request serves, for the stats. */
export function operationOf(method: string, path: string, url: URL): Operation | null {
  const route = path.replace(/\/+$/, '');
  if (method === 'GET' && route === '/api/v1/health') return 'ping';
  if (method === 'GET' && route === '/api/v1/items') return url.searchParams.has('ids') ? 'getItems' : 'searchItems';
  if (method === 'GET' && route === '/api/v1/customers') return 'getCustomers';
  if (method === 'GET' && route === '/api/v1/sales-reps') return 'getSalesReps';
  if (method === 'POST' && route === '/api/v1/accounts') return 'createCustomer';
  if (method === 'GET' && route === '/api/v1/accounts') return 'findCustomerByExternalRef';
  if (method === 'POST' && route === '/api/v1/prices/query') return 'getPrices';
  if (method === 'GET' && route === '/api/v1/stock') return 'getStock';
  if (method === 'POST' && route === '/api/v1/orders') return 'createOrder';
  if (method === 'GET' && route === '/api/v1/orders') return url.searchParams.has('externalRef') ? 'findOrderByExternalRef' : 'listOrders';
  if (method === 'POST' && /^\/api\/v1\/orders\/[^/]+\/cancel$/.test(route)) return 'cancelOrder';
  if (method === 'POST' && route === '/api/v1/quotes') return 'createQuote';
  if (method === 'GET' && route === '/api/v1/quotes') return url.searchParams.has('externalRef') ? 'findQuoteByExternalRef' : 'getQuotes';
  if (method === 'POST' && /^\/api\/v1\/quotes\/[^/]+\/responses$/.test(route)) return 'respondToQuote';
  if (method === 'POST' && route === '/api/v1/returns') return 'createReturn';
  if (method === 'GET' && route === '/api/v1/returns') return url.searchParams.has('externalRef') ? 'findReturnByExternalRef' : 'getReturns';
  if (method === 'POST' && route === '/api/v1/checkout/totals') return 'quoteTotals';
  if (method === 'GET' && route === '/api/v1/open-orders') return 'getOpenOrderSummaries';
  if (method === 'GET' && route === '/api/v1/open-invoices') return 'getOpenInvoices';
  if (method === 'GET' && route === '/api/v1/invoices') return 'getInvoices';
  if (method === 'GET' && /^\/api\/v1\/invoices\/[^/]+\/document$/.test(route)) return 'getInvoiceDocument';
  return null;
}

/**
 * The read API. `customer` answers an account as it stands now: the data set's figures plus the
 * sandbox's own orders (see `order-book.ts`).
 */
export function apiRoutes(data: DataSet, now: () => Date, customer: (account: CustomerAccount) => CustomerAccount): Hono {
  const api = new Hono();

  api.get('/health', (c) => c.json({ status: 'ok', time: now().toISOString() }));

  api.get('/items', (c) => {
    if (c.req.query('ids') !== undefined) {
      return batch(
        c,
        'ids',
        (sku) => data.itemsBySku.get(sku),
        (item) => item.sku,
      );
    }
    const offset = intParam(c.req.query('offset'), 0);
    const limit = intParam(c.req.query('limit'), 20);
    if (offset === null || offset < 0) return badRequest(c, 'offset: expected an integer >= 0');
    if (limit === null || limit < 1 || limit > MAX_SEARCH_LIMIT) {
      return badRequest(c, `limit: expected an integer from 1 to ${MAX_SEARCH_LIMIT}`);
    }
    const query = { offset, limit, text: c.req.query('q'), category: c.req.query('category') };
    const page = data.search(query);
    return c.json({ value: page.items, total: page.total });
  });

  api.get('/customers', (c) =>
    batch(
      c,
      'ids',
      (id) => {
        const account = data.customersById.get(id);
        return account && customer(account);
      },
      (account) => account.id,
    ),
  );

  api.get('/sales-reps', (c) =>
    batch(
      c,
      'ids',
      (id) => data.repsById.get(id),
      (rep) => rep.id,
    ),
  );

  api.get('/stock', (c) => {
    const today = now();
    return batch(
      c,
      'skus',
      (sku) => data.stockRecord(sku, today),
      (record) => record.sku,
    );
  });

  api.post('/prices/query', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return badRequest(c, 'body: expected a JSON object {"keys": [...]}');
    }
    const parsed = PriceQuerySchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue ? issue.path.map(String).join('.') : '';
      return badRequest(c, `${path || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
    const value: PriceEntry[] = [];
    const seen = new Set<string>();
    for (const key of parsed.data.keys) {
      const id = priceKey(key);
      const entry = data.prices.get(id);
      if (entry && !seen.has(id)) value.push(entry);
      seen.add(id);
    }
    return c.json({ value });
  });

  return api;
}

/**
 * A batch read by a comma-separated key list: `{"value": [...found], "missing": [...unknown]}`.
 * Values come back sorted by key, not in the order asked, as many ERPs do; callers map by key.
 */
export function batch<T>(c: Context, param: string, find: (key: string) => T | undefined, keyOf: (value: T) => string): Response {
  const raw = c.req.query(param) ?? '';
  const keys = [
    ...new Set(
      raw
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k !== ''),
    ),
  ];
  if (keys.length > MAX_IDS) return badRequest(c, `${param}: at most ${MAX_IDS} keys per call, got ${keys.length}`);
  const value: T[] = [];
  const missing: string[] = [];
  for (const key of keys) {
    const found = find(key);
    if (found === undefined) missing.push(key);
    else value.push(found);
  }
  value.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return c.json({ value, missing });
}

/** A non-negative integer query parameter; `null` when it is not one. */
export function intParam(raw: string | undefined, fallback: number): number | null {
  if (raw === undefined || raw === '') return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : null;
}

/** 400 `{"error": "<field>: <problem>"}`. */
export function badRequest(c: Context, message: string): Response {
  return c.json({ error: message }, 400);
}
