/**
 * Returns over HTTP against the sandbox ERP (its own process) and erpfront (its own process): a
 * return of 2 of 5 shipped units reaches the ERP once though the first reply is lost, then is
 * credited with its credit memo linked; more than shipped less returned is refused with a
 * specific code; reasons come from the configured list; another customer's return or order is
 * never reachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, orderStatus, placeOrder } from '../support/orders.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ BREAKER_COOLDOWN_SECONDS: '1', RETURN_REASONS: 'DAMAGED,WRONG_ITEM' });
});
afterAll(() => stack?.close());

const REQUEST_RETURN = /* GraphQL */ `
mutation RequestReturn($input: RequestReturnInput!) { requestReturn(input: $input) { returnRequest { id status } userErrors { code message field } } }`;
const RETURN = /* GraphQL */ `
query R($id: ID!) { returnRequest(id: $id) { id status orderId erpReturnNumber lines { sku quantity reason } creditMemo { number total { amount currency } } } }`;

interface ErpReturnRecord {
  number: string;
  externalRef: string;
  orderRef: string;
  status: string;
}

async function erpReturns(): Promise<ErpReturnRecord[]> {
  return ((await (await fetch(`${stack.sandbox.url}/__control/returns`)).json()) as { returns: ErpReturnRecord[] }).returns;
}

async function control(path: string): Promise<Response> {
  return fetch(`${stack.sandbox.url}/__control/${path}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
}

async function requestReturn(token: string, input: Record<string, unknown>) {
  const answer = await stack.graphql(REQUEST_RETURN, { input }, { token });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.requestReturn as { returnRequest: { id: string; status: string } | null; userErrors: Array<{ code: string }> };
}

/** An order of 5 × SKU-00001 for C0001, in the ERP and shipped (and invoiced). */
async function shippedOrder(token: string, key: string): Promise<{ id: string; unitPrice: string }> {
  const placed = await placeOrder(stack, token, { idempotencyKey: key, lines: [{ sku: 'SKU-00001', quantity: 5 }] });
  expect(placed.userErrors).toEqual([]);
  const id = placed.order!.id;
  await eventually(
    () => orderStatus(stack, token, id),
    (o) => o?.erpOrderNumber != null,
  );
  expect((await control(`orders/${id}/ship`)).status).toBe(200);
  const answer = await stack.graphql(`query O($id: ID!) { order(id: $id) { status lines { unitPrice { amount } shippedQuantity } } }`, { id }, { token });
  expect(answer.body.data.order.lines[0].shippedQuantity).toBe(5);
  return { id, unitPrice: answer.body.data.order.lines[0].unitPrice.amount };
}

describe('returns', () => {
  it('2 of 5 shipped units: reaches the ERP once though its reply is lost, then is credited with the credit memo linked; more than what is left is refused', async () => {
    const token = await stack.buyerToken('C0001');
    const order = await shippedOrder(token, 'order-for-return');

    await stack.faults({ dropResponseAfterCommit: 1 });
    const requested = await requestReturn(token, { orderId: order.id, lines: [{ sku: 'SKU-00001', quantity: 2, reason: 'DAMAGED' }], idempotencyKey: 'rma-1' });
    expect(requested.userErrors).toEqual([]);
    expect(requested.returnRequest!.status).toBe('REQUESTED');
    const id = requested.returnRequest!.id;
    const known = await eventually(
      () => stack.graphql(RETURN, { id }, { token }),
      (a) => a.body.data.returnRequest.erpReturnNumber !== null,
      20_000,
      200,
    );
    const number = known.body.data.returnRequest.erpReturnNumber as string;
    await stack.faults({ dropResponseAfterCommit: false });
    expect((await erpReturns()).filter((r) => r.orderRef === order.id).map((r) => r.number)).toEqual([number]);

    // A retry of the request is the same return; nothing new reaches the ERP.
    expect(
      (await requestReturn(token, { orderId: order.id, lines: [{ sku: 'SKU-00001', quantity: 2, reason: 'DAMAGED' }], idempotencyKey: 'rma-1' })).returnRequest!
        .id,
    ).toBe(id);
    // 4 more of 5 shipped with 2 being returned: refused, with the specific code.
    const over = await requestReturn(token, { orderId: order.id, lines: [{ sku: 'SKU-00001', quantity: 4, reason: 'DAMAGED' }], idempotencyKey: 'rma-2' });
    expect(over).toMatchObject({ returnRequest: null, userErrors: [{ code: 'RETURN_QUANTITY_EXCEEDS_SHIPPED' }] });
    expect((await erpReturns()).filter((r) => r.orderRef === order.id)).toHaveLength(1);

    expect((await control(`returns/${number}/receive`)).status).toBe(200);
    expect((await control(`returns/${number}/credit`)).status).toBe(200);
    const credited = (await stack.graphql(RETURN, { id }, { token })).body.data.returnRequest;
    const total = (Number(order.unitPrice) * 2).toFixed(2);
    expect(credited).toMatchObject({
      status: 'CREDITED',
      orderId: order.id,
      erpReturnNumber: number,
      lines: [{ sku: 'SKU-00001', quantity: 2, reason: 'DAMAGED' }],
      creditMemo: { number: `CM-${number.slice(4)}`, total: { amount: total, currency: 'USD' } },
    });
    const list = await stack.graphql(`{ returnRequests(first: 5) { edges { node { id status } } } }`, {}, { token });
    expect(list.body.data.returnRequests.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(id);
  });

  it('a reason outside RETURN_REASONS, or a SKU not on the order, is refused; nothing reaches the ERP', async () => {
    const token = await stack.buyerToken('C0001');
    const order = await shippedOrder(token, 'order-for-bad-return');
    const before = (await erpReturns()).length;
    const bad = await requestReturn(token, {
      orderId: order.id,
      lines: [
        { sku: 'SKU-00001', quantity: 1, reason: 'CHANGED_MIND' },
        { sku: 'SKU-00009', quantity: 1, reason: 'DAMAGED' },
      ],
    });
    expect(bad.userErrors.map((e) => e.code).sort()).toEqual(['SKU_NOT_ON_ORDER', 'UNKNOWN_RETURN_REASON']);
    expect((await erpReturns()).length).toBe(before);
  });

  it("another customer's return and order are never reachable", async () => {
    const owner = await stack.buyerToken('C0001');
    const other = await stack.buyerToken('C0003');
    const order = await shippedOrder(owner, 'order-private-return');
    const { returnRequest } = await requestReturn(owner, { orderId: order.id, lines: [{ sku: 'SKU-00001', quantity: 1, reason: 'WRONG_ITEM' }] });
    expect((await stack.graphql(RETURN, { id: returnRequest!.id }, { token: other })).body.data.returnRequest).toBeNull();
    const theirs = await requestReturn(other, { orderId: order.id, lines: [{ sku: 'SKU-00001', quantity: 1, reason: 'WRONG_ITEM' }] });
    expect(theirs).toMatchObject({ returnRequest: null, userErrors: [{ code: 'ORDER_NOT_FOUND' }] });
  });
});
