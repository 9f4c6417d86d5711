/**
 * cXML PunchOut on Workers: the Worker of wrangler.toml (bundled as `wrangler dev` bundles it, its
 * Durable Objects and migrations included) in front of a sandbox ERP on Node, the buyer's
 * procurement system a local endpoint. PunchOutSetupRequest → start URL → session → cart through
 * GraphQL → PunchOutOrderMessage → OrderRequest → the order in the ERP once → ConfirmationRequest
 * and ShipNoticeRequest, sent by the jobs object from the order links the isolate recorded.
 * The buyers come from the PUNCHOUT_BUYERS secret (a Worker has no file to read them from).
 * Every document erpfront produces is validated against the DTD it declares.
 *
 * In the Node project for the same reasons as worker-read-path.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../scripts/sign-token.ts';
import { startSandboxErp } from '../../src/sandbox-erp/server.ts';
import { startWorker as startWranglerWorker, type Worker } from '../support/wrangler-worker.ts';
import { eventually, type ErpOrderRecord } from '../support/orders.ts';
import {
  demoBuyer,
  demoRequest,
  orderRequest,
  type OrderLine,
  DEMO_OCI_BUYER,
  postCxml,
  PRICES,
  readForm,
  redeem,
  RETURN_CART,
  SESSION,
  SET_CART,
  setupRequest,
  startBuyerEndpoint,
  startPageUrl,
  validateDtd,
  xmllintAvailable,
} from '../support/punchout.ts';

type Sandbox = Awaited<ReturnType<typeof startSandboxErp>>;

const hasXmllint = xmllintAvailable();

/** Asserts `xml` is valid against its declared DTD (when xmllint is there; see xmllintAvailable). */
function expectDtdValid(xml: string) {
  if (!hasXmllint) return;
  const result = validateDtd(xml);
  expect(result.output).toBe('');
  expect(result.valid).toBe(true);
}

/** The lines of a PunchOutOrderMessage, as the buyer's OrderRequest sends them back. */
function linesOf(poom: string): OrderLine[] {
  return [
    ...poom.matchAll(
      /<ItemIn quantity="([^"]+)"[\s\S]*?<SupplierPartID>([^<]+)<\/SupplierPartID>\s*<SupplierPartAuxiliaryID>([^<]+)<[\s\S]*?<Money currency="([A-Z]+)">([^<]+)<[\s\S]*?<UnitOfMeasure>([^<]+)</g,
    ),
  ].map((m) => ({ quantity: Number(m[1]), sku: m[2]!, aux: m[3]!, currency: m[4]!, price: m[5]!, unit: m[6]! }));
}

