import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../../src/ports/cache-store.ts';
import { cacheKey, priceCacheKey } from '../../../src/services/cache-keys.ts';
import { priceKeyId, priceScopePattern, priceSkuPattern } from '../../../src/services/erp-reader.ts';
import { ReadThroughCache } from '../../../src/services/read-through-cache.ts';

describe('cache keys built once', () => {
  it('are exactly the keys ReadThroughCache.key builds, so invalidation and the shared tier see the same strings', () => {
    for (const domain of ['items', 'stock', 'accounts', 'reps', 'invoices'] as const) {
      expect(cacheKey(domain, 'SKU-00001')).toBe(ReadThroughCache.key(domain, 'SKU-00001'));
    }
    const key = { scope: 'priceList', scopeId: 'PL-OEM', sku: 'SKU-00001' } as const;
    expect(priceCacheKey(key.scope, key.scopeId, key.sku)).toBe(ReadThroughCache.key('prices', priceKeyId(key)));
    expect(priceCacheKey('list', 'EUR', 'SKU-00001')).toBe('prices:list:EUR:SKU-00001');
  });

  it('still match the patterns an ERP change drops', () => {
    const key = priceCacheKey('priceList', 'PL-OEM', 'SKU-00042');
    const prefixed = (p: { prefix: string; suffix?: string }) => ({ ...p, prefix: `prices:${p.prefix}` });
    expect(matchesPattern(key, prefixed(priceScopePattern('priceList', 'PL-OEM')))).toBe(true);
    expect(matchesPattern(key, prefixed(priceSkuPattern('priceList', 'SKU-00042')))).toBe(true);
    expect(matchesPattern(key, prefixed(priceScopePattern('priceList', 'PL-OTHER')))).toBe(false);
  });

  it('give the same string for the same parts, and different ones for different parts', () => {
    const sku = ['SKU', '00007'].join('-');
    expect(cacheKey('items', sku)).toBe(cacheKey('items', 'SKU-00007'));
    expect(cacheKey('items', 'SKU-00007')).not.toBe(cacheKey('stock', 'SKU-00007'));
    expect(priceCacheKey('contract', 'C0001', 'SKU-00007')).not.toBe(priceCacheKey('contract', 'C0002', 'SKU-00007'));
  });

  it('stay right past the table bound (it starts over)', () => {
    for (let i = 0; i < 100_050; i++) expect(cacheKey('items', `S${i}`)).toBe(`items:S${i}`);
    expect(priceCacheKey('list', 'USD', 'S1')).toBe('prices:list:USD:S1');
  });
});
