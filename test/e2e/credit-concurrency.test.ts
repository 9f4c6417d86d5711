/**
 * The credit check is atomic per customer: twenty on-account orders placed at once for a customer
 * near its limit (while the ERP is down, so none of them reaches the ERP's own figures) approve no
 * more than the available credit, on one embedded instance and across two instances sharing Redis.
 * The rest go ON_HOLD for review (CREDIT_OVER_LIMIT=REVIEW) or are refused (BLOCK).
 * The scenarios (test/support/credit-scenarios.ts) run on Workers too (test/workers/worker-concurrency.test.ts).
 */
import { afterAll, describe, it } from 'vitest';
import { burstAtTheSameInstant, twentyOrdersNearTheLimit } from '../support/credit-scenarios.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';
import { startStack, type Stack } from '../support/stack.ts';

describe('embedded: twenty concurrent on-account orders near the limit', () => {
  const stacks: Stack[] = [];
  afterAll(() => Promise.all(stacks.map((s) => s.close())));

  it.each(['REVIEW', 'BLOCK'] as const)(
    'CREDIT_OVER_LIMIT=%s: approve no more than the available credit',
    async (overLimit) => {
      const stack = await startStack({ CREDIT_OVER_LIMIT: overLimit, BREAKER_COOLDOWN_SECONDS: '1' });
      stacks.push(stack);
      await twentyOrdersNearTheLimit({ ...stack, fronts: [stack] }, { customerId: 'C0005', overLimit, tag: `emb-${overLimit}` });
    },
    90_000,
  );
});

describe('embedded: a burst of 150 orders of one customer at the same instant', () => {
  let stack: Stack;
  afterAll(() => stack?.close());

  it('every one is answered: an order, or a retryable CREDIT_CHECK_BUSY; never an error', async () => {
    stack = await startStack({ BREAKER_COOLDOWN_SECONDS: '1' });
    await burstAtTheSameInstant({ ...stack, fronts: [stack] }, { customerId: 'C0002', tag: 'burst' });
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
      await twentyOrdersNearTheLimit({ ...scale, fronts: [scale.stack(0), scale.stack(1)] }, { customerId: 'C0005', overLimit, tag: `so-${overLimit}` });
    },
    120_000,
  );
});
