/**
 * A buyer whose order request died with its instance retries the same idempotency key on another
 * instance: the dead instance's claim stops being renewed and frees within IDEMPOTENCY_CLAIM_SECONDS,
 * so the retry gets its answer in seconds (it was IDEMPOTENCY_KEY_IN_USE for a minute), and one
 * order is made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../support/orders.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';

const redis = redisServerAvailable('idempotency-claims (scale-out)');

describe.skipIf(!redis)('scale-out: a claim held by a killed instance', () => {
  let scale: ScaleOut;
  beforeAll(async () => {
    scale = await startScaleOut(2, { IDEMPOTENCY_CLAIM_SECONDS: '3' });
  }, 90_000);
  afterAll(() => scale?.close());

  it('frees a few seconds after the instance died; the retry then places the order, once', async () => {
    const token = await scale.buyerToken('C0001');
    const input = { idempotencyKey: 'claim-of-the-dead', poNumber: 'PO-DEAD', lines: [{ sku: 'SKU-00003', quantity: 1 }] };
    // The ERP is slow: instance 0 holds the key's claim while it prices the order, and dies.
    await scale.faults({ latencyMs: 20_000 });
    void placeOrder(scale.stack(0), token, input).catch(() => {});
    await new Promise((r) => setTimeout(r, 1000));
    await scale.instances[0]!.stop('SIGKILL');
    const died = Date.now();
    await scale.faults({ latencyMs: 0 });

    const answers: string[] = [];
    let placed: Awaited<ReturnType<typeof placeOrder>> | null = null;
    while (Date.now() - died < 20_000) {
      const result = await placeOrder(scale.stack(1), token, input);
      const code = result.userErrors[0]?.code ?? 'PLACED';
      answers.push(code);
      if (code !== 'IDEMPOTENCY_KEY_IN_USE') {
        placed = result;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const waited = Date.now() - died;
    // It was in use at first (the claim was the dead instance's), then free within the claim time.
    expect(answers[0]).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect(placed?.userErrors).toEqual([]);
    expect(waited).toBeLessThan(3000 + 2500);
    // The same key again: the same order.
    const again = await placeOrder(scale.stack(1), token, input);
    expect(again.order!.id).toBe(placed!.order!.id);
    await scale.restart(0);
  }, 60_000);
});
