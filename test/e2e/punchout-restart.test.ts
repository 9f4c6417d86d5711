/**
 * The embedded instance keeps PunchOut state in `punchout.sqlite` under DATA_DIR: after a
 * `kill -9` and a restart on the same DATA_DIR, a shopper's session and cart are still there, and
 * a buyer whose order-status endpoint was down when the order came in still gets its
 * ConfirmationRequest, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/orders.ts';
import {
  buyersFile,
  demoBuyer,
  demoRequest,
  orderRequest,
  postCxml,
  redeem,
  SESSION,
  SET_CART,
  setupRequest,
  startBuyerEndpoint,
  startPageUrl,
} from '../support/punchout.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
let buyer: Awaited<ReturnType<typeof startBuyerEndpoint>>;

beforeAll(async () => {
  buyer = await startBuyerEndpoint();
  stack = await startStack({
    PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer(`${buyer.url}/cxml/order-status`)]),
    PUNCHOUT_NOTIFY_INTERVAL_MS: '100',
  });
});
afterAll(async () => {
  await stack?.close();
  await buyer?.close();
});

describe('PunchOut across a crash of the embedded instance', () => {
  it('an open session and its cart, and a ConfirmationRequest not yet accepted by the buyer, survive kill -9 and a restart', async () => {
    // A shopper in the middle of a session.
    const setup = await postCxml(stack, demoRequest(setupRequest(`${buyer.url}/punchout/return`)));
    const redeemed = await redeem(stack, startPageUrl(setup.body)!);
    expect(redeemed.status).toBe(200);
    const accessToken = redeemed.body.accessToken as string;
    await stack.graphql(SET_CART, { lines: [{ sku: 'SKU-00003', quantity: 6 }] }, { token: accessToken });

    // A purchase order while the buyer's order-status endpoint refuses documents.
    buyer.state.status = 500;
    const line = { sku: 'SKU-00001', aux: null, quantity: 1, unit: 'EA', price: '1', currency: 'USD' };
    const placed = await postCxml(stack, demoRequest(orderRequest('PO-RESTART-1', [line]), { payloadId: 'po-restart-1@buyer.example' }));
    expect(placed.code).toBe(200);
    const confirmations = () => buyer.received.filter((r) => r.body.includes('<ConfirmationRequest>') && r.body.includes('orderID="PO-RESTART-1"'));
    // erpfront tried and was refused: the confirmation is pending.
    expect(
      await eventually(
        async () => confirmations().length,
        (n) => n >= 1,
        10_000,
        50,
      ),
    ).toBeGreaterThanOrEqual(1);

    let refusedBefore = 0;
    await stack.crashAndRestartErpfront(async () => {
      // Whatever the dead process had on the wire has arrived by now; all of it was refused.
      await new Promise((r) => setTimeout(r, 200));
      refusedBefore = confirmations().length;
      buyer.state.status = 200;
    });

    expect((await stack.graphql(SESSION, {}, { token: accessToken })).body.data?.punchOutSession.lines).toEqual([{ sku: 'SKU-00003', quantity: 6 }]);
    const after = await eventually(
      async () => confirmations().length,
      (n) => n > refusedBefore,
      20_000,
      100,
    );
    expect(after).toBe(refusedBefore + 1);
    // Accepted now: never sent again.
    await new Promise((r) => setTimeout(r, 1000));
    expect(confirmations().length).toBe(refusedBefore + 1);
  }, 60_000);
});
