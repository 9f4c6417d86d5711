/** RESPONSE_CACHE_MAX_MB is honest: what an answer is counted for is the heap it takes. */
import { parse } from 'graphql';
import { expect, it } from 'vitest';
import { Footprint } from '../../../src/services/footprint.ts';
import { ResponseCache } from '../../../src/services/response-cache.ts';
import { type AnswerCache, keepAnswer } from '../../../src/transport/graphql/response-cache/cached-answer.ts';
import { planResponse } from '../../../src/transport/graphql/response-cache/plan.ts';
import { collectedHeap } from '../../support/heap.ts';

const QUERY = 'query Prices($skus: [ID!]!) { products(skus: $skus) { sku price { unitPrice { amount currency } source } } }';
const LISTS = ['PL-OEM', 'PL-CONTRACTOR', 'PL-DISTRIBUTOR'];
const skus = (from: number) => Array.from({ length: 250 }, (_, i) => `SKU-${String(from + i).padStart(5, '0')}`);

/** Keeps one page of prices as a run of it would: what it read, its variables, its text. */
function keepPage(store: AnswerCache, customer: number, from: number): void {
  const customerId = `C${String(customer).padStart(4, '0')}`;
  const priceList = LISTS[customer % LISTS.length]!;
  const body = JSON.stringify({ query: QUERY, variables: { skus: skus(from) } });
  const { variables } = JSON.parse(body) as { variables: Record<string, unknown> };
  const footprint = new Footprint();
  const cached = { value: null, asOf: '2026-01-05T09:00:00.000Z', stale: false };
  footprint.note('accounts', `accounts:${customerId}`, cached, 60_000);
  for (const sku of skus(from)) {
    footprint.note('items', `items:${sku}`, cached, 3_600_000);
    for (const id of [`contract:${customerId}:${sku}`, `priceList:${priceList}:${sku}`, `list:USD:${sku}`])
      footprint.note('prices', `prices:${id}`, cached, 300_000);
  }
  const data = { products: skus(from).map((sku) => ({ sku, price: { unitPrice: { amount: '12.34', currency: 'USD' }, source: 'PRICE_LIST' } })) };
  const key = `buyer\u0001USD\u0001${priceList}\u0001${customerId}\u0001\u0001${body}`;
  const slot = { store, key: () => key, footprint, generation: store.generation };
  const cost = { requested: 1001, erpReads: { items: 250, prices: 750, stock: 0 }, skus: 250, operationType: 'query' } as never;
  keepAnswer(slot, planResponse(parse(QUERY), null)!, data, { variables, cost, operationName: 'Prices' });
}

it('pages of prices kept for many customers take within a quarter of the bytes counted against the bound', () => {
  const store: AnswerCache = new ResponseCache({ maxEntries: 10_000, maxBytes: 1024 * 1024 * 1024, clock: { now: () => Date.UTC(2026, 0, 5, 9) } });
  const before = collectedHeap();
  for (let customer = 0; customer < 12; customer++) for (let from = 1; from <= 5000; from += 250) keepPage(store, customer, from);
  const taken = collectedHeap() - before;
  expect(store.size.entries).toBe(240);
  expect(taken / store.size.bytes).toBeGreaterThan(0.75);
  expect(taken / store.size.bytes).toBeLessThan(1.25);
});
