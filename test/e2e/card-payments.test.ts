/**
 * Card payments are verified with the payment gateway before an order is taken (the sandbox
 * gateway bundled with the sandbox ERP), an account on credit hold cannot order by card unless
 * the business allows it, and a card order cancelled before it reached the ERP releases its
 * authorization.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, placeOrder, queue } from '../support/orders.ts';
import { startStack, type Stack } from '../support/stack.ts';

const LINES = [{ sku: 'SKU-00002', quantity: 2 }];

async function authorize(stack: Stack, body: { amount: string; currency: string; customerId: string }): Promise<string> {
  const response = await fetch(`${stack.sandbox.url}/payments/v1/authorizations`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { reference: string }).reference;
}

async function authorization(stack: Stack, reference: string): Promise<{ status: string }> {
  return (await fetch(`${stack.sandbox.url}/payments/v1/authorizations/${reference}`)).json() as Promise<{ status: string }>;
}

describe('card payments', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it.each([
    ['any string', () => 'pi_made_up_by_the_buyer', 'no authorization with this reference'],
    ['an authorization for less than the total', () => authorize(stack, { amount: '0.01', currency: 'USD', customerId: 'C0001' }), 'less than the order'],
    ['an authorization in another currency', () => authorize(stack, { amount: '100000', currency: 'EUR', customerId: 'C0001' }), 'another currency'],
    ["another customer's authorization", () => authorize(stack, { amount: '100000', currency: 'USD', customerId: 'C0002' }), 'another customer'],
  ])('refuses %s (PAYMENT_NOT_AUTHORIZED) and writes nothing', async (_, reference, says) => {
    const token = await stack.buyerToken('C0001');
    const before = (await queue(stack)).length;
    const result = await placeOrder(stack, token, {
      idempotencyKey: `card-bad-${crypto.randomUUID()}`,
      lines: LINES,
      payment: { method: 'CARD', authorizationRef: await reference() },
    });
    expect(result.order).toBeNull();
    expect(result.userErrors).toEqual([expect.objectContaining({ code: 'PAYMENT_NOT_AUTHORIZED', field: ['payment', 'authorizationRef'] })]);
    expect(result.userErrors[0]!.message).toContain(says);
    expect((await queue(stack)).length).toBe(before);
  });

  it('takes an order paid with a real authorization for its total, and the ERP gets it as a card order', async () => {
    const token = await stack.buyerToken('C0001');
    const reference = await authorize(stack, { amount: '100000', currency: 'USD', customerId: 'C0001' });
    const result = await placeOrder(stack, token, { idempotencyKey: 'card-ok', lines: LINES, payment: { method: 'CARD', authorizationRef: reference } });
    expect(result.userErrors).toEqual([]);
    expect(result.order!.status).toBe('SUBMITTED');
    expect((await erpOrders(stack)).filter((o) => o.externalRef === result.order!.id)).toHaveLength(1);
  });

  it('an account on credit hold cannot order by card either (CREDIT_HOLD)', async () => {
    const token = await stack.buyerToken('C0004');
    const reference = await authorize(stack, { amount: '100000', currency: 'USD', customerId: 'C0004' });
    const result = await placeOrder(stack, token, { idempotencyKey: 'card-hold', lines: LINES, payment: { method: 'CARD', authorizationRef: reference } });
    expect(result.order).toBeNull();
    expect(result.userErrors.map((e) => e.code)).toEqual(['CREDIT_HOLD']);
    expect(result.creditDecision).toEqual({ decision: 'BLOCK', reason: 'CREDIT_HOLD' });
  });

  it('cancelling a queued card order voids its authorization', async () => {
    const token = await stack.buyerToken('C0001');
    const reference = await authorize(stack, { amount: '100000', currency: 'USD', customerId: 'C0001' });
    await stack.graphql('{ products(skus: ["SKU-00002"]) { price(quantity: 2) { unitPrice { amount } } } viewer { customer { id } } }', {}, { token });
    await stack.faults({ outage: true });
    try {
      const result = await placeOrder(stack, token, { idempotencyKey: 'card-cancel', lines: LINES, payment: { method: 'CARD', authorizationRef: reference } });
      expect(result.order!.status).toBe('QUEUED');
      const cancelled = await stack.graphql(
        'mutation($id: ID!) { cancelOrder(id: $id) { order { status } userErrors { code } } }',
        { id: result.order!.id },
        { token },
      );
      expect(cancelled.body.data.cancelOrder).toEqual({ order: { status: 'CANCELLED' }, userErrors: [] });
      expect((await authorization(stack, reference)).status).toBe('VOIDED');
    } finally {
      await stack.faults({ outage: false });
    }
  });
});

describe('CREDIT_HOLD_ALLOWS_CARD=true', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ CREDIT_HOLD_ALLOWS_CARD: 'true' });
  });
  afterAll(() => stack?.close());

  it('lets an account on credit hold order by card, and still not on account', async () => {
    const token = await stack.buyerToken('C0004');
    const reference = await authorize(stack, { amount: '100000', currency: 'USD', customerId: 'C0004' });
    const card = await placeOrder(stack, token, { idempotencyKey: 'hold-card', lines: LINES, payment: { method: 'CARD', authorizationRef: reference } });
    expect(card.userErrors).toEqual([]);
    expect(card.order!.status).toBe('SUBMITTED');
    const onAccount = await placeOrder(stack, token, { idempotencyKey: 'hold-account', lines: LINES });
    expect(onAccount.userErrors.map((e) => e.code)).toEqual(['CREDIT_HOLD']);
  });
});
