/**
 * Trusted documents and Automatic Persisted Queries, against erpfront in its own process with the
 * sandbox ERP: a storefront build's manifest (GraphQL Codegen's, Relay's and Apollo's formats) in
 * a directory named by TRUSTED_DOCUMENTS_FILE; `TRUSTED_DOCUMENTS=only` refusing free queries to
 * buyers but not to operations; APQ's miss, resend and hit, by POST and by GET.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_PAGE, counter, skus, startStack, type GraphQLAnswer, type Stack } from '../support/stack.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const VIEWER = 'query Viewer { viewer { customer { id name } } }';
const ORDERS = 'query RecentOrders { orders(first: 3) { edges { node { id status } } } }';
/** Relay names documents by an md5 of their text: any id a build chooses works. */
const RELAY_ID = createHash('md5').update(VIEWER).digest('hex');
const APOLLO_ID = sha256(ORDERS);

/** A storefront's build output: one file per build, in the three formats the tooling writes. */
function manifestDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'erpfront-manifests-'));
  writeFileSync(join(dir, 'persisted-documents.json'), JSON.stringify({ [sha256(CATALOG_PAGE)]: CATALOG_PAGE }));
  writeFileSync(join(dir, 'relay-queries.json'), JSON.stringify({ [RELAY_ID]: VIEWER }));
  writeFileSync(
    join(dir, 'apollo-persisted-query-manifest.json'),
    JSON.stringify({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: APOLLO_ID, name: 'RecentOrders', type: 'query', body: ORDERS }],
    }),
  );
  return dir;
}

