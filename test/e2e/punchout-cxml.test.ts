/**
 * cXML PunchOut over real HTTP, sandbox ERP and erpfront as processes, the buyer's procurement
 * system as a local endpoint: setup → start URL → session → cart through GraphQL → the
 * PunchOutOrderMessage form → OrderRequest → order → ConfirmationRequest and ShipNoticeRequest.
 * Every document erpfront produces is validated against the DTD it declares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually } from '../support/orders.ts';
import {
  buyersFile,
  demoBuyer,
  demoRequest,
  orderRequest,
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
  type OrderLine,
} from '../support/punchout.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
let buyer: Awaited<ReturnType<typeof startBuyerEndpoint>>;
const hasXmllint = xmllintAvailable();

/** Asserts `xml` is valid against its declared DTD (when xmllint is there; see xmllintAvailable). */
function expectDtdValid(xml: string) {
  if (!hasXmllint) return;
  const result = validateDtd(xml);
  expect(result.output).toBe('');
  expect(result.valid).toBe(true);
}

beforeAll(async () => {
  buyer = await startBuyerEndpoint();
  stack = await startStack({
    PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer(`${buyer.url}/cxml/order-status`)]),
    PUNCHOUT_NOTIFY_INTERVAL_MS: '200',
    BREAKER_COOLDOWN_SECONDS: '1',
  });
});
afterAll(async () => {
  await stack?.close();
  await buyer?.close();
});

/** Setup → start URL → session token, as the demo buyer. */
async function openSession(options: Parameters<typeof setupRequest>[1] = {}) {
  const answer = await postCxml(stack, demoRequest(setupRequest(`${buyer.url}/punchout/return`, options)));
  expect(answer.httpStatus).toBe(200);
  expect(answer.code).toBe(200);
  expectDtdValid(answer.body);
  const startUrl = startPageUrl(answer.body)!;
  const redeemed = await redeem(stack, startUrl);
  expect(redeemed.status).toBe(200);
  return { startUrl, token: redeemed.body.accessToken as string, session: redeemed.body.session };
}

/** The cXML inside a returned form (cxml-urlencoded: the value is the document itself). */
function orderMessageOf(html: string) {
  const form = readForm(html);
  const field = form.fields.find(([name]) => name === 'cxml-urlencoded');
  return { form, xml: field![1] };
}

function linesOf(poom: string): OrderLine[] {
  return [
    ...poom.matchAll(
      /<ItemIn quantity="([^"]+)"[\s\S]*?<SupplierPartID>([^<]+)<\/SupplierPartID>\s*<SupplierPartAuxiliaryID>([^<]+)<[\s\S]*?<Money currency="([A-Z]+)">([^<]+)<[\s\S]*?<UnitOfMeasure>([^<]+)</g,
    ),
  ].map((m) => ({ quantity: Number(m[1]), sku: m[2]!, aux: m[3]!, currency: m[4]!, price: m[5]!, unit: m[6]! }));
}

