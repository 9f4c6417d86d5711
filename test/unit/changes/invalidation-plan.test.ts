/**
 * The invalidation plan against a real cache: entries written under the keys the reader uses
 * (every scope, several customers and lists, search pages), one change applied through the
 * cache invalidation service, and exactly the entries that change made wrong are gone.
 */
import { silentLogger } from '../../../src/ports/logger.ts';
import { describe, expect, it } from 'vitest';
import { createMemoryCacheStore } from '../../../src/adapters/stores/memory/cache-store.ts';
import { createChangeApplier } from '../../../src/features/changes/change-applier.ts';
import { planInvalidation } from '../../../src/features/changes/invalidation-plan.ts';
import type { ErpChange } from '../../../src/ports/erp/changes.ts';
import type { PriceKey } from '../../../src/ports/erp-connector.ts';
import { CacheInvalidation } from '../../../src/services/cache-invalidation.ts';
import { priceKeyId, searchKeyId } from '../../../src/services/erp-reader.ts';
import { ReadThroughCache, type CacheDomain } from '../../../src/services/read-through-cache.ts';

const price = (scope: PriceKey['scope'], scopeId: string, sku: string) => ['prices', priceKeyId({ scope, scopeId, sku })] as const;

/** What a busy cache holds: two price lists, two customers' contracts, list prices in two currencies. */
const CACHED: ReadonlyArray<readonly [CacheDomain, string]> = [
  ['items', 'SKU-1'],
  ['items', 'SKU-2'],
  ['items', 'SKU-10'],
  ['items', searchKeyId({ text: 'bolt', offset: 0, limit: 20 })],
  ['items', searchKeyId({ category: 'Tools', offset: 20, limit: 20 })],
  ['stock', 'SKU-1'],
  ['stock', 'SKU-2'],
  price('list', 'USD', 'SKU-1'),
  price('list', 'EUR', 'SKU-1'),
  price('list', 'USD', 'SKU-10'),
  price('list', 'USD', 'SKU-2'),
  price('priceList', 'PL-OEM', 'SKU-1'),
  price('priceList', 'PL-OEM', 'SKU-2'),
  price('priceList', 'PL-OEM-EU', 'SKU-1'),
  price('priceList', 'PL-RETAIL', 'SKU-1'),
  price('contract', 'C0001', 'SKU-1'),
  price('contract', 'C0001', 'SKU-2'),
  price('contract', 'C00010', 'SKU-1'),
  ['accounts', 'C0001'],
  ['accounts', 'C0002'],
  ['accounts', 'C00010'],
  ['reps', 'R01'],
  ['reps', 'R02'],
  ['activity', 'orders:C0001'],
  ['activity', 'invoices:C0001'],
  ['activity', 'orders:C0002'],
];

/** The entries left after applying `change` to a cache holding {@link CACHED}. */
async function dropped(change: ErpChange): Promise<string[]> {
  const local = createMemoryCacheStore();
  const entry = { value: 1, fetchedAt: 0, asOf: '1970-01-01T00:00:00.000Z' };
  const keys = CACHED.map(([domain, key]) => ReadThroughCache.key(domain, key));
  await local.setMany(
    keys.map((k) => [k, entry] as const),
    60_000,
  );
  await createChangeApplier(new CacheInvalidation({ local, logger: silentLogger, instanceId: 'test' })).apply([change]);
  const left = await local.getMany(keys);
  return keys.filter((_, i) => left[i] === undefined);
}

describe('invalidation plan: exactly the entries a change made wrong', () => {
  it('price_list.changed with SKUs: those entries of that list only', async () => {
    expect(await dropped({ type: 'price_list.changed', data: { priceListId: 'PL-OEM', skus: ['SKU-1'] } })).toEqual(['prices:priceList:PL-OEM:SKU-1']);
  });

  it('price_list.changed without SKUs: every entry of that list, not a list whose id starts the same', async () => {
    expect(await dropped({ type: 'price_list.changed', data: { priceListId: 'PL-OEM' } })).toEqual([
      'prices:priceList:PL-OEM:SKU-1',
      'prices:priceList:PL-OEM:SKU-2',
    ]);
  });

  it("contract_price.changed: that customer's contract entries (named, or all) and its account", async () => {
    expect(await dropped({ type: 'contract_price.changed', data: { customerId: 'C0001', skus: ['SKU-2'] } })).toEqual([
      'prices:contract:C0001:SKU-2',
      'accounts:C0001',
    ]);
    expect(await dropped({ type: 'contract_price.changed', data: { customerId: 'C0001' } })).toEqual([
      'prices:contract:C0001:SKU-1',
      'prices:contract:C0001:SKU-2',
      'accounts:C0001',
    ]);
  });

  it('item.changed: the items, every search page, and their list prices in every currency', async () => {
    expect(await dropped({ type: 'item.changed', data: { skus: ['SKU-1'] } })).toEqual([
      'items:SKU-1',
      ReadThroughCache.key('items', searchKeyId({ text: 'bolt', offset: 0, limit: 20 })),
      ReadThroughCache.key('items', searchKeyId({ category: 'Tools', offset: 20, limit: 20 })),
      'prices:list:USD:SKU-1',
      'prices:list:EUR:SKU-1',
    ]);
  });

  it('stock.changed: the stock records', async () => {
    expect(await dropped({ type: 'stock.changed', data: { skus: ['SKU-2', 'SKU-2'] } })).toEqual(['stock:SKU-2']);
  });

  it("customer.changed: the accounts (credit included), their open orders and invoices, and the reps' customer lists", async () => {
    expect(await dropped({ type: 'customer.changed', data: { customerIds: ['C0001'] } })).toEqual([
      'accounts:C0001',
      'reps:R01',
      'reps:R02',
      'activity:orders:C0001',
      'activity:invoices:C0001',
    ]);
  });

  it('order.changed: nothing (erpfront caches no ERP order views)', async () => {
    expect(await dropped({ type: 'order.changed', data: { externalRefs: ['ord_1'] } })).toEqual([]);
    expect(planInvalidation({ type: 'order.changed', data: { externalRefs: ['ord_1'] } })).toEqual([]);
  });
});
