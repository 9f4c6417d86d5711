/**
 * What the load shedder keeps under pressure: orders and order status are told from catalog reads
 * by GraphQL's own lexer, so a comment, a string or an alias cannot pass a catalog page off as an
 * order, and what cannot be told is never `essential`.
 */
import { describe, expect, it } from 'vitest';
import { CATALOG_PAGE } from '../support/stack.ts';
import { PLACE_ORDER } from '../support/orders.ts';
import { classifyByRoute, classifyDocument, classifyGraphQL, PEEK_MAX_BYTES, withBody } from '../../src/transport/http/request-class.ts';

describe('classifyDocument', () => {
  it('the README and test documents: placeOrder and order status essential, the CatalogPage catalog', () => {
    expect(classifyDocument(PLACE_ORDER, null)).toBe('essential');
    expect(classifyDocument(CATALOG_PAGE, null)).toBe('catalog');
    expect(classifyDocument('query Status($id: ID!) { order(id: $id) { id status } }', null)).toBe('essential');
    expect(classifyDocument('{ orders(first: 5) { edges { node { id } } } }', null)).toBe('essential');
    expect(classifyDocument('{ searchProducts(query: "drill") { edges { node { sku } } } }', null)).toBe('catalog');
    expect(classifyDocument('{ viewer { subject } }', null)).toBe('read');
  });

  it('an input object in the arguments is not a selection', () => {
    expect(classifyDocument('mutation { placeOrder(input: { lines: [{ sku: "A", quantity: 1 }] }) { order { id } } }', null)).toBe('essential');
    expect(classifyDocument('{ order(id: "x") { id lines { product { price { unitPrice { amount } } } } } }', null)).toBe('essential');
  });

  it('a comment, a string or an alias saying "mutation" or "order" changes nothing', () => {
    expect(classifyDocument('# mutation { placeOrder }\n{ products(skus: ["mutation"]) { sku } }', null)).toBe('catalog');
    expect(classifyDocument('{ order: products(skus: ["A"]) { sku } }', null)).toBe('catalog');
    expect(classifyDocument('{ products(skus: """\n}\nmutation {\n""") { sku } }', null)).toBe('catalog');
    expect(classifyDocument('{ order(id: "1") { id } products(skus: ["A"]) { sku } }', null)).toBe('catalog');
  });

  it('the operation named by operationName decides; several operations without one are not told apart', () => {
    const doc = 'query Page { products(skus: ["A"]) { sku } } mutation Buy { placeOrder(input: {lines: []}) { order { id } } }';
    expect(classifyDocument(doc, 'Buy')).toBe('essential');
    expect(classifyDocument(doc, 'Page')).toBe('catalog');
    expect(classifyDocument(doc, null)).toBe('read');
    expect(classifyDocument(doc, 'Nope')).toBe('read');
  });

  it('fragments: a definition is skipped, a spread at the root is not resolved (read)', () => {
    expect(classifyDocument('fragment F on Product { sku } query { products(skus: ["A"]) { ...F } }', null)).toBe('catalog');
    expect(classifyDocument('query { ...Root } fragment Root on Query { order(id: "1") { id } }', null)).toBe('read');
    expect(classifyDocument('query { ... on Query { order(id: "1") { id } } }', null)).toBe('read');
  });

  it('directives on the operation and on root fields are not fields', () => {
    expect(classifyDocument('query @cached { order(id: "1") @include(if: true) { id } }', null)).toBe('essential');
    expect(classifyDocument('query Q($x: Boolean!) @cached { order(id: "1") @skip(if: $x) { id } }', 'Q')).toBe('essential');
  });

  it('what cannot be read is read, never essential: a syntax error, an empty document, a subscription', () => {
    expect(classifyDocument('mutation { placeOrder(', null)).toBe('read');
    expect(classifyDocument('', null)).toBe('read');
    expect(classifyDocument('subscription { orders { id } }', null)).toBe('read');
    expect(classifyDocument('{ order(id: "1") { id } ' + '}'.repeat(10), null)).not.toBe('essential');
  });
});

describe('classifyByRoute', () => {
  const headers = (auth: boolean) => new Headers(auth ? { authorization: 'Bearer x' } : {});
  it('ops endpoints are essential, token or not; anonymous requests are catalog; PunchOut messages are reads', () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/ops/invalidate', '/ops', '/ops/orders'])
      expect(classifyByRoute(path, headers(false))).toBe('essential');
    expect(classifyByRoute('/graphql', headers(false))).toBe('catalog');
    expect(classifyByRoute('/nowhere', headers(false))).toBe('catalog');
    expect(classifyByRoute('/punchout/cxml', headers(false))).toBe('read');
    expect(classifyByRoute('/graphql', headers(true))).toBeNull();
  });
});

describe('classifyGraphQL', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    new Request('http://erpfront.test/graphql', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
    });

  it('reads a small POST body and returns it, to hand on in a copy that can still be read', async () => {
    const body = JSON.stringify({ query: PLACE_ORDER, variables: { input: { lines: [] } } });
    const request = post(body);
    const classified = await classifyGraphQL(request);
    expect(classified).toEqual({ requestClass: 'essential', body });
    const copy = withBody(request, classified.body!);
    expect(await copy.text()).toBe(body);
    expect(copy.headers.get('authorization')).toBe(request.headers.get('authorization'));
  });

  it('a GET is classified from its query string', async () => {
    const url = `http://erpfront.test/graphql?query=${encodeURIComponent('{ products(skus: ["A"]) { sku } }')}`;
    expect((await classifyGraphQL(new Request(url))).requestClass).toBe('catalog');
  });

  it('a body too large, chunked, not JSON, a batch or a persisted-query id is read, not read into memory', async () => {
    const large = post(JSON.stringify({ query: PLACE_ORDER, padding: 'x'.repeat(PEEK_MAX_BYTES) }));
    const classified = await classifyGraphQL(large);
    expect(classified).toEqual({ requestClass: 'read', body: null });
    expect(large.bodyUsed).toBe(false);
    expect((await classifyGraphQL(post('{"query": "mutation {', {}))).requestClass).toBe('read');
    expect((await classifyGraphQL(post(JSON.stringify([{ query: PLACE_ORDER }])))).requestClass).toBe('read');
    expect((await classifyGraphQL(post(JSON.stringify({ documentId: 'sha256:abc' })))).requestClass).toBe('read');
    const chunked = new Request('http://erpfront.test/graphql', {
      method: 'POST',
      body: JSON.stringify({ query: PLACE_ORDER }),
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    expect((await classifyGraphQL(chunked)).requestClass).toBe('read');
  });
});
