/**
 * The credit check's concurrency scenarios, over HTTP against any erpfront: one Node instance,
 * several sharing Redis (test/e2e/credit-concurrency.test.ts), the Worker with its order store in
 * a Durable Object (test/workers/worker-concurrency.test.ts). Each places its orders while the
 * ERP is down, so none reaches the ERP's own figures and only erpfront's exposure stands between
 * the burst and the credit limit; the orders are answered QUEUED on every runtime.
 */
import { expect } from 'vitest';
import { placeOrder } from './orders.ts';
import type { Stack } from './stack.ts';

/** What the scenarios drive: where orders are placed, a buyer's token, the sandbox ERP's faults. */
export interface CreditScenarioStack {
  /** One erpfront, or several sharing one order store: the orders are spread over them. */
  fronts: ReadonlyArray<Pick<Stack, 'graphql'>>;
  buyerToken(customerId: string): Promise<string>;
  faults(faults: Record<string, unknown>): Promise<unknown>;
}

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
 * Warms every front's cache for the customer, stops the ERP, places the orders all at once
 * (spread over the fronts), and answers what the customer had available and what came back.
 */
async function burst(
  stack: CreditScenarioStack,
  token: string,
  tag: string,
): Promise<{ available: number; unit: number; quantity: number; outcomes: Outcome[] }> {
  const { fronts, faults } = stack;
  const pages = await Promise.all(fronts.map((s) => s.graphql(WARM, {}, { token })));
  for (const page of pages) expect(page.body.errors).toBeUndefined();
  const available = Number(pages[0]!.body.data.viewer.customer.creditStatus.available.amount);
  const unit = Number(pages[0]!.body.data.products[0].price.unitPrice.amount);
  // Each order takes a little over a fifth of what is left: four fit, the fifth does not.
  const quantity = Math.ceil(available / 4.5 / unit);
  await faults({ outage: true });
  try {
    const results = await Promise.all(
      Array.from({ length: ORDERS }, (_, i) =>
        placeOrder(fronts[i % fronts.length]!, token, { idempotencyKey: `${tag}-${i}`, poNumber: `PO-${tag}-${i}`, lines: [{ sku: 'SKU-00001', quantity }] }),
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

/**
 * Twenty on-account orders at once for `customerId`, each a little over a fifth of its available
 * credit: exactly the four that fit are approved (QUEUED), never more than the credit allows; the
 * rest go ON_HOLD for review (`REVIEW`) or are refused with CREDIT_LIMIT_EXCEEDED (`BLOCK`).
 * The fronts must run with CREDIT_OVER_LIMIT=`overLimit`.
 */
export async function twentyOrdersNearTheLimit(stack: CreditScenarioStack, options: { customerId: string; overLimit: 'REVIEW' | 'BLOCK'; tag: string }) {
  const { overLimit } = options;
  const result = await burst(stack, await stack.buyerToken(options.customerId), options.tag);
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

/**
 * `count` orders of one customer at the same instant, while the ERP is down: every one is
 * answered with an order (QUEUED or ON_HOLD) or the retryable CREDIT_CHECK_BUSY, never an error.
 * Answers how many were taken and how many were CREDIT_CHECK_BUSY.
 */
export async function burstAtTheSameInstant(stack: CreditScenarioStack, options: { customerId: string; tag: string; count?: number }) {
  const front = stack.fronts[0]!;
  const token = await stack.buyerToken(options.customerId);
  const warm = await front.graphql(WARM, {}, { token });
  expect(warm.body.errors).toBeUndefined();
  await stack.faults({ outage: true });
  try {
    // placeOrder throws on any GraphQL error: every answer must be an order or a user error.
    const results = await Promise.all(
      Array.from({ length: options.count ?? 150 }, (_, i) =>
        placeOrder(front, token, { idempotencyKey: `${options.tag}-${i}`, lines: [{ sku: 'SKU-00001', quantity: 1 }] }),
      ),
    );
    for (const result of results) {
      if (result.order) expect(['QUEUED', 'ON_HOLD']).toContain(result.order.status);
      else expect(result.userErrors.map((e) => e.code)).toEqual(['CREDIT_CHECK_BUSY']);
    }
    expect(results.filter((r) => r.order).length).toBeGreaterThan(0);
    return { taken: results.filter((r) => r.order).length, busy: results.filter((r) => !r.order).length };
  } finally {
    await stack.faults({ outage: false });
  }
}
