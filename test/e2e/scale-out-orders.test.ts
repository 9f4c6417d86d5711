/**
 * Three erpfront processes share one Redis (appendonly yes) in front of one sandbox ERP process:
 * 300 orders queued across them during an ERP outage reach the ERP exactly once each, in order per
 * customer; and when one instance is killed with `kill -9` mid-drain, another finishes its orders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually, placeOrder, queue } from '../support/orders.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';

const available = redisServerAvailable('scale-out-orders');
let scale: ScaleOut;

const WARM = /* GraphQL */ `{ viewer { customer { id creditStatus { available { amount } onHold } } }
  products(skus: ["SKU-00001", "SKU-00002", "SKU-00003"]) { price { unitPrice { amount } } } }`;

/** Customers in good standing, their caches warm on every instance (they browsed before ordering). */
async function buyers(count: number): Promise<Array<{ id: string; token: string }>> {
  const found: Array<{ id: string; token: string }> = [];
  for (let n = 1; found.length < count && n <= 60; n++) {
    const id = `C${String(n).padStart(4, '0')}`;
    const token = await scale.buyerToken(id);
    const pages = await Promise.all([0, 1, 2].map((i) => scale.stack(i).graphql(WARM, {}, { token })));
    const customer = pages[0]!.body.data?.viewer.customer;
    if (pages.every((p) => !p.body.errors) && !customer.creditStatus.onHold && Number(customer.creditStatus.available.amount) > 3000) found.push({ id, token });
  }
  return found;
}

describe.skipIf(!available)('scale-out: orders on a shared Redis queue', () => {
  beforeAll(async () => {
    // The ERP abandons a request after 5 s and erpfront is told so: an order caught mid-send by a
    // kill is looked up again once that bound has passed, well inside the test's wait.
    scale = await startScaleOut(
      3,
      { BREAKER_COOLDOWN_SECONDS: '1', ERP_REQUESTS_PER_SECOND: '60', ORDER_LEASE_SECONDS: '3', ERP_MAX_REQUEST_SECONDS: '5' },
      { sandboxEnv: { SANDBOX_MAX_REQUEST_MS: '5000' } },
    );
  }, 90_000);
  afterAll(() => scale?.close());

  it('300 orders queued across three instances during an outage: the ERP then holds exactly 300, each once, in order per customer', async () => {
    const customers = await buyers(10);
    expect(customers).toHaveLength(10);
    await scale.faults({ outage: true });
    const placed = new Map<string, string[]>(customers.map((c) => [c.id, []]));
    const statuses: string[] = [];
    for (let round = 0; round < 30; round++) {
      await Promise.all(
        customers.map(async (c, i) => {
          // Each customer's orders land on all three instances in turn.
          const result = await placeOrder(scale.stack((round + i) % 3), c.token, {
            idempotencyKey: `so-${c.id}-${round}`,
            poNumber: `PO-${round}`,
            lines: [{ sku: `SKU-0000${1 + ((round + i) % 3)}`, quantity: 1 }],
          });
          expect(result.userErrors).toEqual([]);
          statuses.push(result.order!.status);
          placed.get(c.id)!.push(result.order!.id);
        }),
      );
    }
    expect(statuses).toHaveLength(300);
    expect(new Set(statuses)).toEqual(new Set(['QUEUED']));
    expect(await queue(scale.stack(1), ['QUEUED'])).toHaveLength(300);

    await scale.faults({ outage: false });
    expect(
      await eventually(
        () => queue(scale.stack(2), ['QUEUED']),
        (q) => q.length === 0,
        90_000,
        500,
      ),
    ).toEqual([]);
    const held = await erpOrders(scale.stack(0));
    const ours = new Set([...placed.values()].flat());
    expect(held.filter((o) => o.externalRef && ours.has(o.externalRef))).toHaveLength(300);
    expect(new Set(held.map((o) => o.externalRef)).size).toBe(held.length);
    for (const [customerId, ids] of placed) {
      expect(held.filter((o) => o.customerId === customerId).map((o) => o.externalRef)).toEqual(ids);
    }
  }, 180_000);

  it('kill -9 of one instance mid-drain: the others finish its orders, none twice', async () => {
    const tokens = await Promise.all(['C0001', 'C0002', 'C0003', 'C0006', 'C0008', 'C0009'].map((c) => scale.buyerToken(c)));
    await scale.faults({ outage: true });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const result = await placeOrder(scale.stack(i % 3), tokens[i % tokens.length]!, {
        idempotencyKey: `kill-${i}`,
        poNumber: `PO-K${i}`,
        lines: [{ sku: 'SKU-00001', quantity: 1 }],
      });
      expect(result.order?.status).toBe('QUEUED');
      ids.push(result.order!.id);
    }
    const before = (await erpOrders(scale.stack(0))).length;
    // Back, but slow, so the kill catches instance 0 with submissions in flight.
    await scale.faults({ outage: false, latencyMs: 150, jitterMs: 100 });
    await eventually(
      () => erpOrders(scale.stack(0)),
      (held) => held.length >= before + 6,
      30_000,
      50,
    );
    await scale.instances[0]!.stop('SIGKILL');
    await scale.faults({ latencyMs: 0, jitterMs: 0 });
    // Its leases run out (ORDER_LEASE_SECONDS=3) and instances 1 and 2 reclaim them, in doubt; an
    // order it was sending waits out the ERP's bound (lease end + 5 s + grace) before it is looked up.
    expect(
      await eventually(
        () => queue(scale.stack(1), ['QUEUED']),
        (q) => q.length === 0,
        60_000,
        250,
      ),
    ).toEqual([]);
    const held = await erpOrders(scale.stack(1));
    const refs = held.map((o) => o.externalRef).filter((r): r is string => r !== null && ids.includes(r));
    expect(refs).toHaveLength(60);
    expect(new Set(refs).size).toBe(60);
    expect((await queue(scale.stack(2), ['SUBMITTED'])).filter((o) => ids.includes(o.id))).toHaveLength(60);
    await scale.restart(0);
  }, 120_000);
});
