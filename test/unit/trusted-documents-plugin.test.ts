/**
 * What `useTrustedDocuments` answers for the requests a client library may send, through
 * `yoga.fetch` with the error policy, with jit (Node) and without (Workers): the acceptance runs
 * over HTTP in test/e2e/trusted-documents.test.ts; these are the modes and shapes around it.
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/domain/principal.ts';
import { useErrorPolicy } from '../../src/transport/graphql/plugins/use-error-policy.ts';
import { usePersistedGetCaching } from '../../src/transport/graphql/plugins/use-persisted-get-caching.ts';
import { useTrustedDocuments, type TrustedDocumentsMode } from '../../src/transport/graphql/plugins/use-trusted-documents.ts';
import { ApqStore, sha256Hex } from '../../src/transport/graphql/trusted-documents/apq-store.ts';
import { TrustedDocuments } from '../../src/transport/graphql/trusted-documents/trusted-documents.ts';

const schema = createSchema({
  typeDefs: 'type Query { hello: String }  type Mutation { touch: Int }',
  resolvers: { Query: { hello: () => 'world' }, Mutation: { touch: () => 1 } },
});
const buyer: Principal = { subject: 'b', roles: new Set(['buyer']), customerId: 'C1', repId: null };

function engine(mode: TrustedDocumentsMode, jit: boolean) {
  const documents = TrustedDocuments.compile(
    [
      { id: 'hello', text: 'query Hello { hello }', source: 'm.json' },
      { id: 'touch', text: 'mutation Touch { touch }', source: 'm.json' },
    ],
    { schema, maxTokens: 1000 },
  );
  const yoga = createYoga({
    schema,
    logging: false,
    maskedErrors: { isDev: false },
    extraParamNames: ['documentId'],
    plugins: [
      useErrorPolicy({ log: () => {} }),
      useTrustedDocuments({ mode, documents, apq: new ApqStore({ maxEntries: 10, maxBytes: 10_000 }) }) as never,
      usePersistedGetCaching({ maxAgeSeconds: 0 }),
      jit && useGraphQlJit(),
    ],
  });
  return async (body: Record<string, unknown>, method: 'GET' | 'POST' = 'POST') => {
    const url =
      method === 'GET'
        ? `http://erpfront/graphql?${new URLSearchParams(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))}`
        : 'http://erpfront/graphql';
    const init =
      method === 'GET'
        ? { headers: { accept: 'application/graphql-response+json' } }
        : { method, headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body: JSON.stringify(body) };
    const response = await yoga.fetch(url, init, { principal: buyer, customerId: 'C1' } as never);
    return { status: response.status, body: await response.json(), cacheControl: response.headers.get('cache-control') };
  };
}

describe.each([
  ['with graphql-jit', true],
  ['without (Workers)', false],
])('trusted documents %s', (_, jit) => {
  it("off: ids are not supported (Apollo's link then sends the query), texts run", async () => {
    const ask = engine('off', jit);
    const byId = await ask({ documentId: 'hello' });
    expect(byId).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }] } });
    const apq = await ask({ query: '{ hello }', extensions: { persistedQuery: { version: 1, sha256Hash: await sha256Hex('{ hello }') } } });
    expect(apq.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    expect((await ask({ query: '{ hello }' })).body).toEqual({ data: { hello: 'world' } });
  });

  it('a request with neither a query nor an id, or with both, is refused with what to send', async () => {
    const ask = engine('allow', jit);
    expect(await ask({ variables: {} })).toMatchObject({
      status: 400,
      body: { errors: [{ message: 'Send a GraphQL document as query, or the id of a registered one as documentId.', extensions: { code: 'BAD_REQUEST' } }] },
    });
    expect(await ask({ query: '{ hello }', documentId: 'hello' })).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] } });
    expect(await ask({ documentId: 12 })).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] } });
    expect(await ask({ extensions: { persistedQuery: { version: 2, sha256Hash: 'x' } } })).toMatchObject({
      status: 400,
      body: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] },
    });
  });

  it('a registered mutation is not run by GET', async () => {
    const ask = engine('only', jit);
    expect((await ask({ documentId: 'touch' })).body).toEqual({ data: { touch: 1 } });
    const byGet = await ask({ documentId: 'touch' }, 'GET');
    expect(byGet.status).toBe(405);
    expect(byGet.cacheControl).toBe('no-store');
    const read = await ask({ documentId: 'hello' }, 'GET');
    expect(read).toMatchObject({ status: 200, body: { data: { hello: 'world' } }, cacheControl: 'private, no-cache' });
  });
});