describe('PunchOut (cXML and SAP OCI) on Workers (workerd, Durable Objects), against the sandbox ERP', () => {
  const secret = randomBytes(32).toString('base64url');
  let sandbox: Sandbox;
  let buyer: Awaited<ReturnType<typeof startBuyerEndpoint>>;
  let worker: Worker;
  let persistDir: string;
  /** Where the Worker answers, for the PunchOut helpers. */
  const site = { erpfront: { url: '' } };

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
    const response = await fetch(`${site.erpfront.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
  };

  /** The Worker of wrangler.toml, its Durable Objects' state in `persistDir` (kept across restarts). */
  const startWorker = async () => {
    worker = await startWranglerWorker(
      {
        ERP_URL: { type: 'plain_text', value: sandbox.url },
        AUTH_JWT_SECRET: { type: 'secret_text', value: secret },
        PUNCHOUT_BUYERS: { type: 'secret_text', value: JSON.stringify([demoBuyer(`${buyer.url}/cxml/order-status`), DEMO_OCI_BUYER]) },
        PUNCHOUT_NOTIFY_INTERVAL_MS: { type: 'plain_text', value: '200' },
        BREAKER_COOLDOWN_SECONDS: { type: 'plain_text', value: '1' },
        ERP_REQUESTS_PER_SECOND: { type: 'plain_text', value: '200' },
      },
      { persist: persistDir, logLevel: 'none' },
    );
    await worker.ready;
    site.erpfront.url = new URL(await worker.url).origin;
  };

  beforeAll(async () => {
    sandbox = await startSandboxErp({ port: 0 });
    buyer = await startBuyerEndpoint();
    persistDir = mkdtempSync(join(tmpdir(), 'erpfront-worker-punchout-'));
    await startWorker();
  });

  afterAll(async () => {
    await worker?.dispose();
    await buyer?.close();
    await sandbox?.close();
    if (persistDir) rmSync(persistDir, { recursive: true, force: true });
  });

  it("setup → session → cart, kept across a restart of workerd → DTD-valid PunchOutOrderMessage at the buyer's prices → OrderRequest → one order in the ERP → ConfirmationRequest and ShipNoticeRequest", async () => {
    await control('faults', { orderStepMs: 300 });
    const setup = await postCxml(site, demoRequest(setupRequest(`${buyer.url}/punchout/return`, { cookie: '  cookie with spaces & <marks>  ' })));
    expect(setup).toMatchObject({ httpStatus: 200, code: 200 });
    expectDtdValid(setup.body);
    const startUrl = startPageUrl(setup.body)!;
    expect(startUrl).toMatch(/\/punchout\/start\?token=/);
    const redeemed = await redeem(site, startUrl);
    expect(redeemed.status).toBe(200);
    const token = redeemed.body.accessToken as string;
    expect(redeemed.body.session).toMatchObject({ protocol: 'CXML', operation: 'CREATE', customerId: 'C0001', lines: [] });
    // One-time, for every isolate: the same start URL cannot be redeemed again.
    expect((await redeem(site, startUrl)).status).toBe(401);

    const cart = [
      { sku: 'SKU-00001', quantity: 10 },
      { sku: 'SKU-00002', quantity: 3 },
    ];
    const set = await graphql(SET_CART, { lines: cart }, token);
    expect(set.body.data?.setPunchOutCart.userErrors, JSON.stringify(set.body)).toEqual([]);

    // A deployment (or an eviction) in the middle of the buyer's session: the whole runtime goes,
    // the Durable Objects' state stays. The session, its token and its cart are still there.
    await worker.dispose();
    await startWorker();
    expect((await graphql(SESSION, {}, token)).body.data?.punchOutSession.lines).toEqual(cart);

    const buyerToken = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
    const prices = await Promise.all(
      cart.map(async ({ sku, quantity }) => (await graphql(PRICES, { skus: [sku], q: quantity }, buyerToken)).body.data!.products[0].price.unitPrice),
    );
    const returned = (await graphql(RETURN_CART, {}, token)).body.data!.returnPunchOutCart;
    expect(returned.userErrors).toEqual([]);
    const form = readForm(returned.html);
    expect(form.action).toBe(`${buyer.url}/punchout/return`);
    const xml = form.fields.find(([name]) => name === 'cxml-urlencoded')![1];
    expectDtdValid(xml);
    expect(xml).toContain('<BuyerCookie>  cookie with spaces &amp; &lt;marks&gt;  </BuyerCookie>');
    expect(xml).not.toContain('SharedSecret');
    const lines = linesOf(xml);
    expect(lines.map((l) => [l.sku, l.quantity, l.price, l.currency])).toEqual([
      ['SKU-00001', 10, prices[0].amount, prices[0].currency],
      ['SKU-00002', 3, prices[1].amount, prices[1].currency],
    ]);
    // The cart went back: the session is over.
    expect((await graphql(SESSION, {}, token)).status).toBe(401);

    // The approved requisition comes back as a purchase order, twice (a retry): one order.
    const po = demoRequest(orderRequest('PO-WORKERS-1', lines), { payloadId: 'po-workers-1@buyer.example' });
    const first = await postCxml(site, po);
    expect(first.code, first.body).toBe(200);
    // Workers answer once the order is queued (ORDER_SUBMIT_WAIT_MS=0): the jobs object submits it.
    expect(first.detail).toMatch(/^OK: order ord_\w+ (QUEUED|SUBMITTED)/);
    expectDtdValid(first.body);
    expect((await postCxml(site, po)).detail).toBe(first.detail);
    const orderId = /ord_\w+/.exec(first.detail)![0];
    const held = await eventually(erpOrders, (orders) => orders.some((o) => o.externalRef === orderId), 20_000, 200);
    expect(held.filter((o) => o.externalRef === orderId)).toHaveLength(1);

    // The jobs object's notifier found the order link the isolate recorded.
    const notices = await eventually(
      async () => buyer.received.filter((r) => r.path === '/cxml/order-status'),
      (r) => r.some((d) => d.body.includes('<ShipNoticeRequest>')),
      30_000,
      200,
    );
    const confirmations = notices.filter((d) => d.body.includes('<ConfirmationRequest>'));
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.body).toContain('orderID="PO-WORKERS-1"');
    expect(confirmations[0]!.body).toContain('<DocumentReference payloadID="po-workers-1@buyer.example"/>');
    expectDtdValid(confirmations[0]!.body);
    const shipNotice = notices.find((d) => d.body.includes('<ShipNoticeRequest>'))!;
    expect(shipNotice.body).toMatch(/<ShipmentIdentifier domain="trackingNumber">[^<]+<\/ShipmentIdentifier>/);
    expectDtdValid(shipNotice.body);
    expect((await erpOrders()).filter((o) => o.externalRef === orderId)).toHaveLength(1);
  }, 120_000); // a restart of workerd, and the order's way through the ERP to a ship notice

  it("SAP OCI: call-up → 303 to the start page → session → cart → the NEW_ITEM-* form back to HOOK_URL, at the buyer's prices", async () => {
    const callUp = await fetch(`${site.erpfront.url}/punchout/oci`, {
      method: 'POST',
      body: new URLSearchParams({
        HOOK_URL: 'http://buyer.example/sap/bc/srm/oci_return?sap-client=100',
        USERNAME: DEMO_OCI_BUYER.oci.logins[0]!.username,
        PASSWORD: DEMO_OCI_BUYER.oci.logins[0]!.password,
        '~OkCode': 'ADDI',
        '~TARGET': '_top',
      }),
      redirect: 'manual',
    });
    expect(callUp.status).toBe(303);
    const redeemed = await redeem(site, callUp.headers.get('location')!);
    expect(redeemed.body.session).toMatchObject({ protocol: 'OCI', operation: 'CREATE', customerId: 'C0002' });
    const token = redeemed.body.accessToken as string;

    expect((await graphql(SET_CART, { lines: [{ sku: 'SKU-00007', quantity: 4 }] }, token)).body.data?.setPunchOutCart.userErrors).toEqual([]);
    const returned = (await graphql(RETURN_CART, {}, token)).body.data!.returnPunchOutCart;
    expect(returned.userErrors).toEqual([]);
    const form = readForm(returned.html);
    expect(form).toMatchObject({ action: 'http://buyer.example/sap/bc/srm/oci_return', target: '_top' });
    const fields = new Map(form.fields);
    const buyerToken = await signToken({ secret, roles: ['buyer'], customerId: 'C0002' });
    const price = (await graphql(PRICES, { skus: ['SKU-00007'], q: 4 }, buyerToken)).body.data!.products[0].price.unitPrice;
    expect(fields.get('sap-client')).toBe('100');
    expect(fields.get('NEW_ITEM-VENDORMAT[1]')).toBe('SKU-00007');
    expect(fields.get('NEW_ITEM-QUANTITY[1]')).toBe('4');
    expect(fields.get('NEW_ITEM-PRICE[1]')).toBe(price.amount);
    expect(fields.get('NEW_ITEM-CURRENCY[1]')).toBe(price.currency);
    // The session ended with the return, for every isolate.
    expect((await graphql(RETURN_CART, {}, token)).status).toBe(401);
  });
});