/** POSTs a GraphQL-over-HTTP body as it is (a `documentId`, extensions, no query...). */
async function post(stack: Stack, body: Record<string, unknown>, token: string): Promise<GraphQLAnswer> {
  const response = await fetch(`${stack.erpfront.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** GETs `/graphql` with these search parameters (objects as JSON), as Apollo's link does for hashed queries. */
async function get(stack: Stack, params: Record<string, unknown>, token: string): Promise<GraphQLAnswer> {
  const search = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const response = await fetch(`${stack.erpfront.url}/graphql?${search}`, {
    headers: { accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

const codes = (answer: GraphQLAnswer) => (answer.body.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code);
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const page = { skus: skus(4), quantity: 5 };

describe('TRUSTED_DOCUMENTS=only', () => {
  let stack: Stack;
  let buyer: string;
  beforeAll(async () => {
    stack = await startStack({ TRUSTED_DOCUMENTS: 'only', TRUSTED_DOCUMENTS_FILE: manifestDirectory() });
    buyer = await stack.buyerToken('C0001');
  }, 60_000);
  afterAll(() => stack?.close());

  it('runs a registered document by documentId, in each manifest format', async () => {
    const catalog = await post(stack, { documentId: sha256(CATALOG_PAGE), variables: page }, buyer);
    expect(catalog.status).toBe(200);
    expect(catalog.body.errors).toBeUndefined();
    expect(catalog.body.data.products.map((p: { sku: string }) => p.sku)).toEqual(page.skus);
    expect(catalog.body.data.viewer.customer.id).toBe('C0001');

    const relay = await post(stack, { documentId: RELAY_ID }, buyer);
    expect(relay.body).toMatchObject({ data: { viewer: { customer: { id: 'C0001', name: expect.any(String) } } } });
    // The persisted-documents convention's prefixed form names the same document.
    const prefixed = await post(stack, { documentId: `sha256:${APOLLO_ID}` }, buyer);
    expect(prefixed.status).toBe(200);
    expect(prefixed.body.data.orders.edges).toEqual(expect.any(Array));
  });

  it("runs one by extensions.persistedQuery, as Apollo's persisted query link sends it", async () => {
    const answer = await post(stack, { extensions: persisted(APOLLO_ID) }, buyer);
    expect(answer.status).toBe(200);
    expect(answer.body.data.orders.edges).toEqual(expect.any(Array));
  });

  it("refuses a buyer's own document with PERSISTED_QUERY_ONLY, before any ERP call", async () => {
    const before = (await stack.stats()).total;
    const answer = await stack.graphql('{ products(skus: ["SKU-00001"]) { sku price(quantity: 1) { unitPrice { amount } } } }', {}, { token: buyer });
    expect(answer.status).toBe(403);
    expect(codes(answer)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(answer.body.errors[0].message).toMatch(/documentId/);
    expect(answer.body.data).toBeUndefined();
    // Even the registered document's own text: only its id is trusted.
    expect(codes(await stack.graphql(VIEWER, {}, { token: buyer }))).toEqual(['PERSISTED_QUERY_ONLY']);
    // ...and a sales rep's app is a production build too.
    expect(codes(await stack.graphql(VIEWER, {}, { token: await stack.repToken('R01') }))).toEqual(['PERSISTED_QUERY_ONLY']);
    expect((await stack.stats()).total).toBe(before);
  });

  it('lets operations send their own documents', async () => {
    const answer = await stack.graphql('{ orderQueue(first: 1) { id } }', {}, { token: await stack.opsToken() });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ data: { orderQueue: expect.any(Array) } });
  });

  it('answers an id nobody registered with PERSISTED_QUERY_NOT_FOUND (404), and APQ cannot register one for buyers', async () => {
    const unknown = await post(stack, { documentId: 'no-such-document' }, buyer);
    expect(unknown.status).toBe(404);
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const text = '{ viewer { customer { id } } }';
    expect(codes(await post(stack, { query: text, extensions: persisted(sha256(text)) }, buyer))).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(codes(await post(stack, { extensions: persisted(sha256(text)) }, buyer))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('serves a registered read by GET, cacheable by the browser only, for the same token and customer', async () => {
    const answer = await get(stack, { documentId: sha256(CATALOG_PAGE), variables: page }, buyer);
    expect(answer.status).toBe(200);
    expect(answer.body.data.products).toHaveLength(4);
    expect(answer.headers.get('cache-control')).toBe('private, max-age=5');
    expect(answer.headers.get('vary')).toMatch(/Authorization.*X-Customer-Id/);
    const missing = await get(stack, { documentId: 'no-such-document' }, buyer);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
  });

  it("a browser's GET by id needs a token like any operation (never the IDE page in its place)", async () => {
    const response = await fetch(`${stack.erpfront.url}/graphql?documentId=${sha256(CATALOG_PAGE)}`, { headers: { accept: 'text/html,*/*;q=0.8' } });
    expect(response.status).toBe(401);
    expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('TRUSTED_DOCUMENTS=allow (the default): Automatic Persisted Queries', () => {
  let stack: Stack;
  let buyer: string;
  beforeAll(async () => {
    stack = await startStack({ TRUSTED_DOCUMENTS_FILE: manifestDirectory() });
    buyer = await stack.buyerToken('C0001');
  }, 60_000);
  afterAll(() => stack?.close());

  it('a registered document by id answers what the same text answers', async () => {
    const asText = await stack.graphql(CATALOG_PAGE, page, { token: buyer });
    const byId = await post(stack, { documentId: sha256(CATALOG_PAGE), variables: page }, buyer);
    expect(asText.body.errors).toBeUndefined();
    expect(byId.status).toBe(200);
    // Same data; extensions.cost differs only in the bucket's level, drawn down by the first.
    expect(byId.body.data).toEqual(asText.body.data);
    expect(byId.body.errors).toEqual(asText.body.errors);
  });

  it('miss, resend with the query, then the hash alone hits, by POST and by GET', async () => {
    const text = 'query QuickOrder($skus: [ID!]!) { products(skus: $skus) { sku name } }';
    const hash = sha256(text);
    const variables = { skus: ['SKU-00007'] };

    const miss = await post(stack, { extensions: persisted(hash), variables }, buyer);
    expect(miss.status).toBe(404);
    expect(codes(miss)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(miss.headers.get('cache-control')).toBe('no-store');

    const resent = await post(stack, { query: text, extensions: persisted(hash), variables }, buyer);
    expect(resent.status).toBe(200);
    expect(resent.body.data).toEqual({ products: [{ sku: 'SKU-00007', name: expect.any(String) }] });

    const hit = await post(stack, { extensions: persisted(hash), variables }, buyer);
    expect(hit.body.data).toEqual(resent.body.data);
    // Another caller's hit: the store is content-addressed, what runs is exactly the text.
    const other = await post(stack, { extensions: persisted(hash), variables }, await stack.buyerToken('C0002'));
    expect(other.status).toBe(200);

    const byGet = await get(stack, { extensions: persisted(hash), variables }, buyer);
    expect(byGet.status).toBe(200);
    expect(byGet.body.data).toEqual(resent.body.data);
    expect(byGet.headers.get('cache-control')).toBe('private, max-age=5');
  });

  it("refuses a hash that is not its query's, and registers nothing under it", async () => {
    const text = '{ viewer { customer { id } } }';
    const wrong = sha256(`${text} `);
    const refused = await post(stack, { query: text, extensions: persisted(wrong) }, buyer);
    expect(refused.status).toBe(400);
    expect(codes(refused)).toEqual(['PERSISTED_QUERY_HASH_MISMATCH']);
    expect(refused.body.data).toBeUndefined();
    expect(codes(await post(stack, { extensions: persisted(wrong) }, buyer))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    // A hash that is no sha256 at all.
    expect(codes(await post(stack, { query: text, extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }, buyer))).toEqual(['BAD_REQUEST']);
  });

  it('registers only a query that validates', async () => {
    const invalid = '{ viewer { customer { noSuchField } } }';
    const answer = await post(stack, { query: invalid, extensions: persisted(sha256(invalid)) }, buyer);
    expect(answer.status).toBe(400);
    expect(codes(await post(stack, { extensions: persisted(sha256(invalid)) }, buyer))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('lets buyers send their own documents', async () => {
    const answer = await stack.graphql(VIEWER, {}, { token: buyer });
    expect(answer.body.data.viewer.customer.id).toBe('C0001');
  });

  it('counts how documents arrive, per kind of caller: the metric that says when `only` breaks nothing', async () => {
    const before = await stack.metrics();
    await post(stack, { documentId: RELAY_ID }, buyer);
    await stack.graphql(VIEWER, {}, { token: buyer });
    await stack.graphql('{ orderQueue(first: 1) { id } }', {}, { token: await stack.opsToken() });
    const after = await stack.metrics();
    const delta = (labels: Record<string, string>) =>
      counter(after, 'erpfront_graphql_documents_total', labels) - counter(before, 'erpfront_graphql_documents_total', labels);
    expect(delta({ source: 'trusted', caller: 'buyer' })).toBe(1);
    expect(delta({ source: 'text', caller: 'buyer' })).toBe(1);
    expect(delta({ source: 'text', caller: 'ops' })).toBe(1);
    expect(counter(after, 'erpfront_graphql_documents_total', { source: 'apq', caller: 'buyer' })).toBeGreaterThanOrEqual(3);
  });
});
