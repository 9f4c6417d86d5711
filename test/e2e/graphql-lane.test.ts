/**
 * The two ways into `POST /graphql` on Node answer alike: the Node lane (a client that takes the
 * answer as it is, as a storefront behind a compressing proxy does) and hono (a client that
 * takes gzip, while erpfront compresses). erpfront and the sandbox ERP in their own processes,
 * over real HTTP and raw sockets.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, placeOrder } from '../support/orders.ts';
import { startStack, CATALOG_PAGE, skus, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ RESPONSE_CACHE: 'true' });
});
afterAll(() => stack?.close());

const body = JSON.stringify({ query: CATALOG_PAGE, variables: { skus: skus(6), quantity: 2 } });

/** One POST of `body` over node:http semantics (fetch), with the given encoding asked for. */
async function post(encoding: 'identity' | 'gzip', headers: Record<string, string> = {}) {
  const token = await stack.buyerToken('C0001');
  return fetch(`${stack.erpfront.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-encoding': encoding, ...headers },
    body,
  });
}

/** The request log lines of erpfront's output. */
function requestLines(): Array<Record<string, any>> {
  return stack.erpfront
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .filter((line) => line.msg === 'request');
}

const withoutAsOf = (data: unknown) => JSON.parse(JSON.stringify(data), (key, value) => (key === 'asOf' ? undefined : value));

describe('POST /graphql: the Node lane and hono', () => {
  it('answer the same page, status, type and request id; the lane states its length, hono compresses', async () => {
    for (let round = 0; round < 3; round++) {
      // Round 0 runs the page, round 1 runs it by its compilation, round 2 is a response-cache hit.
      const lane = await post('identity', { 'x-request-id': `lane-round-${round}` });
      const hono = await post('gzip', { 'x-request-id': `hono-round-${round}` });
      expect(lane.status).toBe(200);
      expect(hono.status).toBe(200);
      expect(lane.headers.get('content-type')).toBe(hono.headers.get('content-type'));
      expect(lane.headers.get('x-request-id')).toBe(`lane-round-${round}`);
      expect(hono.headers.get('x-request-id')).toBe(`hono-round-${round}`);
      expect(hono.headers.get('content-encoding')).toBe('gzip');
      expect(lane.headers.get('content-encoding')).toBeNull();
      const text = await lane.text();
      expect(Number(lane.headers.get('content-length'))).toBe(Buffer.byteLength(text));
      const [a, b] = [JSON.parse(text), await hono.json()];
      expect(a.errors).toBeUndefined();
      expect(withoutAsOf(a.data)).toEqual(withoutAsOf(b.data));
      expect(a.data.products).toHaveLength(6);
      expect(a.extensions.cost.throttleStatus).not.toBeNull();
    }
    // Each request has its line, with what the GraphQL route learned, whichever way it came.
    const lines = requestLines().filter((line) => /^(lane|hono)-round-/.test(line.reqId));
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatchObject({ method: 'POST', path: '/graphql', status: 200, customerId: 'C0001', operation: 'CatalogPage' });
  });

  it('refuses a bad token in the lane as hono does: 401, the code, the client id echoed and logged', async () => {
    const refusals = await Promise.all(
      (['identity', 'gzip'] as const).map((encoding) =>
        fetch(`${stack.erpfront.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: 'Bearer not-a-jwt',
            'accept-encoding': encoding,
            'x-request-id': `refused-${encoding}`,
          },
          body,
        }),
      ),
    );
    for (const [i, refusal] of refusals.entries()) {
      expect(refusal.status).toBe(401);
      expect(refusal.headers.get('www-authenticate')).toContain('invalid_token');
      expect(refusal.headers.get('x-request-id')).toBe(`refused-${i === 0 ? 'identity' : 'gzip'}`);
      expect((await refusal.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    expect(
      requestLines()
        .filter((line) => line.reqId?.startsWith('refused-'))
        .map((line) => line.status),
    ).toEqual([401, 401]);
  });

  it('hands what only the engine answers (a validation error, a mutation) to it, masked as ever', async () => {
    const token = await stack.buyerToken('C0001');
    const invalid = await fetch(`${stack.erpfront.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-encoding': 'identity' },
      body: JSON.stringify({ query: '{ viewer { nope } }' }),
    });
    expect((await invalid.json()).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const broken = await fetch(`${stack.erpfront.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-encoding': 'identity' },
      body: '{"query": "{ viewer { subject } }"',
    });
    expect(broken.status).toBe(400);
    // An order, twice with one key (the test stack's requests take the lane): one order in the ERP.
    const input = { idempotencyKey: `lane-${Date.now()}`, lines: [{ sku: 'SKU-00007', quantity: 1 }] };
    const [first, again] = [await placeOrder(stack, token, input), await placeOrder(stack, token, input)];
    expect(first.order?.status).toBe('SUBMITTED');
    expect(again.order?.id).toBe(first.order?.id);
    expect((await erpOrders(stack)).filter((order) => order.externalRef === first.order?.id)).toHaveLength(1);
  });

  it('a client that goes away mid-body costs nothing: no answer owed, no 5xx, the next page served', async () => {
    const token = await stack.buyerToken('C0001');
    const { hostname, port } = new URL(stack.erpfront.url);
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(
            `POST /graphql HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\nauthorization: Bearer ${token}\r\ncontent-length: ${body.length}\r\n\r\n`,
          );
          socket.write(body.slice(0, body.length / 2));
          setTimeout(() => (socket.destroy(), resolve()), 20);
        });
      });
    }
    const after = await post('identity');
    expect(after.status).toBe(200);
    expect((await after.json()).data.products).toHaveLength(6);
    expect(requestLines().filter((line) => line.status >= 500)).toEqual([]);
  });
});
