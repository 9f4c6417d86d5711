/**
 * Orders while the ERP is down: accepted into the durable queue, then each submitted exactly once,
 * in order per customer, when it returns. The sandbox runs as its own process; erpfront too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually, placeOrder, queue } from '../support/orders.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ BREAKER_COOLDOWN_SECONDS: '1', ERP_REQUESTS_PER_SECOND: '50' });
});
afterAll(() => stack?.close());

const WARM = /* GraphQL */ `{ viewer { customer { id poRequired creditStatus { available { amount } onHold } } }
  products(skus: ["SKU-00001", "SKU-00002", "SKU-00003"]) { price { unitPrice { amount } } } }`;

/** Customers in good standing, with their caches warm (the buyers browsed before ordering). */
async function buyers(count: number): Promise<Array<{ id: string; token: string }>> {
  const found: Array<{ id: string; token: string }> = [];
  for (let n = 1; found.length < count && n <= 60; n++) {
    const id = `C${String(n).padStart(4, '0')}`;
    const token = await stack.buyerToken(id);
    const page = await stack.graphql(WARM, {}, { token });
    const customer = page.body.data?.viewer.customer;
    if (!page.body.errors && !customer.creditStatus.onHold && Number(customer.creditStatus.available.amount) > 3000) found.push({ id, token });
  }
  return found;
}

describe('an ERP outage', () => {
  it('200 orders placed during it all come back QUEUED; after it, the ERP holds exactly 200, each once, in order per customer', async () => {
    const customers = await buyers(10);
    expect(customers).toHaveLength(10);
    await stack.faults({ outage: true });

    const placed = new Map<string, string[]>(customers.map((c) => [c.id, []]));
    const statuses: string[] = [];
    const latencies: number[] = [];
    for (let round = 0; round < 20; round++) {
      // Ten customers at once, twenty rounds: each customer's orders are placed one after another.
      await Promise.all(
        customers.map(async (c, i) => {
          const started = performance.now();
          const result = await placeOrder(stack, c.token, {
            idempotencyKey: `outage-${c.id}-${round}`,
            poNumber: `PO-${round}`,
            lines: [{ sku: `SKU-0000${1 + ((round + i) % 3)}`, quantity: 1 + (round % 4) }],
          });
          latencies.push(performance.now() - started);
          expect(result.userErrors).toEqual([]);
          statuses.push(result.order!.status);
          placed.get(c.id)!.push(result.order!.id);
        }),
      );
    }
    expect(statuses).toHaveLength(200);
    expect(new Set(statuses)).toEqual(new Set(['QUEUED']));
    expect((await queue(stack, ['QUEUED'])).length).toBe(200);
    expect(await erpOrders(stack)).toEqual([]);
    latencies.sort((a, b) => a - b);
    console.log(
      `order acceptance while the ERP is down (over HTTP, 10 concurrent): p50 ${latencies[100]!.toFixed(1)} ms, p99 ${latencies[197]!.toFixed(1)} ms`,
    );

    await stack.faults({ outage: false });
    const left = await eventually(
      () => queue(stack, ['QUEUED']),
      (q) => q.length === 0,
      60_000,
      500,
    );
    expect(left).toEqual([]);

    const held = await erpOrders(stack);
    const ours = new Set([...placed.values()].flat());
    expect(held.filter((o) => o.externalRef && ours.has(o.externalRef))).toHaveLength(200);
    expect(new Set(held.map((o) => o.externalRef)).size).toBe(held.length); // none twice
    for (const [customerId, ids] of placed) {
      expect(held.filter((o) => o.customerId === customerId).map((o) => o.externalRef)).toEqual(ids);
    }
    const submitted = await queue(stack, ['SUBMITTED']);
    expect(submitted.filter((o) => ours.has(o.id))).toHaveLength(200);
  });

  it('a lost reply (the ERP committed, the answer never came): the order ends SUBMITTED, once', async () => {
    const [buyer] = await buyers(1);
    await stack.faults({ dropResponseAfterCommit: 1 });
    const result = await placeOrder(stack, buyer!.token, {
      idempotencyKey: `drop-${Date.now()}`,
      poNumber: 'PO-D',
      lines: [{ sku: 'SKU-00002', quantity: 3 }],
    });
    expect(['QUEUED', 'SUBMITTED']).toContain(result.order!.status);
    const done = await eventually(
      () => queue(stack, ['QUEUED']),
      (q) => !q.some((o) => o.id === result.order!.id),
    );
    expect(done.some((o) => o.id === result.order!.id)).toBe(false);
    expect((await erpOrders(stack)).filter((o) => o.externalRef === result.order!.id)).toHaveLength(1);
    expect((await queue(stack, ['SUBMITTED'])).some((o) => o.id === result.order!.id)).toBe(true);
  });
});

