/**
 * What reaches clients: codes and sentences of erpfront's own, never the ERP's raw texts (its URL,
 * the login erpfront uses there); the readiness detail and the metrics only with an ops token;
 * `/healthz` says nothing internal. Over HTTP, erpfront and the sandbox ERP in their processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, placeOrder } from '../support/orders.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ BREAKER_COOLDOWN_SECONDS: '1' });
});
afterAll(() => stack?.close());

/** Internal things a client must never be shown. */
function expectNothingInternal(text: string) {
  expect(text).not.toContain('127.0.0.1');
  expect(text).not.toContain('erp.internal');
  expect(text).not.toContain('webstore');
  expect(text).not.toContain('createOrder');
}

describe('operations endpoints', () => {
  it('/healthz is public and says only that the process is up', async () => {
    const response = await fetch(`${stack.erpfront.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz tells a load balancer ready or not, and the detail only to an ops token', async () => {
    const anonymous = await fetch(`${stack.erpfront.url}/readyz`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'ready' });

    const buyer = await fetch(`${stack.erpfront.url}/readyz`, { headers: { authorization: `Bearer ${await stack.buyerToken('C0001')}` } });
    expect(await buyer.json()).toEqual({ status: 'ready' });

    const ops = await fetch(`${stack.erpfront.url}/readyz`, { headers: { authorization: `Bearer ${await stack.opsToken()}` } });
    expect(await ops.json()).toMatchObject({ status: 'ready', erp: { connector: 'sandbox', reachable: true }, orderQueue: expect.any(Object) });
  });

  it('/metrics needs an ops token', async () => {
    const anonymous = await fetch(`${stack.erpfront.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const buyer = await fetch(`${stack.erpfront.url}/metrics`, { headers: { authorization: `Bearer ${await stack.buyerToken('C0001')}` } });
    expect(buyer.status).toBe(403);
    const ops = await fetch(`${stack.erpfront.url}/metrics`, { headers: { authorization: `Bearer ${await stack.opsToken()}` } });
    expect(ops.status).toBe(200);
    expect(await ops.text()).toContain('erpfront_erp_requests_total');
  });
});

describe('GraphQL answers', () => {
  it("carry a request id (the client's own when it sends a sane one)", async () => {
    const fresh = await stack.graphql('{ viewer { subject } }');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._-]{8,}$/);
    const echoed = await stack.graphql('{ viewer { subject } }', {}, { headers: { 'x-request-id': 'shop-7f3a-0001' } });
    expect(echoed.headers.get('x-request-id')).toBe('shop-7f3a-0001');
    const hostile = await stack.graphql('{ viewer { subject } }', {}, { headers: { 'x-request-id': 'a b\u00ff'.repeat(40) } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
  });

  it("an ERP refusal shows the buyer its reason code and a sentence of erpfront's, not the ERP's text", async () => {
    const raw = 'Tryton user webstore at http://erp.internal:8000/demo/ may not sell blocked item SKU-00001 (res.user 7)';
    await stack.faults({ rejectNext: { count: 1, reason: 'BLOCKED_ITEM', message: raw } });
    const token = await stack.buyerToken('C0001');
    const result = await placeOrder(stack, token, { idempotencyKey: 'internal-details-1', lines: [{ sku: 'SKU-00001', quantity: 1 }] });
    const id = result.order!.id;
    const seen = await eventually(
      () => stack.graphql('query($id: ID!) { order(id: $id) { status rejection { reason message } lastError } }', { id }, { token }),
      (a) => a.body.data?.order?.status === 'REJECTED',
    );
    expect(seen.body.data.order.rejection.reason).toBe('BLOCKED_ITEM');
    expect(seen.body.data.order.rejection.message).toEqual(expect.any(String));
    expectNothingInternal(JSON.stringify(seen.body));
    expectNothingInternal(JSON.stringify(result));

    // Operations see the ERP's own words, to fix the cause and replay.
    const ops = await stack.graphql('{ orderQueue(statuses: [REJECTED]) { id rejection { message } } }', {}, { token: await stack.opsToken() });
    expect(ops.body.data.orderQueue.find((o: { id: string }) => o.id === id).rejection.message).toContain('webstore');
  });

  // Last: stops the sandbox ERP for good.
  it("an order waiting for an unreachable ERP shows a safe lastError, not the ERP's address", async () => {
    const token = await stack.buyerToken('C0001');
    const warm = await stack.graphql(
      '{ viewer { customer { creditStatus { available { amount } } } } products(skus: ["SKU-00002"]) { price { unitPrice { amount } } } }',
      {},
      { token },
    );
    expect(warm.body.errors).toBeUndefined();
    await stack.sandbox.stop();
    const result = await placeOrder(stack, token, { idempotencyKey: 'internal-details-2', lines: [{ sku: 'SKU-00002', quantity: 1 }] });
    expect(result.order?.status).toBe('QUEUED');
    const seen = await eventually(
      () => stack.graphql('query($id: ID!) { order(id: $id) { status lastError } }', { id: result.order!.id }, { token }),
      (a) => typeof a.body.data?.order?.lastError === 'string',
    );
    expect(seen.body.data.order.lastError).toEqual(expect.any(String));
    expectNothingInternal(JSON.stringify(seen.body));

    // Operations see the failure (the operation and what went wrong), not where the ERP is: not in
    // the order's stored lastError, not in /readyz's detail, not in any log line.
    const { host } = new URL(stack.sandbox.url);
    const ops = await stack.graphql('query($id: ID!) { order(id: $id) { lastError } }', { id: result.order!.id }, { token: await stack.opsToken() });
    expect(ops.body.data.order.lastError).toMatch(/could not reach the ERP/);
    expect(ops.body.data.order.lastError).not.toContain(host);
    // Health is checked every 2 s: its detail follows.
    const ready = await eventually(
      () => stack.readyz(),
      (r) => r.body.erp?.reachable === false,
      5000,
    );
    expect(ready.body.erp.lastError).toEqual(expect.any(String));
    expect(JSON.stringify(ready.body)).not.toContain(host);
    const logged = stack.erpfront.output();
    expect(logged).toMatch(/could not reach the ERP/);
    expect(logged).not.toContain(host);
  });
});
