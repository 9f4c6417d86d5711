/**
 * The GraphQL error policy, as yoga runs it: resolvers that throw what erpfront's resolvers throw
 * (domain, store and ERP failures, and the unexpected), answered through `yoga.fetch` with
 * graphql-jit (Node) and without it (Workers). Clients get codes and erpfront's sentences; the log
 * gets what was held back, under the request id.
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.ts';
import { ErpError } from '../../src/ports/erp-error.ts';
import { StoreUnavailableError } from '../../src/ports/store-error.ts';
import { useErrorPolicy } from '../../src/transport/graphql/plugins/use-error-policy.ts';

const typeDefs = /* GraphQL */ `
  type Query {
    fine: String
    forbidden: String
    erpRefused: String
    erpDown: String
    storeDown: String
    unexpected: String
    products: [String]
    echo(n: Int): Int
  }
`;

const RAW_ERP_TEXT = 'Tryton user webstore at http://erp.internal:8000/demo/ refused';
const SECRET = 'connection string postgres://admin:hunter2@db';

const resolvers = {
  Query: {
    fine: () => 'ok',
    forbidden: () => {
      throw new DomainError('FORBIDDEN', 'This needs the ops role.');
    },
    erpRefused: async () => {
      throw new ErpError('ERP_BAD_RESPONSE', RAW_ERP_TEXT, { operation: 'getPrices' });
    },
    erpDown: async () => {
      throw new ErpError('ERP_TIMEOUT', 'getPrices timed out', { retryAfterMs: 1500 });
    },
    storeDown: async () => {
      throw new StoreUnavailableError('ORDER_STORE_UNAVAILABLE', 'The order store is unreachable; retry with the same idempotency key.');
    },
    unexpected: () => {
      throw new Error(SECRET);
    },
    // As `products` does: each item fails alone, returned as an Error in the list.
    products: () => ['SKU-1', new DomainError('PRODUCT_NOT_FOUND', 'No product with SKU NOPE.'), 'SKU-3'],
    echo: (_: unknown, args: { n: number }) => args.n,
  },
};

function engine(jit: boolean) {
  const logged: Array<{ message: string; detail: unknown }> = [];
  const yoga = createYoga({
    schema: createSchema({ typeDefs, resolvers }),
    logging: false,
    maskedErrors: { isDev: false },
    plugins: [useErrorPolicy({ log: (message, detail) => logged.push({ message, detail }) }), jit && useGraphQlJit()],
  });
  async function ask(query: string, options: { variables?: Record<string, unknown>; requestId?: string } = {}) {
    const response = await yoga.fetch('http://erpfront/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
      },
      body: JSON.stringify({ query, variables: options.variables }),
    });
    const text = await response.text();
    return { status: response.status, requestId: response.headers.get('x-request-id'), text, body: JSON.parse(text) };
  }
  return { ask, logged };
}

describe.each([
  ['graphql-jit', true],
  ['graphql-js', false],
] as const)('with %s', (_, jit) => {
  it('a domain failure is its code and message, at its field; the rest of the answer stands', async () => {
    const { ask, logged } = engine(jit);
    const answer = await ask('{ fine forbidden }');
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ fine: 'ok', forbidden: null });
    expect(answer.body.errors).toMatchObject([{ message: 'This needs the ops role.', path: ['forbidden'], extensions: { code: 'FORBIDDEN' } }]);
    expect(logged).toEqual([]);
  });

  it("an ERP failure shows erpfront's sentence and the request id; the ERP's text goes to the log under that id", async () => {
    const { ask, logged } = engine(jit);
    const answer = await ask('{ erpRefused }', { requestId: 'shop-7f3a-0001' });
    expect(answer.requestId).toBe('shop-7f3a-0001');
    expect(answer.body.errors).toMatchObject([{ path: ['erpRefused'], extensions: { code: 'ERP_BAD_RESPONSE', requestId: 'shop-7f3a-0001' } }]);
    expect(answer.body.errors[0].message).toContain('quote the request id');
    expect(answer.text).not.toMatch(/webstore|erp\.internal|Tryton/);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.message).toBe('erpfront: request shop-7f3a-0001: ERP_BAD_RESPONSE at erpRefused:');
    expect((logged[0]!.detail as Error).message).toBe(RAW_ERP_TEXT);
  });

  it('an ERP that is not answering is ERP_UNAVAILABLE with when to retry, and no log line per field', async () => {
    const { ask, logged } = engine(jit);
    const answer = await ask('{ erpDown }');
    expect(answer.body.errors).toMatchObject([{ path: ['erpDown'], extensions: { code: 'ERP_UNAVAILABLE', reason: 'ERP_TIMEOUT', retryAfterSeconds: 2 } }]);
    expect(logged).toEqual([]);
  });

  it('a store that is down answers 503 with its code', async () => {
    const { ask } = engine(jit);
    const answer = await ask('{ storeDown }');
    expect(answer.status).toBe(503);
    expect(answer.body.errors).toMatchObject([{ path: ['storeDown'], extensions: { code: 'ORDER_STORE_UNAVAILABLE' } }]);
  });

  it('an unexpected failure is masked at its field, the rest of the answer stands, and the log gets it under the request id', async () => {
    const { ask, logged } = engine(jit);
    const answer = await ask('{ fine forbidden unexpected }', { requestId: 'shop-7f3a-0002' });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ fine: 'ok', forbidden: null, unexpected: null });
    const unexpected = answer.body.errors.find((e: { path: string[] }) => e.path[0] === 'unexpected');
    expect(unexpected).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(answer.text).not.toContain('hunter2');
    expect(logged.map((l) => l.message)).toEqual(['erpfront: request shop-7f3a-0002: INTERNAL_SERVER_ERROR at unexpected:']);
    expect((logged[0]!.detail as Error).message).toBe(SECRET);
  });

  it('one failed item of a list is null at its index with its own code', async () => {
    const { ask } = engine(jit);
    const answer = await ask('{ products }');
    expect(answer.body.data.products).toEqual(['SKU-1', null, 'SKU-3']);
    expect(answer.body.errors).toMatchObject([{ path: ['products', 1], extensions: { code: 'PRODUCT_NOT_FOUND' } }]);
  });

  it('a variable that does not fit its type is BAD_USER_INPUT, 400', async () => {
    const { ask } = engine(jit);
    const answer = await ask('query($n: Int) { echo(n: $n) }', { variables: { n: 'seven' } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
  });

  it("every answer carries a request id: the client's when sane, else a new one", async () => {
    const { ask } = engine(jit);
    expect((await ask('{ fine }')).requestId).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
    expect((await ask('{ fine }', { requestId: 'a b\u00ff'.repeat(40) })).requestId).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
  });
});
