/**
 * `kill -9` of erpfront in the middle of a drain, then a restart on the same DATA_DIR: every order
 * reaches the ERP, none twice. The ERP is slowed down so the kill lands while submissions are in
 * flight (the ERP commits some of them after erpfront is already dead).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually, placeOrder, queue } from '../support/orders.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    BREAKER_COOLDOWN_SECONDS: '1',
    ERP_MAX_CONCURRENT: '4',
    ORDER_DISPATCH_CONCURRENCY: '4',
    // An order the kill caught after it was marked as being sent, but before the ERP had it, is
    // in doubt: it waits until no earlier attempt can still commit (its lease's end plus the ERP's
    // time limit) and holds its customer's later orders behind it. With the defaults (30 s and
    // 60 s) that wait outlasts the drain's 60 s below; these keep it within ~11 s.
    ORDER_LEASE_SECONDS: '5',
    ERP_MAX_REQUEST_SECONDS: '5',
  });
});
afterAll(() => stack?.close());

describe('a crash in the middle of a drain', () => {
  it('loses nothing and doubles nothing', async () => {
    const customers = ['C0001', 'C0002', 'C0003', 'C0006', 'C0008', 'C0009'];
    const tokens = await Promise.all(customers.map((c) => stack.buyerToken(c)));
    for (const token of tokens) {
      await stack.graphql('{ viewer { customer { id } } products(skus: ["SKU-00001", "SKU-00002"]) { price { unitPrice { amount } } } }', {}, { token });
    }
    await stack.faults({ outage: true });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const result = await placeOrder(stack, tokens[i % tokens.length]!, {
        idempotencyKey: `crash-${i}`,
        poNumber: `PO-${i}`,
        lines: [{ sku: `SKU-0000${1 + (i % 2)}`, quantity: 1 }],
      });
      expect(result.order?.status).toBe('QUEUED');
      ids.push(result.order!.id);
    }

    // Back up, but slow: every ERP call takes 150-250 ms, so the kill catches calls in flight.
    await stack.faults({ outage: false, latencyMs: 150, jitterMs: 100 });
    await eventually(
      () => erpOrders(stack),
      (held) => held.length >= 8,
      30_000,
      50,
    );
    await stack.crashAndRestartErpfront(async () => {
      // Let the ERP finish what it was doing for the dead process: those orders exist in the
      // ERP, and erpfront's record of them still says QUEUED.
      await new Promise((r) => setTimeout(r, 400));
    });
    const heldAtCrash = (await erpOrders(stack)).length;
    expect(heldAtCrash).toBeLessThan(60);
    expect(stack.erpfront.output()).toMatch(/order\(s\) were being submitted when the last process stopped/);

    await stack.faults({ latencyMs: 0, jitterMs: 0 });
    const left = await eventually(
      () => queue(stack, ['QUEUED']),
      (q) => q.length === 0,
      60_000,
      250,
    );
    expect(left).toEqual([]);

    const held = await erpOrders(stack);
    const refs = held.map((o) => o.externalRef).filter((r): r is string => r !== null && ids.includes(r));
    expect(refs).toHaveLength(60);
    expect(new Set(refs).size).toBe(60);
    expect((await queue(stack, ['SUBMITTED'])).filter((o) => ids.includes(o.id))).toHaveLength(60);
  }, 120_000);
});
