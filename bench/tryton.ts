/**
 * The CatalogPage over Tryton's catalog (its 10 products, as Globex), cold and warm, against the
 * naive way of asking Tryton: one JSON-RPC call per product and field, one after another. ERP
 * calls are counted by a pass-through proxy between the caller and Tryton.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../scripts/sign-token.ts';
import { CATALOG_PAGE } from '../test/support/stack.ts';
import { startTryton, TRYTON_USER } from '../test/support/tryton.ts';
import { createTrytonConnector } from '../src/adapters/erp/tryton/index.ts';
import { freePort, median, startServer } from './harness.ts';

const SKUS = Array.from({ length: 10 }, (_, i) => `SKU-${1001 + i}`);

/** A proxy in front of Tryton that counts the JSON-RPC calls through it. */
async function countingProxy(target: string): Promise<{ url: string; calls(): number; close(): void }> {
  let calls = 0;
  const server: Server = createServer(async (req, res) => {
    calls++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    const answer = await fetch(new URL(req.url ?? '/', target), { method: req.method, headers, body: Buffer.concat(chunks) });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, calls: () => calls, close: () => server.close() };
}

/**
 * The naive client: per product, its id by code, then name, price for the customer, and stock in
 * each warehouse, each its own call, in sequence; then the customer's credit.
 */
async function naivePage(connector: ReturnType<typeof createTrytonConnector>): Promise<void> {
  const call = (model: string, method: string, args: unknown[], context: Record<string, unknown> = {}) =>
    connector.rpc.model('naive', model, method, args, context);
  const [party] = (await call('party.party', 'search_read', [[['code', '=', 'GLOBEX']], 0, 1, null, ['sale_price_list']])) as Array<{
    id: number;
    sale_price_list: number;
  }>;
  const warehouses = (await call('stock.location', 'search', [[['type', '=', 'warehouse']]])) as number[];
  for (const sku of SKUS) {
    const [id] = (await call('product.product', 'search', [[['code', '=', sku]]])) as number[];
    await call('product.product', 'read', [[id], ['name']]);
    await call('product.product', 'read', [[id], ['sale_price_uom']], { price_list: party!.sale_price_list, customer: party!.id, quantity: 1 });
    await call('product.product', 'read', [[id], ['list_price']]);
    for (const warehouse of warehouses) await call('product.product', 'read', [[id], ['quantity', 'forecast_quantity']], { locations: [warehouse] });
  }
  await call('party.party', 'read', [[party!.id], ['credit_amount', 'credit_limit_amount']]);
}

export async function benchTryton(options: { warmRuns?: number } = {}) {
  const warmRuns = options.warmRuns ?? 30;
  const tryton = await startTryton();
  const proxy = await countingProxy(tryton.url);
  const secret = randomBytes(32).toString('base64url');
  const port = await freePort();
  const erpfront = await startServer(
    ['src/entry/node.ts'],
    {
      PORT: String(port),
      ERP_CONNECTOR: 'tryton',
      ERP_URL: `${proxy.url}/demo/`,
      ERP_USERNAME: TRYTON_USER.username,
      ERP_PASSWORD: TRYTON_USER.password,
      AUTH_JWT_SECRET: secret,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-bench-')),
    },
    /GraphQL at/,
  );
  try {
    const token = await signToken({ secret, roles: ['buyer'], customerId: 'GLOBEX' });
    const request = {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: CATALOG_PAGE, variables: { skus: SKUS, quantity: 1 } }),
    };
    const page = async () => {
      const before = proxy.calls();
      const started = performance.now();
      const body = await (await fetch(`http://127.0.0.1:${port}/graphql`, request)).json();
      const ms = performance.now() - started;
      if (body.errors) throw new Error(`CatalogPage on Tryton failed: ${JSON.stringify(body.errors)}`);
      return { ms, calls: proxy.calls() - before };
    };
    // erpfront logs in on its first ERP call (Tryton hashes the password: about half a second); a
    // readiness probe opens the session, so "cold" measures empty caches, not the login.
    await fetch(`http://127.0.0.1:${port}/readyz`);
    const cold = await page();
    const warm: Array<{ ms: number; calls: number }> = [];
    for (let i = 0; i < warmRuns; i++) warm.push(await page());

    // The naive client logs in once too: its session is not counted.
    const naive = createTrytonConnector({ url: `${proxy.url}/demo/`, ...TRYTON_USER });
    await naive.ping();
    const naiveRuns: Array<{ ms: number; calls: number }> = [];
    for (let i = 0; i < 3; i++) {
      const before = proxy.calls();
      const started = performance.now();
      await naivePage(naive);
      naiveRuns.push({ ms: performance.now() - started, calls: proxy.calls() - before });
    }
    return {
      skus: SKUS.length,
      cold,
      warm: { ms: median(warm.map((w) => w.ms)), calls: warm.reduce((sum, w) => sum + w.calls, 0) / warm.length },
      naive: { ms: median(naiveRuns.map((n) => n.ms)), calls: naiveRuns[0]!.calls },
    };
  } finally {
    erpfront.kill('SIGKILL');
    proxy.close();
    await tryton.close();
  }
}
