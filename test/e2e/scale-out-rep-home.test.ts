/**
 * A sales rep's home on two erpfront instances sharing one Redis: a page of 20 customers costs the
 * ERP one call per kind of data cold on the first instance, and none on the second (the shared
 * cache tier serves it); an order a rep places on one instance shows on the other as placed on the
 * customer's behalf, with its history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../scripts/sign-token.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';
import { callsBetween, REP_HOME } from '../support/reps.ts';

const available = redisServerAvailable('scale-out-rep-home');
let scale: ScaleOut;

describe.skipIf(!available)("a sales rep's home (scale-out, two instances)", () => {
  beforeAll(async () => {
    scale = await startScaleOut(2);
  }, 90_000);
  afterAll(() => scale?.close());

  const rep = (repId: string) => signToken({ secret: scale.secret, roles: ['rep'], repId });

  it('one ERP call per kind cold on one instance, none warm on the other', async () => {
    const before = await scale.stats();
    const cold = await scale.stack(0).graphql(REP_HOME, { first: 20 }, { token: await rep('R05') });
    expect(cold.body.errors).toBeUndefined();
    expect(cold.body.data.repHome.customers.edges).toHaveLength(20);
    const afterCold = await scale.stats();
    expect(callsBetween(before, afterCold)).toEqual({ getSalesReps: 1, getCustomers: 1, getOpenOrderSummaries: 1, getOpenInvoices: 1 });

    const warm = await scale.stack(1).graphql(REP_HOME, { first: 20 }, { token: await rep('R05') });
    expect(callsBetween(afterCold, await scale.stats())).toEqual({});
    expect(warm.body.data).toEqual(cold.body.data);
  });

  it("an order a rep places on one instance is marked on the customer's behalf on the other", async () => {
    const placed = await scale
      .stack(0)
      .graphql(
        'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id onBehalf { salesRepId } } userErrors { code } } }',
        { input: { idempotencyKey: 'scale-rep-1', lines: [{ sku: 'SKU-00001', quantity: 1 }] } },
        { token: await rep('R01'), headers: { 'x-customer-id': 'C0001' } },
      );
    expect(placed.body.data.placeOrder.userErrors).toEqual([]);
    const id = placed.body.data.placeOrder.order.id;
    const seen = await scale.stack(1).graphql(
      'query($id: ID!) { order(id: $id) { placedBy onBehalf { salesRepId } history { action by note } } }',
      { id },
      {
        token: await scale.buyerToken('C0001'),
      },
    );
    expect(seen.body.data.order).toMatchObject({ placedBy: 'rep:R01', onBehalf: { salesRepId: 'R01' } });
    expect(seen.body.data.order.history[0]).toEqual({ action: 'PLACED', by: 'rep:R01', note: 'by sales rep R01 on behalf of customer C0001' });
  });
});
