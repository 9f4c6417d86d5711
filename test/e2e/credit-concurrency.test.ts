/**
 * The credit check is atomic per customer: twenty on-account orders placed at once for a customer
 * near its limit (while the ERP is down, so none of them reaches the ERP's own figures) approve no
 * more than the available credit, on one embedded instance and across two instances sharing Redis.
 * The rest go ON_HOLD for review (CREDIT_OVER_LIMIT=REVIEW) or are refused (BLOCK).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../support/orders.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';
import { startStack, type Stack } from '../support/stack.ts';

const ORDERS = 20;
const WARM = /* GraphQL */ `{ viewer { customer { creditStatus { available { amount } } } }
  products(skus: ["SKU-00001"]) { price(quantity: 1) { unitPrice { amount } } } }`;

interface Outcome {
  status: string | null;
  decision: string | null;
  total: number;
  codes: string[];
}

/**
 * Warms every instance's cache for the customer, stops the ERP, places the orders all at once
 * (spread over the instances), and answers what the customer had available and what came back.
 */
async function burst(
  stacks: Stack[],
  faults: (f: Record<string, unknown>) => Promise<unknown>,
  token: string,
  tag: string,
): Promise<{ available: number; unit: number; quantity: number; outcomes: Outcome[] }> {
  const pages = await Promise.all(stacks.map((s) => s.graphql(WARM, {}, { token })));
  for (const page of pages) expect(page.body.errors).toBeUndefined();
  const available = Number(pages[0]!.body.data.viewer.customer.creditStatus.available.amount);
  const unit = Number(pages[0]!.body.data.products[0].price.unitPrice.amount);
  // Each order takes a little over a fifth of what is left: four fit, the fifth does not.
  const quantity = Math.ceil(available / 4.5 / unit);
  await faults({ outage: true });
  try {
    const results = await Promise.all(
      Array.from({ length: ORDERS }, (_, i) =>
        placeOrder(stacks[i % stacks.length]!, token, { idempotencyKey: `${tag}-${i}`, poNumber: `PO-${tag}-${i}`, lines: [{ sku: 'SKU-00001', quantity }] }),
      ),
    );
    const outcomes = results.map((r) => ({
      status: r.order?.status ?? null,
      decision: r.creditDecision?.decision ?? null,
      total: Number(r.order?.total.amount ?? 0),
      codes: r.userErrors.map((e) => e.code),
    }));
    return { available, unit, quantity, outcomes };
  } finally {
    await faults({ outage: false });
  }
}

function expectWithinCredit(result: Awaited<ReturnType<typeof burst>>, overLimit: 'REVIEW' | 'BLOCK'): void {
  const approved = result.outcomes.filter((o) => o.decision === 'APPROVE');
  const approvedTotal = approved.reduce((sum, o) => sum + o.total, 0);
  // Never more than the credit allows, and no order refused that fitted.
  expect(approvedTotal).toBeLessThanOrEqual(result.available);
  expect(approved).toHaveLength(Math.floor(result.available / (result.quantity * result.unit)));
  expect(approved.every((o) => o.status === 'QUEUED')).toBe(true);
  const rest = result.outcomes.filter((o) => o.decision !== 'APPROVE');
  expect(rest).toHaveLength(ORDERS - approved.length);
  for (const other of rest) {
    if (overLimit === 'REVIEW') expect(other).toMatchObject({ status: 'ON_HOLD', decision: 'REVIEW' });
    else expect(other).toMatchObject({ status: null, codes: ['CREDIT_LIMIT_EXCEEDED'] });
  }
}

describe('embedded: twenty concurrent on-account orders near the limit', () => {
  const stacks: Stack[] = [];
  afterAll(() => Promise.all(stacks.map((s) => s.close())));

  it.each(['REVIEW', 'BLOCK'] as const)(
    'CREDIT_OVER_LIMIT=%s: approve no more than the available credit',
    async (overLimit) => {
      const stack = await startStack({ CREDIT_OVER_LIMIT: overLimit, BREAKER_COOLDOWN_SECONDS: '1' });
      stacks.push(stack);
      const token = await stack.buyerToken('C0005');
      expectWithinCredit(await burst([stack], stack.faults, token, `emb-${overLimit}`), overLimit);
    },
    90_000,
  );
});

describe('embedded: a burst of 150 orders of one customer at the same instant', () => {
  let stack: Stack;
  afterAll(() => stack?.close());

  it('every one is answered: an order, or a retryable CREDIT_CHECK_BUSY; never an error', async () => {
    stack = await startStack({ BREAKER_COOLDOWN_SECONDS: '1' });
    const token = await stack.buyerToken('C0002');
    const warm = await stack.graphql(WARM, {}, { token });
    expect(warm.body.errors).toBeUndefined();
    await stack.faults({ outage: true });
    try {
      // placeOrder throws on any GraphQL error: every answer must be an order or a user error.
      const results = await Promise.all(
        Array.from({ length: 150 }, (_, i) => placeOrder(stack, token, { idempotencyKey: `burst-${i}`, lines: [{ sku: 'SKU-00001', quantity: 1 }] })),
      );
      for (const result of results) {
        if (result.order) expect(['QUEUED', 'ON_HOLD']).toContain(result.order.status);
        else expect(result.userErrors.map((e) => e.code)).toEqual(['CREDIT_CHECK_BUSY']);
      }
      expect(results.filter((r) => r.order).length).toBeGreaterThan(0);
    } finally {
      await stack.faults({ outage: false });
    }
  }, 90_000);
});

const redis = redisServerAvailable('credit-concurrency (scale-out)');

describe.skipIf(!redis)('scale-out: twenty concurrent on-account orders over two instances', () => {
  const scales: ScaleOut[] = [];
  afterAll(() => Promise.all(scales.map((s) => s.close())));

  it.each(['REVIEW', 'BLOCK'] as const)(
    'CREDIT_OVER_LIMIT=%s: approve no more than the available credit',
    async (overLimit) => {
      const scale = await startScaleOut(2, { CREDIT_OVER_LIMIT: overLimit, BREAKER_COOLDOWN_SECONDS: '1' });
      scales.push(scale);
      const token = await scale.buyerToken('C0005');
      expectWithinCredit(await burst([scale.stack(0), scale.stack(1)], scale.faults, token, `so-${overLimit}`), overLimit);
    },
    120_000,
  );
});
