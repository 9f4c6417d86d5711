/**
 * cXML PunchOut across three erpfront processes sharing one Redis, as behind a load balancer that
 * sends each request wherever it likes: the setup request reaches instance 0, the storefront
 * redeems the start token on instance 1, the cart is built and returned on instance 2, the
 * purchase order arrives on instance 1 — and the buyer gets each order-status document once,
 * although all three instances run the notifier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/orders.ts';
import {
  buyersFile,
  demoBuyer,
  demoRequest,
  orderRequest,
  postCxml,
  readForm,
  redeem,
  RETURN_CART,
  SESSION,
  SET_CART,
  setupRequest,
  startBuyerEndpoint,
  startPageUrl,
} from '../support/punchout.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';
import type { Stack } from '../support/stack.ts';

const available = redisServerAvailable('scale-out-punchout');
let scale: ScaleOut;
let buyer: Awaited<ReturnType<typeof startBuyerEndpoint>>;

/** Instance `i` in the shape the PunchOut helpers take (they post to `stack.erpfront.url`). */
const at = (i: number) => ({ ...scale.stack(i), erpfront: scale.instances[i]! }) as unknown as Stack;

/** A PunchOutSetupRequest answered by instance `i`: the start URL it hands out. */
async function setupOn(i: number, cookie: string): Promise<string> {
  const answer = await postCxml(at(i), demoRequest(setupRequest(`${buyer.url}/punchout/return`, { cookie })));
  expect(answer.code).toBe(200);
  return startPageUrl(answer.body)!;
}

describe.skipIf(!available)('scale-out: PunchOut sessions and order notices on a shared Redis', () => {
  beforeAll(async () => {
    buyer = await startBuyerEndpoint();
    scale = await startScaleOut(3, {
      PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer(`${buyer.url}/cxml/order-status`)]),
      PUNCHOUT_NOTIFY_INTERVAL_MS: '100',
    });
  }, 90_000);
  afterAll(async () => {
    await scale?.close();
    await buyer?.close();
  });

  it('setup on instance 0, start token redeemed on instance 1, cart built and returned on instance 2', async () => {
    const startUrl = await setupOn(0, 'cookie-scale-1');
    const token = new URL(startUrl).searchParams.get('token')!;
    // The start page opens on whichever instance the load balancer picks.
    const page = await fetch(`${scale.instances[1]!.url}/punchout/start?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    const redeemed = await redeem(at(1), startUrl);
    expect(redeemed.status).toBe(200);
    expect(redeemed.body.session).toMatchObject({ protocol: 'CXML', customerId: 'C0001', lines: [] });
    // Once, across instances.
    expect((await redeem(at(2), startUrl)).status).toBe(401);
    const accessToken = redeemed.body.accessToken as string;

    const set = await at(2).graphql(
      SET_CART,
      {
        lines: [
          { sku: 'SKU-00001', quantity: 4 },
          { sku: 'SKU-00002', quantity: 1 },
        ],
      },
      { token: accessToken },
    );
    expect(set.body.data.setPunchOutCart.userErrors).toEqual([]);
    expect((await at(0).graphql(SESSION, {}, { token: accessToken })).body.data.punchOutSession.lines).toEqual([
      { sku: 'SKU-00001', quantity: 4 },
      { sku: 'SKU-00002', quantity: 1 },
    ]);
    const returned = (await at(2).graphql(RETURN_CART, {}, { token: accessToken })).body.data.returnPunchOutCart;
    expect(returned.userErrors).toEqual([]);
    const xml = readForm(returned.html).fields.find(([name]) => name === 'cxml-urlencoded')![1];
    expect(xml).toContain('<PunchOutOrderMessage>');
    expect(xml).toContain('<BuyerCookie>cookie-scale-1</BuyerCookie>');
    expect(xml).toContain('<SupplierPartID>SKU-00001</SupplierPartID>');
    expect(xml).toContain('<SupplierPartID>SKU-00002</SupplierPartID>');
    // The cart went back: the session has ended on every instance.
    for (const i of [0, 1, 2]) expect((await at(i).graphql(SESSION, {}, { token: accessToken })).status).toBe(401);
  });

  it('a start URL redeemed on three instances at once opens one session', async () => {
    const startUrl = await setupOn(2, 'cookie-race');
    const answers = await Promise.all([0, 1, 2].map((i) => redeem(at(i), startUrl)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
  });

  it('an OrderRequest on one instance: the buyer gets one ConfirmationRequest and one ShipNoticeRequest per shipment, not one per instance', async () => {
    await scale.faults({ orderStepMs: 300 });
    const line = { sku: 'SKU-00001', aux: null, quantity: 2, unit: 'EA', price: '1', currency: 'USD' };
    const placed = await postCxml(at(1), demoRequest(orderRequest('PO-SCALE-1', [line]), { payloadId: 'po-scale-1@buyer.example' }));
    expect(placed.code).toBe(200);
    const notices = () => buyer.received.filter((r) => r.path === '/cxml/order-status' && r.body.includes('orderID="PO-SCALE-1"'));
    await eventually(
      async () => notices(),
      (n) => n.some((d) => d.body.includes('<ShipNoticeRequest>')),
      30_000,
      100,
    );
    // Several notifier passes on every instance later, still one of each.
    await new Promise((r) => setTimeout(r, 1500));
    expect(notices().filter((d) => d.body.includes('<ConfirmationRequest>'))).toHaveLength(1);
    const shipments = notices()
      .filter((d) => d.body.includes('<ShipNoticeRequest>'))
      .map((d) => /<ShipmentIdentifier[^>]*>([^<]+)</.exec(d.body)?.[1]);
    expect(shipments.length).toBeGreaterThan(0);
    expect(new Set(shipments).size).toBe(shipments.length);
  }, 60_000);
});
