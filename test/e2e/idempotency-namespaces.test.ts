/**
 * Idempotency keys from different sources never meet: a buyer's own `idempotencyKey` and the key
 * PunchOut derives from a purchase order (its orderID) live in separate namespaces of the same
 * customer. A buyer who sends `cxml:<PO>` (by accident or to block a procurement order) neither
 * blocks the OrderRequest for that PO nor gets its order; each keeps its own retry behaviour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../support/orders.ts';
import { buyersFile, demoBuyer, demoRequest, orderRequest, postCxml } from '../support/punchout.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer()]) });
});
afterAll(() => stack?.close());

const line = (sku: string, quantity: number) => ({ sku, aux: null, quantity, unit: 'EA', price: '1', currency: 'USD' });
const orderIdOf = (text: string) => /order (ord_\w+)/.exec(text)?.[1] ?? null;

describe('idempotency key namespaces', () => {
  it('a buyer\'s placeOrder with idempotencyKey "cxml:<PO>" first: the OrderRequest for that PO is still accepted, as an order of its own', async () => {
    const token = await stack.buyerToken('C0001');
    const mine = await placeOrder(stack, token, { idempotencyKey: 'cxml:PO-NS-1', lines: [{ sku: 'SKU-00003', quantity: 2 }] });
    expect(mine.userErrors).toEqual([]);

    const answer = await postCxml(stack, demoRequest(orderRequest('PO-NS-1', [line('SKU-00001', 1)])));
    expect({ code: answer.code, detail: answer.detail }).toMatchObject({ code: 200 });
    const procured = orderIdOf(answer.detail);
    expect(procured).toMatch(/^ord_/);
    expect(procured).not.toBe(mine.order!.id);

    // Each source's retries still find their own order.
    expect((await placeOrder(stack, token, { idempotencyKey: 'cxml:PO-NS-1', lines: [{ sku: 'SKU-00003', quantity: 2 }] })).order!.id).toBe(mine.order!.id);
    const resent = await postCxml(stack, demoRequest(orderRequest('PO-NS-1', [line('SKU-00001', 1)])));
    expect(orderIdOf(resent.detail)).toBe(procured);
  });

  it('the other way round: a PO ordered through cXML first, then a buyer\'s key "cxml:<PO>" gets a new order of its own', async () => {
    const answer = await postCxml(stack, demoRequest(orderRequest('PO-NS-2', [line('SKU-00004', 1)])));
    expect(answer.code).toBe(200);
    const token = await stack.buyerToken('C0001');
    const mine = await placeOrder(stack, token, { idempotencyKey: 'cxml:PO-NS-2', poNumber: 'PO-NS-2', lines: [{ sku: 'SKU-00004', quantity: 1 }] });
    expect(mine.userErrors).toEqual([]);
    expect(mine.order!.id).not.toBe(orderIdOf(answer.detail));
  });

  it('a buyer key that only looks escaped ("~cxml:…", "~x") stays its own key, distinct from the others', async () => {
    const token = await stack.buyerToken('C0001');
    const a = await placeOrder(stack, token, { idempotencyKey: '~cxml:PO-NS-1', lines: [{ sku: 'SKU-00003', quantity: 2 }] });
    const b = await placeOrder(stack, token, { idempotencyKey: '~~cxml:PO-NS-1', lines: [{ sku: 'SKU-00003', quantity: 2 }] });
    const c = await placeOrder(stack, token, { idempotencyKey: 'cxml:PO-NS-1', lines: [{ sku: 'SKU-00003', quantity: 2 }] });
    expect(new Set([a.order!.id, b.order!.id, c.order!.id]).size).toBe(3);
  });
});
