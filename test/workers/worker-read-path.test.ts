/**
 * erpfront's read path inside workerd: the Worker that wrangler.toml describes (bundled as
 * `wrangler dev` bundles it, test/support/wrangler-worker.ts) in front of a sandbox ERP on Node,
 * reached over real HTTP by workerd's own fetch. Offline: wrangler opens nothing beyond loopback.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../scripts/sign-token.ts';
import { startSandboxErp } from '../../src/sandbox-erp/server.ts';
import { eventually } from '../support/orders.ts';
import { demoBuyer } from '../support/punchout.ts';
import { startWorker, type Worker } from '../support/wrangler-worker.ts';

type Sandbox = Awaited<ReturnType<typeof startSandboxErp>>;

const READ_PATH = /* GraphQL */ `{
  products(skus: ["SKU-00001","SKU-00002"]) {
    sku name
    price { unitPrice { amount currency } source asOf stale }
    availability { status available }
  }
  viewer { customer { id creditStatus { limit { amount } } } }
}`;

async function post(worker: Worker, body: unknown, token?: string) {
  const response = await fetch(new URL('/graphql', await worker.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

describe('erpfront on Workers (workerd), against the sandbox ERP', () => {
  const secret = randomBytes(32).toString('base64url');
  let sandbox: Sandbox;
  let worker: Worker;

  beforeAll(async () => {
    sandbox = await startSandboxErp({ port: 0 });
    worker = await startWorker({
      ERP_URL: { type: 'plain_text', value: sandbox.url },
      AUTH_JWT_SECRET: { type: 'secret_text', value: secret },
      // C0002's buyers get a small bucket (the throttle test below); everybody else the defaults.
      THROTTLE_LIMITS: { type: 'plain_text', value: JSON.stringify({ customers: { C0002: { capacity: 100, restorePerSecond: 1 } } }) },
      // Availability fresh for 1 s, then served stale (and refreshed in the background) for 5 s more:
      // the background refresh test below.
      FRESHNESS_AVAILABILITY_SECONDS: { type: 'plain_text', value: '1' },
      STALE_WHILE_REVALIDATE_FRACTION: { type: 'plain_text', value: '5' },
    });
    await worker.ready;
  });

  afterAll(async () => {
    await worker?.dispose();
    await sandbox?.close();
  });

  it('answers the read path for a buyer with real ERP data', async () => {
    const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
    const { status, body } = await post(worker, { query: READ_PATH }, token);

    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data.products.map((p: { sku: string }) => p.sku)).toEqual(['SKU-00001', 'SKU-00002']);
    for (const product of body.data.products) {
      expect(product.name).toEqual(expect.any(String));
      expect(String(product.price.unitPrice.amount)).toMatch(/^\d+(\.\d+)?$/);
      expect(product.price.unitPrice.currency).toBe('USD');
      expect(product.price.stale).toBe(false);
      expect(product.price.asOf).toEqual(expect.any(String));
      expect(product.availability.status).toEqual(expect.any(String));
    }
    expect(body.data.viewer.customer.id).toBe('C0001');
    expect(String(body.data.viewer.customer.creditStatus.limit.amount)).toMatch(/^\d+(\.\d+)?$/);
  });

  it('a stale entry is refreshed in the background, past the answer that started it: later reads get the new value instead of waiting for ever', async () => {
    const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0003' });
    const STOCK = '{ products(skus: ["SKU-00050"]) { availability { asOf stale } } }';
    const stockCalls = async () =>
      ((await (await fetch(`${sandbox.url}/__control/stats`)).json()) as { byOperation: Record<string, number> }).byOperation.getStock ?? 0;
    const read = async () => {
      const { status, body } = await post(worker, { query: STOCK }, token);
      expect(status).toBe(200);
      return body.data.products[0].availability as { asOf: string; stale: boolean };
    };
    const first = await read();
    expect(first.stale).toBe(false);
    await new Promise((r) => setTimeout(r, 1200));
    const before = await stockCalls();
    // Past freshness, within stale-while-revalidate: answered stale at once, refreshed after.
    expect(await read()).toEqual({ asOf: first.asOf, stale: true });
    // The refresh reaches the ERP after that answer was sent (workerd would cancel it without waitUntil).
    await eventually(stockCalls, (n) => n > before, 10_000, 100);
    const refreshed = await eventually(read, (a) => a.asOf !== first.asOf, 10_000, 200);
    expect(Date.parse(refreshed.asOf)).toBeGreaterThan(Date.parse(first.asOf));
  });

  it('refuses a request without a token with 401 UNAUTHENTICATED', async () => {
    const { status, body } = await post(worker, { query: READ_PATH });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('serves /healthz', async () => {
    const response = await fetch(new URL('/healthz', await worker.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it("throttles a buyer who floods with 429 + Retry-After + THROTTLED from the caller's bucket object; another customer's buyer is served", async () => {
    const flooder = await signToken({ secret, roles: ['buyer'], customerId: 'C0002' });
    let refused: { status: number; body: { errors?: any[] }; retryAfter: string | null } | undefined;
    for (let i = 0; i < 20 && !refused; i++) {
      const response = await fetch(new URL('/graphql', await worker.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${flooder}` },
        body: JSON.stringify({ query: READ_PATH }),
      });
      const body = (await response.json()) as { errors?: any[] };
      if (response.status !== 200) refused = { status: response.status, body, retryAfter: response.headers.get('retry-after') };
    }
    expect(refused?.status).toBe(429);
    expect(refused?.retryAfter).toMatch(/^[1-9]\d*$/);
    expect(refused?.body.errors?.[0]?.extensions).toMatchObject({
      code: 'THROTTLED',
      throttleStatus: { maximumAvailable: 100, restoreRate: 1, currentlyAvailable: expect.any(Number) },
    });
    const neighbour = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
    expect((await post(worker, { query: READ_PATH }, neighbour)).status).toBe(200);
  });

  // Also shows the app is built once per isolate: the counts of the requests above are still there.
  it('counts ERP calls in /metrics for an ops token (prom-client under nodejs_compat)', async () => {
    expect((await fetch(new URL('/metrics', await worker.url))).status).toBe(401);
    const ops = await signToken({ secret, roles: ['ops'] });
    const response = await fetch(new URL('/metrics', await worker.url), { headers: { authorization: `Bearer ${ops}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^erpfront_erp_requests_total\{[^}]*outcome="success"[^}]*\} [1-9]/m);
  });
});

describe('erpfront on Workers with an invalid configuration', () => {
  let worker: Worker;
  const buyerSecret = randomBytes(12).toString('hex');

  beforeAll(async () => {
    worker = await startWorker({
      AUTH_JWT_SECRET: { type: 'secret_text', value: 'too-short-to-sign' },
      // The buyers' secret, with a customer id that is not one and a shared secret that must not be echoed.
      PUNCHOUT_BUYERS: {
        type: 'secret_text',
        value: JSON.stringify([{ ...demoBuyer(), customerId: 'not an id', cxml: { ...demoBuyer().cxml, sharedSecret: buyerSecret } }]),
      },
    });
    await worker.ready;
  });

  afterAll(async () => {
    await worker?.dispose();
  });

  it('answers 500 with every problem listed and the secret not echoed', async () => {
    const response = await fetch(new URL('/healthz', await worker.url));
    const text = await response.text();
    expect(response.status).toBe(500);
    const body = JSON.parse(text);
    expect(body.errors[0].extensions.code).toBe('CONFIGURATION_ERROR');
    expect(body.errors[0].extensions.problems).toEqual([
      expect.stringMatching(/^AUTH_JWT_SECRET: expected at least 32 characters/),
      expect.stringMatching(/^PUNCHOUT_BUYERS: \[0\.customerId\] expected an ERP customer id/),
    ]);
    expect(text).not.toContain('too-short-to-sign');
    expect(text).not.toContain(buyerSecret);
  });
});