describe('cXML PunchOut round trip', () => {
  it("setup → session → cart through GraphQL → DTD-valid PunchOutOrderMessage at the buyer's prices → OrderRequest → one SUBMITTED order → ConfirmationRequest and ShipNoticeRequest", async () => {
    await stack.faults({ orderStepMs: 300 });
    const { startUrl, token, session } = await openSession({ cookie: '  cookie with spaces & <marks>  ' });
    expect(startUrl).toMatch(/\/punchout\/start\?token=/);
    expect(session).toMatchObject({ protocol: 'CXML', operation: 'CREATE', customerId: 'C0001', lines: [] });
    // One-time: the same start URL cannot be redeemed again.
    expect((await redeem(stack, startUrl)).status).toBe(401);

    const viewer = await stack.graphql('{ viewer { roles customer { id } } }', {}, { token });
    expect(viewer.body.data.viewer).toEqual({ roles: ['PUNCHOUT'], customer: { id: 'C0001' } });
    const set = await stack.graphql(
      SET_CART,
      {
        lines: [
          { sku: 'SKU-00001', quantity: 10 },
          { sku: 'SKU-00002', quantity: 3 },
        ],
      },
      { token },
    );
    expect(set.body.data.setPunchOutCart.userErrors).toEqual([]);
    expect((await stack.graphql(SESSION, {}, { token })).body.data.punchOutSession.lines).toEqual([
      { sku: 'SKU-00001', quantity: 10 },
      { sku: 'SKU-00002', quantity: 3 },
    ]);
    // A PunchOut session may not order by itself: the cart goes back to the procurement system.
    const direct = await stack.graphql('mutation { placeOrder(input: { lines: [{ sku: "SKU-00001", quantity: 1 }] }) { order { id } } }', {}, { token });
    expect(direct.body.errors[0].extensions.code).toBe('FORBIDDEN');

    const prices = await Promise.all(
      [
        ['SKU-00001', 10],
        ['SKU-00002', 3],
      ].map(
        async ([sku, q]) => (await stack.graphql(PRICES, { skus: [sku], q }, { token: await stack.buyerToken('C0001') })).body.data.products[0].price.unitPrice,
      ),
    );
    const returned = await stack.graphql(RETURN_CART, {}, { token });
    const payload = returned.body.data.returnPunchOutCart;
    expect(payload.userErrors).toEqual([]);
    expect(payload.action).toBe(`${buyer.url}/punchout/return`);
    expect(payload.target).toBe('_top');
    expect(payload.html).toContain('.submit()');
    const { form, xml } = orderMessageOf(payload.html);
    expect(form.action).toBe(`${buyer.url}/punchout/return`);
    expectDtdValid(xml);
    expect(xml).toContain('<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">');
    expect(xml).toContain('<BuyerCookie>  cookie with spaces &amp; &lt;marks&gt;  </BuyerCookie>');
    expect(xml).not.toContain('SharedSecret');
    expect(xml).toMatch(/<Classification domain="UNSPSC">\d{8}<\/Classification>/);
    expect(xml).toMatch(/<LeadTime>\d+<\/LeadTime>/);
    const lines = linesOf(xml);
    expect(lines.map((l) => [l.sku, l.quantity, l.price, l.currency])).toEqual([
      ['SKU-00001', 10, prices[0].amount, prices[0].currency],
      ['SKU-00002', 3, prices[1].amount, prices[1].currency],
    ]);
    expect(lines.every((l) => l.aux!.startsWith(`${session.id}/`))).toBe(true);

    // The browser posts the form to the buyer; the session is over.
    const posted = await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) });
    expect(posted.ok).toBe(true);
    expect(new URLSearchParams(buyer.received.at(-1)!.body).get('cxml-urlencoded')).toBe(xml);
    expect((await stack.graphql(SESSION, {}, { token })).status).toBe(401);

    // The approved requisition comes back as a purchase order, twice (a retry): one order.
    const po = demoRequest(orderRequest('PO-RT-1', lines), { payloadId: 'po-rt-1@buyer.example' });
    const first = await postCxml(stack, po);
    expect(first.code).toBe(200);
    expect(first.detail).toMatch(/^OK: order ord_\w+ SUBMITTED/);
    expectDtdValid(first.body);
    const again = await postCxml(stack, po);
    expect(again.detail).toBe(first.detail);
    const resent = await postCxml(stack, demoRequest(orderRequest('PO-RT-1', lines), { payloadId: 'po-rt-1-resent@buyer.example' }));
    expect(resent.code).toBe(200);
    expect(resent.detail).toBe(first.detail);
    const orderId = /ord_\w+/.exec(first.detail)![0];
    expect((await erpOrders(stack)).filter((o) => o.externalRef === orderId)).toHaveLength(1);

    const notices = await eventually(
      async () => buyer.received.filter((r) => r.path === '/cxml/order-status'),
      (r) => r.some((d) => d.body.includes('<ShipNoticeRequest>')),
      25_000,
      200,
    );
    const confirmation = notices.find((d) => d.body.includes('<ConfirmationRequest>'))!;
    expect(confirmation.body).toContain('orderID="PO-RT-1"');
    expect(confirmation.body).toContain('<DocumentReference payloadID="po-rt-1@buyer.example"/>');
    expect(confirmation.body).toContain('<SharedSecret>demo-shared-secret</SharedSecret>');
    expectDtdValid(confirmation.body);
    const shipNotice = notices.find((d) => d.body.includes('<ShipNoticeRequest>'))!;
    expect(shipNotice.body).toMatch(/<ShipmentIdentifier domain="trackingNumber">[^<]+<\/ShipmentIdentifier>/);
    expectDtdValid(shipNotice.body);
    expect(notices.filter((d) => d.body.includes('<ConfirmationRequest>'))).toHaveLength(1);
  });

  it('edit pre-loads the cart from ItemOut; inspect is read-only and returns operationAllowed="inspect"', async () => {
    const edit = await openSession({
      operation: 'edit',
      items: [
        { sku: 'SKU-00003', quantity: 2, aux: 'pos-old/1' },
        { sku: 'SKU-00003', quantity: 1 },
      ],
    });
    expect(edit.session).toMatchObject({ operation: 'EDIT', lines: [{ sku: 'SKU-00003', quantity: 3 }] });
    const inspect = await openSession({ operation: 'inspect', items: [{ sku: 'SKU-00004', quantity: 5 }] });
    const refused = await stack.graphql(SET_CART, { lines: [{ sku: 'SKU-00004', quantity: 1 }] }, { token: inspect.token });
    expect(refused.body.data.setPunchOutCart.userErrors[0].code).toBe('CART_READ_ONLY');
    const returned = (await stack.graphql(RETURN_CART, {}, { token: inspect.token })).body.data.returnPunchOutCart;
    const { xml } = orderMessageOf(returned.html);
    expect(xml).toContain('operationAllowed="inspect"');
    expectDtdValid(xml);
  });
});