describe('credit exposure while the ERP is down', () => {
  it('queued orders count toward exposure: the order that passes the limit goes ON_HOLD for review', async () => {
    // C0005 has used most of its limit: a few orders of ~100 take it over while the ERP cannot see them.
    const token = await stack.buyerToken('C0005');
    const page = await stack.graphql(WARM, {}, { token });
    const available = Number(page.body.data.viewer.customer.creditStatus.available.amount);
    const unit = Number(page.body.data.products[0].price.unitPrice.amount);
    const quantity = Math.ceil(available / 3 / unit);
    await stack.faults({ outage: true });
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push(
        await placeOrder(stack, token, { idempotencyKey: `exposure-${Date.now()}-${i}`, poNumber: `PO-E${i}`, lines: [{ sku: 'SKU-00001', quantity }] }),
      );
    }
    await stack.faults({ outage: false });
    const decisions = results.map((r) => `${r.order?.status}/${r.creditDecision?.decision}`);
    expect(decisions.slice(0, 2)).toEqual(['QUEUED/APPROVE', 'QUEUED/APPROVE']);
    expect(decisions.at(-1)).toBe('ON_HOLD/REVIEW');
    expect(results.at(-1)!.creditDecision!.reason).toBe('CREDIT_LIMIT_EXCEEDED');

    // Held orders wait for a person: listed for operations, never sent on their own.
    const held = results.at(-1)!.order!.id;
    expect((await queue(stack, ['ON_HOLD'])).map((o) => o.id)).toContain(held);
    await eventually(
      () => queue(stack, ['QUEUED']),
      (q) => q.length === 0,
    );
    expect((await erpOrders(stack)).some((o) => o.externalRef === held)).toBe(false);
    // Released anyway: the ERP enforces the same limit and refuses it, with its reason kept.
    const release = await stack.graphql(
      'mutation($id: ID!) { releaseOrder(id: $id) { order { status } userErrors { code } } }',
      { id: held },
      { token: await stack.opsToken() },
    );
    expect(release.body.data.releaseOrder).toEqual({ order: { status: 'QUEUED' }, userErrors: [] });
    const dead = await eventually(
      () => queue(stack, ['REJECTED']),
      (q) => q.some((o) => o.id === held),
    );
    expect(dead.find((o) => o.id === held)?.rejection?.reason).toBe('CREDIT_LIMIT_EXCEEDED');
  });

  it('with CREDIT_OVER_LIMIT=BLOCK the order that passes the limit is refused and nothing is written', async () => {
    const strict = await startStack({ CREDIT_OVER_LIMIT: 'BLOCK' });
    try {
      const token = await strict.buyerToken('C0005');
      const page = await strict.graphql(WARM, {}, { token });
      const available = Number(page.body.data.viewer.customer.creditStatus.available.amount);
      const unit = Number(page.body.data.products[0].price.unitPrice.amount);
      const result = await placeOrder(strict, token, { poNumber: 'PO-B', lines: [{ sku: 'SKU-00001', quantity: Math.ceil((available + 1) / unit) }] });
      expect(result.order).toBeNull();
      expect(result.userErrors.map((e) => e.code)).toEqual(['CREDIT_LIMIT_EXCEEDED']);
      expect(result.creditDecision).toEqual({ decision: 'BLOCK', reason: 'CREDIT_LIMIT_EXCEEDED' });
      expect(await queue(strict)).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
