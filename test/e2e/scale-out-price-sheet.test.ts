/**
 * The price sheet across instances sharing Redis: a buyer seen by one instance is in the sheet
 * the instance holding its lease runs; the sheet's entries live in the shared tier, so during an
 * outage every instance prices and queues an order for an item nobody viewed, and each reaches
 * the ERP once after. Every instance reports the same figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually, queue } from '../support/orders.ts';
import { FAST_SHEET, PLACE_ORDER_PRICED, sheetGauges, sheetOrder, unviewedItem } from '../support/price-sheet.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';

const available = redisServerAvailable('scale-out-price-sheet');
let scale: ScaleOut;

const metricsOf = (i: number) => async () => {
  const response = await fetch(`${scale.instances[i]!.url}/metrics`, { headers: { authorization: `Bearer ${await scale.opsToken()}` } });
  return response.text();
};

describe.skipIf(!available)('scale-out: the price sheet', () => {
  beforeAll(async () => {
    scale = await startScaleOut(2, FAST_SHEET);
  }, 90_000);
  afterAll(() => scale?.close());

  it('a buyer seen by instance 1 is priced by both instances during an outage, for items never viewed', async () => {
    const skus = [await unviewedItem(scale.sandbox.url, 4400), await unviewedItem(scale.sandbox.url, 4500)];
    const token = await scale.buyerToken('C0002');
    expect((await scale.stack(1).graphql('{ viewer { customer { id } } }', {}, { token })).body.data.viewer.customer.id).toBe('C0002');

    const sheet = await eventually(
      () => sheetGauges(metricsOf(0)),
      (g) => g.customers === 1 && g.coverage === 1,
      60_000,
      250,
    );
    expect(sheet).toMatchObject({ customers: 1, items: 5000, coverage: 1 });
    expect(await sheetGauges(metricsOf(1))).toMatchObject({ customers: 1, items: 5000, coverage: 1 });

    await scale.faults({ outage: true });
    const placed: string[] = [];
    for (const [i, sku] of skus.entries()) {
      const answer = await scale.stack(i).graphql(PLACE_ORDER_PRICED, { input: sheetOrder(sku, `scale-sheet-${i}-${Date.now()}`) }, { token });
      const result = answer.body.data.placeOrder;
      expect(result.userErrors).toEqual([]);
      expect(result.order.status).toBe('QUEUED');
      expect(result.pricesStale).toBe(true);
      placed.push(result.order.id);
    }

    await scale.faults({ outage: false });
    await eventually(
      () => queue(scale.stack(0), ['QUEUED']),
      (q) => !q.some((o) => placed.includes(o.id)),
      30_000,
      250,
    );
    const held = await erpOrders(scale.stack(0));
    for (const id of placed) expect(held.filter((o) => o.externalRef === id)).toHaveLength(1);
  });
});
