import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_PAGE, counter, skus, startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const ERP_OPERATIONS = ['getItems', 'getPrices', 'getStock', 'getCustomers', 'getSalesReps', 'searchItems'];
const erpCalls = async () => {
  const stats = await stack.stats();
  return ERP_OPERATIONS.reduce((sum, op) => sum + (stats.byOperation[op] ?? 0), 0);
};

describe('the CatalogPage document', () => {
  it("serves 48 products with the buyer's prices, availability and credit in at most 4 ERP calls cold, none warm", async () => {
    const before = await erpCalls();
    const cold = await stack.graphql(CATALOG_PAGE, { skus: skus(48), quantity: 1 });
    expect(cold.status).toBe(200);
    expect(cold.body.errors).toBeUndefined();
    const afterCold = await erpCalls();
    expect(afterCold - before).toBeLessThanOrEqual(4);

    const products = cold.body.data.products;
    expect(products).toHaveLength(48);
    for (const product of products) {
      expect(product.name).toEqual(expect.any(String));
      expect(product.price.unitPrice.amount).toMatch(/^\d+\.\d{2}$/);
      expect(product.price.unitPrice.currency).toBe('USD');
      expect(['CONTRACT', 'PRICE_LIST', 'LIST']).toContain(product.price.source);
      expect(product.price.stale).toBe(false);
      expect(Date.parse(product.price.asOf)).not.toBeNaN();
      expect(['IN_STOCK', 'LOW_STOCK', 'BACKORDER', 'OUT_OF_STOCK']).toContain(product.availability.status);
      expect(product.availability.warehouses.map((w: { code: string }) => w.code).sort()).toEqual(['CENTRAL', 'EAST', 'WEST']);
    }
    const customer = cold.body.data.viewer.customer;
    expect(customer.id).toBe('C0001');
    expect(customer.creditStatus.limit.amount).toMatch(/^\d+\.\d{2}$/);
    expect(customer.creditStatus).toMatchObject({ stale: false, onHold: expect.any(Boolean) });

    const warm = await stack.graphql(CATALOG_PAGE, { skus: skus(48), quantity: 1 }, { headers: { 'x-request-id': 'shop-warm-0001' } });
    expect(await erpCalls()).toBe(afterCold);
    expect(warm.body.data).toEqual(cold.body.data);
    // Answered on the fast path (or from the response cache), with the client's request id all the same.
    expect(warm.headers.get('x-request-id')).toBe('shop-warm-0001');
  });

  it('reports ERP calls and cache hits in /metrics', async () => {
    const text = await stack.metrics();
    expect(counter(text, 'erpfront_erp_requests_total', { operation: 'getPrices', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(counter(text, 'erpfront_erp_request_duration_seconds_count', { operation: 'getItems' })).toBeGreaterThanOrEqual(1);
    expect(counter(text, 'erpfront_cache_requests_total', { cache: 'prices', result: 'hit' })).toBeGreaterThanOrEqual(48);
    expect(counter(text, 'erpfront_cache_requests_total', { cache: 'prices', result: 'miss' })).toBeGreaterThanOrEqual(48);
  });

  it('shares price-list entries between customers of the same list: a second customer costs only what is theirs', async () => {
    // C0001 and C0002 are on different lists: C0002's page needs its own account, price-list and
    // list-price lookups, but items and stock are already cached, so at most 2 calls.
    const before = await erpCalls();
    const page = await stack.graphql(CATALOG_PAGE, { skus: skus(48), quantity: 1 }, { token: await stack.buyerToken('C0002') });
    expect(page.body.errors).toBeUndefined();
    expect((await erpCalls()) - before).toBeLessThanOrEqual(2);
  });

  it('prices a larger quantity at its quantity break', async () => {
    const one = await stack.graphql(CATALOG_PAGE, { skus: skus(48), quantity: 1 });
    const many = await stack.graphql(CATALOG_PAGE, { skus: skus(48), quantity: 100 });
    const cheaper = many.body.data.products.filter(
      (p: any, i: number) => Number(p.price.unitPrice.amount) < Number(one.body.data.products[i].price.unitPrice.amount),
    );
    expect(cheaper.length).toBeGreaterThan(0);
    for (const p of cheaper) {
      const applied = p.price.breaks.filter((b: any) => b.minQuantity <= 100).at(-1);
      expect(applied.unitPrice.amount).toBe(p.price.unitPrice.amount);
    }
  });

  it('pages through a catalog search, Relay-style', async () => {
    const query = /* GraphQL */ `query($after: String) { searchProducts(query: "bolt", first: 5, after: $after) {
      totalCount edges { cursor node { sku name } } pageInfo { hasNextPage endCursor } } }`;
    const first = await stack.graphql(query);
    expect(first.body.errors).toBeUndefined();
    const page1 = first.body.data.searchProducts;
    expect(page1.totalCount).toBeGreaterThan(5);
    expect(page1.edges).toHaveLength(5);
    const second = await stack.graphql(query, { after: page1.pageInfo.endCursor });
    const page2 = second.body.data.searchProducts;
    expect(page2.edges[0].node.sku).not.toBe(page1.edges[0].node.sku);
    expect(new Set([...page1.edges, ...page2.edges].map((e: any) => e.node.sku)).size).toBe(page1.edges.length + page2.edges.length);
  });
});

describe('compression (HTTP_COMPRESSION, on by default)', () => {
  /** The raw bytes on the wire (fetch would decompress them), with the response's encoding. */
  function raw(path: string, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }) {
    return new Promise<{ status: number; encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
      const request = httpRequest(`${stack.erpfront.url}${path}`, { method: init.method, headers: init.headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, encoding: response.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(init.body);
    });
  }

  it('gzips the CatalogPage for a client that accepts it, to the same JSON in a fraction of the bytes', async () => {
    const body = JSON.stringify({ query: CATALOG_PAGE, variables: { skus: skus(48), quantity: 1 } });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${await stack.buyerToken('C0001')}` };
    const plain = await raw('/graphql', { method: 'POST', headers, body });
    const zipped = await raw('/graphql', { method: 'POST', headers: { ...headers, 'accept-encoding': 'gzip, deflate, br' }, body });
    expect(plain.encoding).toBeUndefined();
    expect(zipped).toMatchObject({ status: 200, encoding: 'gzip' });
    const unzipped = JSON.parse(gunzipSync(zipped.bytes).toString('utf8'));
    expect(unzipped.data.products).toHaveLength(48);
    // The same answer; only extensions.cost's bucket level moved between the two requests.
    expect(unzipped.data).toEqual(JSON.parse(plain.bytes.toString('utf8')).data);
    console.log(`CatalogPage: ${plain.bytes.length} bytes plain, ${zipped.bytes.length} gzipped`);
    expect(zipped.bytes.length).toBeLessThan(plain.bytes.length / 5);
  });

  it('gzips the GraphiQL page', async () => {
    const page = await raw('/graphql', { method: 'GET', headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(page).toMatchObject({ status: 200, encoding: 'gzip' });
    const html = gunzipSync(page.bytes);
    console.log(`GraphiQL page: ${html.length} bytes plain, ${page.bytes.length} gzipped`);
    expect(page.bytes.length).toBeLessThan(html.length / 3);
  });
});
