import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skus, startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const PRICES = /* GraphQL */ `query($skus: [ID!]!) {
  viewer { customer { id } }
  products(skus: $skus) { sku price { unitPrice { amount currency } source } }
}`;

type PriceMap = Record<string, string>;
const priceMap = (data: any): PriceMap =>
  Object.fromEntries(data.products.map((p: any) => [p.sku, `${p.price.unitPrice.amount} ${p.price.unitPrice.currency} ${p.price.source}`]));

describe('price isolation between buyers', () => {
  it('C0001 and C0002, interleaved and concurrent, always get their own prices', async () => {
    const c1 = await stack.buyerToken('C0001');
    const c2 = await stack.buyerToken('C0002');
    // Reference answers, each alone and cold.
    const ref1 = priceMap((await stack.graphql(PRICES, { skus: skus(48) }, { token: c1 })).body.data);
    const ref2 = priceMap((await stack.graphql(PRICES, { skus: skus(48) }, { token: c2 })).body.data);
    const differing = Object.keys(ref1).filter((sku) => ref1[sku] !== ref2[sku]);
    expect(differing.length).toBeGreaterThan(0);

    // 60 rounds, both customers at once, over random subsets so batches mix differently.
    for (let round = 0; round < 60; round++) {
      const subset = skus(48).filter((_, i) => (i * 7 + round) % 3 !== 0);
      const [a, b] = await Promise.all([
        stack.graphql(PRICES, { skus: subset }, { token: round % 2 ? c1 : c2 }),
        stack.graphql(PRICES, { skus: subset }, { token: round % 2 ? c2 : c1 }),
      ]);
      for (const answer of [a, b]) {
        expect(answer.body.errors).toBeUndefined();
        const who = answer.body.data.viewer.customer.id;
        const expected = who === 'C0001' ? ref1 : ref2;
        for (const [sku, price] of Object.entries(priceMap(answer.body.data))) expect(price, `${who} ${sku}`).toBe(expected[sku]);
      }
    }
  });
});

describe('sales reps', () => {
  it("see an assigned customer's prices when naming it in X-Customer-Id", async () => {
    const rep = await stack.repToken('R01');
    const asRep = await stack.graphql(PRICES, { skus: skus(48) }, { token: rep, headers: { 'x-customer-id': 'C0001' } });
    expect(asRep.body.errors).toBeUndefined();
    expect(asRep.body.data.viewer.customer.id).toBe('C0001');
    const asBuyer = await stack.graphql(PRICES, { skus: skus(48) }, { token: await stack.buyerToken('C0001') });
    expect(priceMap(asRep.body.data)).toEqual(priceMap(asBuyer.body.data));
  });

  it('list their assigned customers', async () => {
    const answer = await stack.graphql('{ viewer { roles assignedCustomers { id name } } }', {}, { token: await stack.repToken('R01') });
    expect(answer.body.data.viewer.roles).toEqual(['REP']);
    const ids = answer.body.data.viewer.assignedCustomers.map((c: any) => c.id);
    expect(ids).toContain('C0001');
    expect(ids).not.toContain('C0002');
  });

  it('are refused a customer not assigned to them', async () => {
    const answer = await stack.graphql(PRICES, { skus: ['SKU-00001'] }, { token: await stack.repToken('R01'), headers: { 'x-customer-id': 'C0002' } });
    expect(answer.status).toBe(403);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(answer.body.data).toBeUndefined();
  });

  it('must name a customer before asking for prices', async () => {
    const answer = await stack.graphql(PRICES, { skus: ['SKU-00001'] }, { token: await stack.repToken('R01') });
    expect(answer.body.data.viewer.customer).toBeNull();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('CUSTOMER_REQUIRED');
  });
});

describe('buyers', () => {
  it('may not act for another customer', async () => {
    const answer = await stack.graphql(PRICES, { skus: ['SKU-00001'] }, { headers: { 'x-customer-id': 'C0002' } });
    expect(answer.status).toBe(403);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
