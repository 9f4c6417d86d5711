/**
 * The static query cost over erpfront's own schema (`schema.graphql`): what a storefront's pages
 * cost, how lists are sized by their arguments and variables, what the ERP's share is, and what
 * a cache that served the reads gives back.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { actualCost, queryCost } from '../../../src/transport/graphql/cost/query-cost.ts';
import { CATALOG_PAGE, skus } from '../../support/stack.ts';

const schema = buildSchema(readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8'));
const cost = (document: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  queryCost(schema, parse(document), { variables, operationName });

describe('query cost', () => {
  it('a product list costs its SKUs times one product; scalars cost nothing, objects 1, ERP reads 2 more', () => {
    // Product 1 + 2 (ERP item read) per SKU.
    expect(cost('query($s: [ID!]!) { products(skus: $s) { sku name } }', { s: skus(10) })).toMatchObject({ requested: 30, skus: 10, erpReads: { items: 10 } });
    // + price 1 + 2, + unitPrice 1: 7 per SKU.
    expect(cost('{ products(skus: ["A", "B"]) { sku price { unitPrice { amount } } } }').requested).toBe(14);
  });

  it("the README's CatalogPage: 48 products with price and availability, and the buyer's credit", () => {
    const page = cost(CATALOG_PAGE, { skus: skus(48), quantity: 1 });
    // Per product: product 3, price 3, unitPrice 1, breaks 1 + their unitPrice 1, availability 3, warehouses 1.
    // Then viewer 1, customer 3, creditStatus 1, limit 1, available 1, exposure 1.
    expect(page).toEqual({
      requested: 48 * 13 + 8,
      skus: 48,
      erpReads: { items: 48, prices: 48, stock: 48, accounts: 1, search: 0, activity: 0, live: 0 },
      operationType: 'query',
    });
  });

  it('a page is sized by `first` (its default when absent), its search read counted once', () => {
    const search = (first?: number) =>
      cost(
        `{ searchProducts(query: "bolt"${first === undefined ? '' : `, first: ${first}`}) { totalCount edges { cursor node { sku price { source } } } pageInfo { hasNextPage } } }`,
      );
    // connection 1 + search 2, pageInfo 1, per edge: edge 1, node 1, price 3.
    expect(search(5)).toMatchObject({ requested: 4 + 5 * 5, skus: 5, erpReads: { search: 1, prices: 5, items: 0 } });
    expect(search().skus).toBe(20);
    // Above the page's maximum the resolver refuses; it counts as the maximum meanwhile.
    expect(search(1000).skus).toBe(100);
    expect(cost('query($n: Int) { searchProducts(first: $n) { edges { node { sku } } } }', { n: 7 }).skus).toBe(7);
  });

  it('every products field counts toward the request, aliases and fragments included', () => {
    const document =
      'query($s: [ID!]!) { a: products(skus: $s) { ...P } b: products(skus: $s) { ...P } one: product(sku: "X") { sku } } fragment P on Product { sku }';
    expect(cost(document, { s: skus(200) }).skus).toBe(401);
    // A single value where a list is expected is a list of one; a missing variable, none.
    expect(cost('query($s: [ID!]!) { products(skus: $s) { sku } }', { s: 'SKU-1' }).skus).toBe(1);
    expect(cost('query($s: [ID!]!) { products(skus: $s) { sku } }', {}).skus).toBe(0);
  });

  it('a fragment counts each time it is spread, computed once: a doubling chain is counted at once, and huge', () => {
    const fragments = Array.from({ length: 60 }, (_, i) => `fragment F${i} on Product { price { source } ...F${i + 1} ...F${i + 1} }`).join('\n');
    const document = `{ products(skus: ["A"]) { ...F0 } }\n${fragments}\nfragment F60 on Product { sku }`;
    const started = performance.now();
    const chain = cost(document);
    expect(performance.now() - started).toBeLessThan(50);
    expect(chain.requested).toBeGreaterThan(2 ** 60);
  });

  it('a mutation costs a fixed 10 per field, whatever it selects', () => {
    expect(cost('mutation { cancelOrder(id: "1") { order { id lines { sku } } userErrors { code } } }')).toMatchObject({ requested: 10, skus: 0 });
    expect(cost('mutation A { a: cancelOrder(id: "1") { userErrors { code } } b: cancelOrder(id: "2") { userErrors { code } } }', {}, 'A').requested).toBe(20);
  });

  it('the operation named is the one costed; a document with several and no name costs nothing (it does not run)', () => {
    const document = 'query A { viewer { subject } } query B { products(skus: ["A"]) { sku } }';
    expect(cost(document, {}, 'B').requested).toBe(3);
    expect(cost(document, {}, 'A').requested).toBe(1);
    expect(cost(document).requested).toBe(0);
  });

  it('the actual cost gives back the ERP share of each read the cache served, never below the objects themselves', () => {
    const page = cost(CATALOG_PAGE, { skus: skus(48), quantity: 1 });
    expect(actualCost(page, { items: 48, prices: 48, stock: 48, accounts: 1 })).toBe(page.requested);
    const warm = actualCost(page, {});
    expect(warm).toBe(page.requested - 2 * (48 * 3 + 1));
    expect(actualCost(page, { prices: 10 })).toBe(warm + 20);
    // Orders are asked of the ERP every time: nothing to give back.
    const orders = cost('{ orders(first: 5) { edges { node { id } } } }');
    expect(actualCost(orders, {})).toBe(orders.requested);
  });
});
