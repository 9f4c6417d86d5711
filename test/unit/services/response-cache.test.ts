import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../../../src/services/response-cache.ts';
import { planResponse } from '../../../src/transport/graphql/response-cache/plan.ts';

function store(options: { maxEntries?: number; maxBytes?: number } = {}) {
  let now = 1_000;
  const cache = new ResponseCache<string>({ maxEntries: options.maxEntries ?? 100, maxBytes: options.maxBytes ?? 1e6, clock: { now: () => now } });
  return {
    cache,
    advance: (ms: number) => (now += ms),
    put: (key: string, tags: string[], expiresAt = 10_000, bytes = 10) => cache.set(key, { value: key, tags, expiresAt, bytes }, cache.generation),
  };
}

describe('the response cache store', () => {
  it('drops every answer built from a dropped entry, by key or by pattern, and only those', () => {
    const { cache, put } = store();
    put('oem', ['prices:priceList:PL-OEM:SKU-1', 'stock:SKU-1']);
    put('retail', ['prices:priceList:PL-RETAIL:SKU-1', 'stock:SKU-1']);
    put('retail-2', ['prices:priceList:PL-RETAIL:SKU-2']);
    expect(cache.drop(['prices:priceList:PL-OEM:SKU-1'])).toBe(1);
    expect(cache.get('oem')).toBeUndefined();
    expect(cache.get('retail')).toBe('retail');
    expect(cache.drop([], [{ prefix: 'prices:priceList:PL-RETAIL:' }])).toBe(2);
    expect(cache.size).toEqual({ entries: 0, bytes: 0 });
  });

  it('expires an answer when the first entry it read stops being fresh', () => {
    const { cache, put, advance } = store();
    put('a', ['stock:SKU-1'], 1_500);
    expect(cache.get('a')).toBe('a');
    advance(500);
    expect(cache.get('a')).toBeUndefined();
  });

  it('does not keep an answer built while something was dropped (it may hold what the drop removed)', () => {
    const { cache } = store();
    const generation = cache.generation;
    cache.drop(['prices:list:USD:SKU-1']);
    cache.set('late', { value: 'late', tags: ['prices:list:USD:SKU-1'], expiresAt: 10_000, bytes: 1 }, generation);
    expect(cache.get('late')).toBeUndefined();
  });

  it('holds to its bounds, least recently used (to the second) out first', () => {
    const { cache, put, advance } = store({ maxEntries: 2, maxBytes: 25 });
    put('a', ['t:a']);
    put('b', ['t:b']);
    // Used again within the second it was kept: its place is as it was.
    cache.get('a');
    put('x', ['t:x']);
    expect([cache.get('a'), cache.get('b'), cache.get('x')]).toEqual([undefined, 'b', 'x']);
    put('a', ['t:a']);
    advance(1_000);
    cache.get('a');
    put('c', ['t:c']);
    expect([cache.get('a'), cache.get('x'), cache.get('c')]).toEqual(['a', undefined, 'c']);
    put('d', ['t:d'], 10_000, 20);
    expect(cache.size.bytes).toBeLessThanOrEqual(25);
    expect(cache.drop(['t:b'])).toBe(0);
  });
});

describe('what the response cache may keep of an operation', () => {
  it('keeps products and product, runs viewer live, in document order', () => {
    const plan = planResponse(parse('query P($s: [ID!]!) { viewer { subject } list: products(skus: $s) { sku price { unitPrice { amount } } } }'), 'P');
    expect(plan?.fields).toEqual([
      { responseKey: 'viewer', cached: false },
      { responseKey: 'list', cached: true },
    ]);
    expect(plan?.residual?.definitions).toHaveLength(1);
  });

  it('keeps nothing of mutations, per-user product fields, root fragments or directives, or an operation with nothing to keep', () => {
    expect(planResponse(parse('mutation { placeOrder(input: {}) { ok } }'), null)).toBeNull();
    expect(planResponse(parse('{ viewer { subject } }'), null)).toBeNull();
    expect(planResponse(parse('{ products(skus: ["a"]) { sku lastOrdered } }'), null)).toBeNull();
    expect(planResponse(parse('{ products(skus: ["a"]) { ...F } } fragment F on Product { sku orders }'), null)).toBeNull();
    expect(planResponse(parse('{ ... on Query { products(skus: ["a"]) { sku } } }'), null)).toBeNull();
    expect(planResponse(parse('query ($x: Boolean!) { products(skus: ["a"]) @include(if: $x) { sku } }'), null)).toBeNull();
    expect(planResponse(parse('{ a: products(skus: ["a"]) { sku } a: products(skus: ["b"]) { sku } }'), null)).toBeNull();
  });

  it('follows fragments on Product', () => {
    const plan = planResponse(parse('{ products(skus: ["a"]) { ...F } } fragment F on Product { sku ... on Product { name } }'), null);
    expect(plan?.fields).toEqual([{ responseKey: 'products', cached: true }]);
    expect(plan?.residual).toBeNull();
  });
});
