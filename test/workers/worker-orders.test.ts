/**
 * Orders on Workers: the Worker of wrangler.toml (bundled as `wrangler dev` bundles it, its
 * Durable Objects and migrations included) in front of a sandbox ERP on Node. Orders placed while
 * the ERP is down come back QUEUED; once it is back, the jobs object's alarm submits each exactly
 * once, with no request to the Worker to wake anything. Offline: wrangler opens nothing beyond loopback.
 *
 * In the Node project for the same reasons as worker-read-path.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { signToken } from '../../scripts/sign-token.ts';
import { startSandboxErp } from '../../src/sandbox-erp/server.ts';
import { startWorker as startWranglerWorker, type Worker } from '../support/wrangler-worker.ts';
import { eventually, PLACE_ORDER, type ErpOrderRecord } from '../support/orders.ts';

type Sandbox = Awaited<ReturnType<typeof startSandboxErp>>;

/** What a buyer's page reads before ordering: credit and the price of what they order. */
const WARM = '{ viewer { customer { id creditStatus { onHold available { amount } } } } products(skus: ["SKU-00001"]) { price { unitPrice { amount } } } }';

describe('orders on Workers (workerd, Durable Objects), against the sandbox ERP', () => {
  const secret = randomBytes(32).toString('base64url');
  let sandbox: Sandbox;
  let worker: Worker;
  /** Where the Worker's Durable Objects keep their state: one for the file, kept across a restart. */
  let persistDir: string;

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
  const place = (token: string, key: string) =>
    graphql(PLACE_ORDER, { input: { idempotencyKey: key, poNumber: key, lines: [{ sku: 'SKU-00001', quantity: 1 }] } }, token);

  /** The Worker of wrangler.toml, its Durable Objects' state in `persist` (kept across restarts). */
  const startWorker = (persist: string) =>
    startWranglerWorker(
      {
        ERP_URL: { type: 'plain_text', value: sandbox.url },
        AUTH_JWT_SECRET: { type: 'secret_text', value: secret },
        BREAKER_COOLDOWN_SECONDS: { type: 'plain_text', value: '1' },
        // The sandbox's own request limit (below): an order sent by a killed workerd has committed,
        // or never will, 2 s after it was sent; in doubt, it is looked up before it is sent again.
        ERP_TIMEOUT_MS: { type: 'plain_text', value: '2000' },
        ERP_MAX_REQUEST_SECONDS: { type: 'plain_text', value: '2' },
        ERP_REQUESTS_PER_SECOND: { type: 'plain_text', value: '200' },
      },
      { persist, logLevel: 'none' },
    );
  const stateDir = () => mkdtempSync(join(tmpdir(), 'erpfront-worker-orders-'));

  beforeAll(async () => {
    sandbox = await startSandboxErp({ port: 0 });
    await control('faults', { maxRequestMs: 2000 });
    persistDir = stateDir();
    worker = await startWorker(persistDir);
    await worker.ready;
  });

  afterAll(async () => {
    await control('faults', { outage: false }).catch(() => {});
    await worker?.dispose();
    await sandbox?.close();
    if (persistDir) rmSync(persistDir, { recursive: true, force: true });
  });

  it('10 orders placed while the ERP is down come back QUEUED; once it is back, each is in the ERP exactly once, with no request to wake anything', async () => {
    const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
    // The buyer browsed first: credit figures and prices are cached in the isolate.
    const warm = await graphql(WARM, {}, token);
    expect(warm.errors).toBeUndefined();
    await control('faults', { outage: true });

    const placed: string[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = await place(token, `edge-${i}`);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.placeOrder.userErrors).toEqual([]);
      expect(answer.data.placeOrder.order.status).toBe('QUEUED');
      placed.push(answer.data.placeOrder.order.id);
    }
    // The same key again: the same order, not a second one.
    const again = await place(token, 'edge-0');
    expect(again.data?.placeOrder.order?.id, JSON.stringify(again)).toBe(placed[0]);
    expect(await erpOrders()).toEqual([]);

    await control('faults', { outage: false });
    // Only the sandbox is asked from here on: the jobs object's alarm does the rest.
    const held = await eventually(erpOrders, (orders) => orders.length >= placed.length, 30_000, 250);
    expect(held.map((o) => o.externalRef)).toEqual(placed);
    expect(held.every((o) => o.customerId === 'C0001')).toBe(true);

    const order = await graphql('query($id: ID!) { order(id: $id) { status erpOrderNumber } }', { id: placed[9] }, token);
    expect(order.data.order).toEqual({ status: 'SUBMITTED', erpOrderNumber: held[9]!.number });
  });

  it('50 orders queued during an outage, workerd killed mid-drain and started again on the same state: each reaches the ERP exactly once', async () => {
    // Five buyers in good standing, who browsed first: credit figures and prices cached in the isolate.
    const tokens: string[] = [];
    for (let n = 2; tokens.length < 5 && n <= 40; n++) {
      const token = await signToken({ secret, roles: ['buyer'], customerId: `C${String(n).padStart(4, '0')}` });
      const page = await graphql(WARM, {}, token);
      // A read can fail while the breaker, opened by the outage of the test before, is still cooling down: the next buyer then.
      const credit = page.data?.viewer?.customer?.creditStatus;
      if (!page.errors && credit && !credit.onHold && Number(credit.available.amount) > 2000) tokens.push(token);
    }
    expect(tokens).toHaveLength(5);
    await control('faults', { outage: true });
    const placed: string[] = [];
    for (let round = 0; round < 10; round++) {
      for (const [i, token] of tokens.entries()) {
        const answer = await place(token, `drain-${i}-${round}`);
        expect(answer.data?.placeOrder.order?.status, JSON.stringify(answer)).toBe('QUEUED');
        placed.push(answer.data.placeOrder.order.id);
      }
    }
    const before = new Set((await erpOrders()).map((o) => o.externalRef));

    // Back, but slow: each order takes 400 ms to enter, so the drain is under way for a while.
    await control('faults', { outage: false, orderLatencyMs: 400 });
    const mine = async () => (await erpOrders()).filter((o) => o.externalRef && placed.includes(o.externalRef) && !before.has(o.externalRef));
    const part = await eventually(mine, (orders) => orders.length >= 5, 30_000, 50);
    expect(part.length).toBeLessThan(placed.length);
    // The whole runtime goes, mid-call; its Durable Objects' state stays on disk.
    await worker.dispose();
    worker = await startWorker(persistDir);
    await worker.ready;
    // A request starts the isolate, which makes sure the jobs object runs (it then runs on its alarm).
    expect((await fetch(new URL('/healthz', await worker.url))).status).toBe(200);

    const held = await eventually(mine, (orders) => orders.length >= placed.length, 60_000, 250);
    await new Promise((r) => setTimeout(r, 3000)); // anything still in flight would land by now
    const refs = (await mine()).map((o) => o.externalRef);
    expect(refs.length).toBe(placed.length);
    expect(new Set(refs)).toEqual(new Set(placed));
    expect(held.length).toBe(placed.length);
  }, 120_000); // a restart of workerd, and the drain's retries after the outage: more than the default 30 s on a loaded machine

  it('a quote requested while the ERP is down is created in it once it is back (the outbox object, dispatched on the alarm)', async () => {
    const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
    await control('faults', { outage: true, orderLatencyMs: 0 });
    const input = { lines: [{ sku: 'SKU-00002', quantity: 10 }], note: 'Spring build', idempotencyKey: 'edge-rfq' };
    const request = () =>
      graphql('mutation($input: RequestQuoteInput!) { requestQuote(input: $input) { quote { id status } userErrors { code } } }', { input }, token);
    const requested = await request();
    expect(requested.errors).toBeUndefined();
    expect(requested.data.requestQuote.quote.status).toBe('REQUESTED');
    const id = requested.data.requestQuote.quote.id;
    expect((await request()).data.requestQuote.quote.id).toBe(id);

    await control('faults', { outage: false });
    const quotes = async () => ((await control('quotes')) as { quotes: Array<{ externalRef: string }> }).quotes.filter((q) => q.externalRef === id);
    expect(await eventually(quotes, (held) => held.length > 0, 30_000, 250)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await quotes()).toHaveLength(1);
  });
  it('a company registered and approved while the ERP is down becomes one ERP customer once it is back (the application object, dispatched on the alarm)', async () => {
    // What an identity provider issues a user who signed up: a subject, no company, no role.
    const now = Math.floor(Date.now() / 1000);
    const applicant = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('edge-applicant')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(secret));
    const ops = await signToken({ secret, roles: ['ops'] });
    await control('faults', { outage: true, orderLatencyMs: 0 });
    const input = {
      companyName: 'Edge Fabrication LLC',
      taxId: 'TAX-EDGE-1',
      addresses: [{ name: 'Head office', line1: '1 Edge Way', city: 'Austin', region: 'TX', postalCode: '73301', country: 'US' }],
      contact: { name: 'Ada Edge', email: 'ada@edge.example' },
    };
    const registered = await graphql(
      'mutation($input: RegisterCompanyInput!) { registerCompany(input: $input) { application { id status } userErrors { code message } } }',
      { input },
      applicant,
    );
    expect(registered.errors).toBeUndefined();
    expect(registered.data.registerCompany.userErrors).toEqual([]);
    const id = registered.data.registerCompany.application.id;
    const approved = await graphql('mutation($id: ID!) { approveCompanyApplication(id: $id) { application { status } userErrors { code } } }', { id }, ops);
    expect(approved.data.approveCompanyApplication).toEqual({ application: { status: 'APPROVED' }, userErrors: [] });

    await control('faults', { outage: false });
    const accounts = async () =>
      ((await (await fetch(`${sandbox.url}/api/v1/accounts?externalRef=${encodeURIComponent(id)}`)).json()) as { value: Array<{ id: string }> }).value;
    const [account] = await eventually(accounts, (held) => held.length > 0, 30_000, 250);
    const mine = async () => (await graphql('{ myCompanyApplications { id status customerId } }', {}, applicant)).data.myCompanyApplications;
    expect(await eventually(mine, (apps) => apps[0]?.status === 'CREATED', 30_000, 250)).toEqual([{ id, status: 'CREATED', customerId: account!.id }]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await accounts()).toHaveLength(1);
  });
});
