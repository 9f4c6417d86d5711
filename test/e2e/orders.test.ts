import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually, orderStatus, placeOrder, queue } from '../support/orders.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
let c1: string;
beforeAll(async () => {
  stack = await startStack();
  c1 = await stack.buyerToken('C0001');
});
afterAll(() => stack?.close());

const line = (sku = 'SKU-00001', quantity = 2) => ({ sku, quantity });
let keys = 0;
const key = () => `key-${Date.now()}-${keys++}`;

describe('placeOrder with the ERP up', () => {
  it("comes back SUBMITTED with the ERP's number; the ERP holds exactly one order with that reference", async () => {
    const result = await placeOrder(stack, c1, { idempotencyKey: key(), poNumber: 'PO-4711', lines: [line('SKU-00001', 2), line('SKU-00002', 1)] });
    expect(result.userErrors).toEqual([]);
    expect(result.order).toMatchObject({ status: 'SUBMITTED', erpOrderNumber: expect.stringMatching(/^SO-/), poNumber: 'PO-4711' });
    expect(result.creditDecision).toEqual({ decision: 'APPROVE', reason: null });
    const held = (await erpOrders(stack)).filter((o) => o.externalRef === result.order!.id);
    expect(held).toHaveLength(1);
    expect(held[0]!.number).toBe(result.order!.erpOrderNumber);
    expect(held[0]!.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['SKU-00001', 2],
      ['SKU-00002', 1],
    ]);
  });

  it("prices the order at the buyer's own prices", async () => {
    const page = await stack.graphql('{ products(skus: ["SKU-00002"]) { price(quantity: 10) { unitPrice { amount } } } }', {}, { token: c1 });
    const result = await placeOrder(stack, c1, { lines: [line('SKU-00002', 10)] });
    const expected = page.body.data.products[0].price.unitPrice.amount;
    expect(result.order!.total.amount).toBe((Number(expected) * 10).toFixed(2));
  });

  it('is readable by its id, and not by another customer', async () => {
    const result = await placeOrder(stack, c1, { lines: [line()] });
    expect(await orderStatus(stack, c1, result.order!.id)).toMatchObject({ status: 'SUBMITTED', erpOrderNumber: result.order!.erpOrderNumber });
    expect(await orderStatus(stack, await stack.buyerToken('C0002'), result.order!.id)).toBeNull();
  });
});

