/**
 * Orders on Workers: the Worker of wrangler.toml (bundled as `wrangler dev` bundles it, its
 * Durable Objects and migrations included) in front of a sandbox ERP on Node. Orders placed while
 * the ERP is down come back QUEUED; once it is back, the jobs object's alarm submits each exactly
 * once, with no request to the Worker to wake anything. Offline: wrangler opens nothing beyond loopback.
 *
 * In the Node project for the same reasons as worker-read-path.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../scripts/sign-token.ts';
import { startSandboxErp } from '../../src/sandbox-erp/server.ts';
import { eventually, PLACE_ORDER, type ErpOrderRecord } from '../support/orders.ts';

process.env.WRANGLER_SEND_METRICS = 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
process.env.CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV = 'false';
const { unstable_startWorker } = await import('wrangler');

type Worker = Awaited<ReturnType<typeof unstable_startWorker>>;
type Sandbox = Awaited<ReturnType<typeof startSandboxErp>>;

const CONFIG = fileURLToPath(new URL('../../wrangler.toml', import.meta.url));

describe('orders on Workers (workerd, Durable Objects), against the sandbox ERP', () => {
  const secret = randomBytes(32).toString('base64url');
  let sandbox: Sandbox;
  let worker: Worker;

  const control = async (path: string, body?: unknown) => {
    const response = await fetch(
      `${sandbox.url}/__control/${path}`,
      body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
    );
    if (!response.ok) throw new Error(`sandbox control ${path}: ${response.status}`);
    return response.json();
  };
  const erpOrders = async () => ((await control('orders')) as { orders: ErpOrderRecord[] }).orders;
  const graphql = async (query: string, variables: Record<string, unknown>, token: string) => {
    const response = await fetch(new URL('/graphql', await worker.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: any[] };
  };

  beforeAll(async () => {
    sandbox = await startSandboxErp({ port: 0 });
    worker = await unstable_startWorker({
      config: CONFIG,
      envFiles: ['.env.none-for-tests'],
      bindings: {
        ERP_URL: { type: 'plain_text', value: sandbox.url },
        AUTH_JWT_SECRET: { type: 'secret_text', value: secret },
        // The buyer is not kept waiting for a dispatcher in another object.
        ORDER_SUBMIT_WAIT_MS: { type: 'plain_text', value: '0' },
        BREAKER_COOLDOWN_SECONDS: { type: 'plain_text', value: '1' },
      },
      // Durable Objects' state in a directory of this run's own; no file watcher.
      dev: {
        server: { hostname: '127.0.0.1', port: 0 },
        inspector: false,
        persist: mkdtempSync(join(tmpdir(), 'erpfront-worker-orders-')),
        watch: false,
        logLevel: 'warn',
      },
    });
    await worker.ready;
  });

  afterAll(async () => {
    await control('faults', { outage: false }).catch(() => {});
    await worker?.dispose();
    await sandbox?.close();
  });

  it('10 orders placed while the ERP is down come back QUEUED; once it is back, each is in the ERP exactly once, with no request to wake anything', async () => {
    const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
    // The buyer browsed first: credit figures and prices are cached in the isolate.
    const warm = await graphql(
      '{ viewer { customer { id creditStatus { available { amount } } } } products(skus: ["SKU-00001"]) { price { unitPrice { amount } } } }',
      {},
      token,
    );
    expect(warm.errors).toBeUndefined();
    await control('faults', { outage: true });

    const placed: string[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = await graphql(
        PLACE_ORDER,
        { input: { idempotencyKey: `edge-${i}`, poNumber: `PO-${i}`, lines: [{ sku: 'SKU-00001', quantity: 1 }] } },
        token,
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data.placeOrder.userErrors).toEqual([]);
      expect(answer.data.placeOrder.order.status).toBe('QUEUED');
      placed.push(answer.data.placeOrder.order.id);
    }
    // The same key again: the same order, not a second one.
    const again = await graphql(PLACE_ORDER, { input: { idempotencyKey: 'edge-0', poNumber: 'PO-0', lines: [{ sku: 'SKU-00001', quantity: 1 }] } }, token);
    expect(again.data.placeOrder.order.id).toBe(placed[0]);
    expect(await erpOrders()).toEqual([]);

    await control('faults', { outage: false });
    // Only the sandbox is asked from here on: the jobs object's alarm does the rest.
    const held = await eventually(erpOrders, (orders) => orders.length >= placed.length, 30_000, 250);
    expect(held.map((o) => o.externalRef)).toEqual(placed);
    expect(held.every((o) => o.customerId === 'C0001')).toBe(true);

    const order = await graphql('query($id: ID!) { order(id: $id) { status erpOrderNumber } }', { id: placed[9] }, token);
    expect(order.data.order).toEqual({ status: 'SUBMITTED', erpOrderNumber: held[9]!.number });
  });
});
