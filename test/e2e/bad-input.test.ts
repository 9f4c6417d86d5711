import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skus, startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const PRICE = /* GraphQL */ `query($skus: [ID!]!, $quantity: Float) {
  products(skus: $skus) { sku price(quantity: $quantity) { unitPrice { amount } } availability(quantity: $quantity) { status } }
}`;

const codes = (body: any) => (body.errors ?? []).map((e: any) => e.extensions?.code);

async function post(body: string, headers: Record<string, string> = {}) {
  const token = await stack.buyerToken('C0001');
  const response = await fetch(`${stack.erpfront.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body,
  });
  return { status: response.status, body: await response.json() };
}

describe('bad input gets a specific error code, never a 500', () => {
  it.each([
    ['zero', 0],
    ['negative', -3],
    ['absurdly large', 1e12],
  ])('a %s quantity: INVALID_QUANTITY on that field, the product itself still served', async (_, quantity) => {
    const answer = await stack.graphql(PRICE, { skus: ['SKU-00001'], quantity });
    expect(answer.status).toBe(200);
    expect(answer.body.data.products[0].sku).toBe('SKU-00001');
    expect(answer.body.data.products[0].price).toBeNull();
    expect(new Set(codes(answer.body))).toEqual(new Set(['INVALID_QUANTITY']));
  });

  it('a non-finite quantity (1e999 in JSON is Infinity): BAD_USER_INPUT from variable coercion', async () => {
    const answer = await post(`{"query":${JSON.stringify(PRICE)},"variables":{"skus":["SKU-00001"],"quantity":1e999}}`);
    expect(answer.status).toBeLessThan(500);
    expect(codes(answer.body)).toContain('BAD_USER_INPUT');
  });

  it('more SKUs than the configured maximum: TOO_MANY_SKUS', async () => {
    const answer = await stack.graphql(PRICE, { skus: skus(251) });
    expect(answer.status).toBe(200);
    expect(answer.body.data.products).toBeNull();
    expect(codes(answer.body)).toEqual(['TOO_MANY_SKUS']);
    expect(answer.body.errors[0].message).toContain('250');
  });

  it('an unknown SKU: PRODUCT_NOT_FOUND at its position, the rest of the page served', async () => {
    const answer = await stack.graphql(PRICE, { skus: ['SKU-00001', 'SKU-99999', 'SKU-00002'] });
    expect(answer.body.data.products.map((p: any) => p?.sku ?? null)).toEqual(['SKU-00001', null, 'SKU-00002']);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors[0]).toMatchObject({ path: ['products', 1], extensions: { code: 'PRODUCT_NOT_FOUND' } });
  });

  it('malformed JSON: 400 with a code', async () => {
    const answer = await post('{"query": "{ viewer { subject } ');
    expect(answer.status).toBe(400);
    expect(codes(answer.body)[0]).toEqual(expect.any(String));
  });

  it('an unknown field: GRAPHQL_VALIDATION_FAILED, naming the field', async () => {
    const answer = await stack.graphql('{ products(skus: ["SKU-00001"]) { sku priceInBitcoin } }');
    expect(answer.status).toBeLessThan(500);
    expect(codes(answer.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(answer.body.errors[0].message).toContain('priceInBitcoin');
  });

  it('a missing token: 401 UNAUTHENTICATED', async () => {
    const answer = await stack.graphql('{ viewer { subject } }', {}, { token: null });
    expect(answer.status).toBe(401);
    expect(codes(answer.body)).toEqual(['UNAUTHENTICATED']);
    expect(answer.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('a token signed with another secret, or expired: 401 UNAUTHENTICATED saying why', async () => {
    const { signToken } = await import('../../scripts/sign-token.ts');
    const forged = await signToken({ secret: 'x'.repeat(40), roles: ['buyer'], customerId: 'C0001' });
    const forgedAnswer = await stack.graphql('{ viewer { subject } }', {}, { token: forged });
    expect(forgedAnswer.status).toBe(401);
    expect(forgedAnswer.body.errors[0].message).toContain('signature');
    const expired = await signToken({ secret: stack.secret, roles: ['buyer'], customerId: 'C0001', ttlSeconds: -60 });
    const expiredAnswer = await stack.graphql('{ viewer { subject } }', {}, { token: expired });
    expect(expiredAnswer.status).toBe(401);
    expect(expiredAnswer.body.errors[0].message).toContain('expired');
  });

  it('a token that never expires (no exp claim): 401 UNAUTHENTICATED', async () => {
    const { sign } = await import('hono/jwt');
    const token = await sign({ sub: 'buyer@C0001', roles: ['buyer'], customerId: 'C0001' }, stack.secret, 'HS256');
    const answer = await stack.graphql('{ viewer { subject } }', {}, { token });
    expect(answer.status).toBe(401);
    expect(codes(answer.body)).toEqual(['UNAUTHENTICATED']);
    expect(answer.body.errors[0].message).toContain('exp');
  });

  it('a buyer token without a customer: 401 naming the missing claim', async () => {
    const { sign } = await import('hono/jwt');
    const token = await sign({ sub: 'someone', roles: ['buyer'], exp: Math.floor(Date.now() / 1000) + 600 }, stack.secret, 'HS256');
    const answer = await stack.graphql('{ viewer { subject } }', {}, { token });
    expect(answer.status).toBe(401);
    expect(answer.body.errors[0].message).toContain('customerId');
  });

  it('an oversized body: 413', async () => {
    const answer = await post(JSON.stringify({ query: `{ viewer { subject } }${' '.repeat(1_100_000)}` }));
    expect(answer.status).toBe(413);
    expect(codes(answer.body)).toEqual(['REQUEST_TOO_LARGE']);
  });

  it('an invalid search cursor or page size: INVALID_ARGUMENT', async () => {
    const a = await stack.graphql('{ searchProducts(first: 500) { totalCount } }');
    expect(codes(a.body)).toEqual(['INVALID_ARGUMENT']);
    const b = await stack.graphql('{ searchProducts(after: "bm9wZQ==") { totalCount } }');
    expect(codes(b.body)).toEqual(['INVALID_ARGUMENT']);
  });
});