describe('idempotency', () => {
  it('the same key sent twice at once makes one order', async () => {
    const k = key();
    const input = { idempotencyKey: k, lines: [line('SKU-00003', 1)] };
    const answers = await Promise.all([placeOrder(stack, c1, input), placeOrder(stack, c1, input)]);
    const ids = new Set(answers.flatMap((a) => (a.order ? [a.order.id] : [])));
    expect(ids.size).toBe(1);
    for (const a of answers) if (!a.order) expect(a.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_IN_USE']);
    const again = await placeOrder(stack, c1, input);
    expect(again.order!.id).toBe([...ids][0]);
    expect((await erpOrders(stack)).filter((o) => o.externalRef === again.order!.id)).toHaveLength(1);
  });

  it('the same key with a different payload: IDEMPOTENCY_KEY_REUSED, nothing new', async () => {
    const k = key();
    const first = await placeOrder(stack, c1, { idempotencyKey: k, lines: [line('SKU-00004', 1)] });
    const before = (await erpOrders(stack)).length;
    const second = await placeOrder(stack, c1, { idempotencyKey: k, lines: [line('SKU-00004', 2)] });
    expect(first.order).not.toBeNull();
    expect(second.order).toBeNull();
    expect(second.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect((await erpOrders(stack)).length).toBe(before);
  });

  it('accepts the key as the Idempotency-Key header', async () => {
    const headers = { 'idempotency-key': key() };
    const a = await placeOrder(stack, c1, { lines: [line('SKU-00005', 1)] }, headers);
    const b = await placeOrder(stack, c1, { lines: [line('SKU-00005', 1)] }, headers);
    expect(b.order!.id).toBe(a.order!.id);
  });
});

describe('bad input: a specific code for each, and nothing written', () => {
  it.each([
    ['no lines', 'C0001', { lines: [] }, 'NO_LINES'],
    ['a zero quantity', 'C0001', { lines: [line('SKU-00001', 0)] }, 'INVALID_QUANTITY'],
    ['a negative quantity', 'C0001', { lines: [line('SKU-00001', -5)] }, 'INVALID_QUANTITY'],
    ['an unknown SKU', 'C0001', { lines: [line('SKU-99999', 1)] }, 'UNKNOWN_SKU'],
    ['duplicate lines', 'C0001', { lines: [line('SKU-00001', 1), line('SKU-00001', 2)] }, 'DUPLICATE_LINE'],
    ['a missing PO number where the account requires one', 'C0003', { lines: [line('SKU-00001', 1)] }, 'PO_NUMBER_REQUIRED'],
    ['an over-long PO number', 'C0001', { poNumber: 'X'.repeat(36), lines: [line()] }, 'FIELD_TOO_LONG'],
    ['over-long notes', 'C0001', { notes: 'n'.repeat(1001), lines: [line()] }, 'FIELD_TOO_LONG'],
    ['an unknown ship-to', 'C0001', { shipToId: 'C0002-ST1', lines: [line()] }, 'UNKNOWN_SHIP_TO'],
    ['a unit the item is not sold in', 'C0001', { lines: [{ sku: 'SKU-00001', quantity: 1, unit: 'TNE' }] }, 'UNIT_MISMATCH'],
    ['an item not sold to the customer', 'C0001', { lines: [line('SKU-00049', 1)] }, 'NOT_SOLD_TO_CUSTOMER'],
    ['a card payment without its authorization', 'C0001', { payment: { method: 'CARD' }, lines: [line()] }, 'PAYMENT_REFERENCE_REQUIRED'],
  ])('%s → %s', async (_, customer, input, code) => {
    const before = (await queue(stack)).length;
    const erpBefore = (await erpOrders(stack)).length;
    const result = await placeOrder(stack, await stack.buyerToken(customer), { idempotencyKey: key(), ...input });
    expect(result.order).toBeNull();
    expect(result.userErrors.map((e) => e.code)).toContain(code);
    expect(result.userErrors[0]!.message.length).toBeGreaterThan(10);
    // erpfront's own words, never the ERP's (its text may carry its URL or record ids).
    for (const error of result.userErrors) expect(error.message).not.toMatch(/ERP at|http:\/\/|getItems|getCustomers/);
    if (code === 'UNKNOWN_SKU') expect(result.userErrors[0]!.message).toBe('SKU-99999 is not in the catalog.');
    expect((await queue(stack)).length).toBe(before);
    expect((await erpOrders(stack)).length).toBe(erpBefore);
  });

  it('a customer on credit hold is blocked, with the reason', async () => {
    const result = await placeOrder(stack, await stack.buyerToken('C0004'), { poNumber: 'PO-1', lines: [line()] });
    expect(result.order).toBeNull();
    expect(result.userErrors.map((e) => e.code)).toEqual(['CREDIT_HOLD']);
    expect(result.creditDecision).toEqual({ decision: 'BLOCK', reason: 'CREDIT_HOLD' });
  });
});

describe('ERP refusals', () => {
  it('land in the dead letters with the reason, show REJECTED to the buyer, and replay once fixed', async () => {
    await stack.faults({ rejectNext: { count: 1, reason: 'BLOCKED_ITEM' } });
    const result = await placeOrder(stack, c1, { lines: [line('SKU-00006', 1)] });
    expect(result.order).toMatchObject({ status: 'REJECTED', rejection: { reason: 'BLOCKED_ITEM' } });
    expect(await orderStatus(stack, c1, result.order!.id)).toMatchObject({ status: 'REJECTED', rejection: { reason: 'BLOCKED_ITEM' } });
    expect((await queue(stack, ['REJECTED'])).map((o) => o.id)).toContain(result.order!.id);

    // The buyer may not replay; operations may.
    const denied = await stack.graphql('mutation($id: ID!) { replayOrder(id: $id) { order { status } } }', { id: result.order!.id }, { token: c1 });
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const replay = await stack.graphql(
      'mutation($id: ID!) { replayOrder(id: $id) { order { status } userErrors { code } } }',
      { id: result.order!.id },
      { token: await stack.opsToken() },
    );
    expect(replay.body.data.replayOrder).toEqual({ order: { status: 'QUEUED' }, userErrors: [] });
    const final = await eventually(
      () => orderStatus(stack, c1, result.order!.id),
      (o) => o?.status === 'SUBMITTED',
    );
    expect(final?.status).toBe('SUBMITTED');
    expect((await erpOrders(stack)).filter((o) => o.externalRef === result.order!.id)).toHaveLength(1);
  });
});