describe('cXML authentication and refusals', () => {
  it('a wrong shared secret: 401, no session, no order', async () => {
    const before = (await erpOrders(stack)).length;
    const setup = await postCxml(stack, demoRequest(setupRequest(`${buyer.url}/r`), { secret: 'not-the-secret' }));
    expect(setup).toMatchObject({ httpStatus: 200, code: 401 });
    expect(setup.body).not.toContain('StartPage');
    expect(setup.body).not.toContain('not-the-secret');
    expectDtdValid(setup.body);
    const order = await postCxml(
      stack,
      demoRequest(orderRequest('PO-BAD-SECRET', [{ sku: 'SKU-00001', aux: null, quantity: 1, unit: 'EA', price: '1', currency: 'USD' }]), { secret: 'wrong' }),
    );
    expect(order.code).toBe(401);
    expect((await erpOrders(stack)).length).toBe(before);
    expect(stack.erpfront.output()).not.toContain('not-the-secret');
  });

  it('a BrowserFormPost host the buyer did not register: 400', async () => {
    const answer = await postCxml(stack, demoRequest(setupRequest('https://evil.example/steal')));
    expect(answer.code).toBe(400);
    expect(answer.detail).toMatch(/host is not among the hosts configured/);
  });

  it('ProfileRequest lists what erpfront supports', async () => {
    const answer = await postCxml(stack, demoRequest('<ProfileRequest/>'));
    expect(answer.code).toBe(200);
    for (const name of ['ProfileRequest', 'PunchOutSetupRequest', 'OrderRequest']) expect(answer.body).toContain(`requestName="${name}"`);
    expectDtdValid(answer.body);
  });

  it('the same orderID with other lines: 409; update: 450; delete of an order in the ERP: 409; unknown SKU: 400 with the reason', async () => {
    const line = (sku: string, quantity: number): OrderLine => ({ sku, aux: null, quantity, unit: 'EA', price: '1', currency: 'USD' });
    const placed = await postCxml(stack, demoRequest(orderRequest('PO-CONFLICT', [line('SKU-00001', 1)])));
    expect(placed.detail).toMatch(/^OK/);
    const conflict = await postCxml(stack, demoRequest(orderRequest('PO-CONFLICT', [line('SKU-00001', 2)])));
    expect(conflict.code).toBe(409);
    const update = await postCxml(stack, demoRequest(orderRequest('PO-CONFLICT', [line('SKU-00001', 2)], 'update')));
    expect(update.code).toBe(450);
    const remove = await postCxml(stack, demoRequest(orderRequest('PO-CONFLICT', [line('SKU-00001', 1)], 'delete')));
    expect(remove.code).toBe(409);
    expect(remove.detail).toMatch(/already with the ERP/);
    const unknown = await postCxml(stack, demoRequest(orderRequest('PO-UNKNOWN', [line('NOPE-1', 1)])));
    expect(unknown.code).toBe(400);
    expect(unknown.detail).toMatch(/UNKNOWN_SKU at ItemOut 1/);
    const reused = await postCxml(stack, demoRequest(orderRequest('PO-OTHER', [line('SKU-00001', 3)]), { payloadId: 'reused@buyer' }));
    expect(reused.code).toBe(200);
    const sameId = await postCxml(stack, demoRequest(orderRequest('PO-OTHER-2', [line('SKU-00001', 3)]), { payloadId: 'reused@buyer' }));
    expect(sameId.code).toBe(409);
  });

  it('while the ERP is down an OrderRequest is QUEUED (200), then SUBMITTED once when it returns', async () => {
    const lines: OrderLine[] = [{ sku: 'SKU-00001', aux: null, quantity: 2, unit: 'EA', price: '1', currency: 'USD' }];
    // The buyer browsed first: prices and the account are in erpfront's cache.
    await stack.graphql(PRICES, { skus: ['SKU-00001'], q: 2 });
    await stack.graphql('{ viewer { customer { creditStatus { limit { amount } } } } }');
    await stack.faults({ outage: true });
    try {
      const queued = await postCxml(stack, demoRequest(orderRequest('PO-OUTAGE-1', lines), { payloadId: 'po-outage-1@buyer' }));
      expect(queued.code).toBe(200);
      expect(queued.detail).toMatch(/QUEUED/);
      const orderId = /ord_\w+/.exec(queued.detail)![0];
      await stack.faults({ outage: false });
      const held = await eventually(
        () => erpOrders(stack),
        (orders) => orders.some((o) => o.externalRef === orderId),
        30_000,
        300,
      );
      expect(held.filter((o) => o.externalRef === orderId)).toHaveLength(1);
      const retried = await postCxml(stack, demoRequest(orderRequest('PO-OUTAGE-1', lines), { payloadId: 'po-outage-1@buyer' }));
      expect(retried.detail).toContain(orderId);
    } finally {
      await stack.faults({ outage: false });
    }
  });
});
