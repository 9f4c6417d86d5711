/**
 * The idempotency claim's concurrency scenarios, over HTTP against any erpfront: Node instances
 * sharing Redis (test/e2e/idempotency-claims.test.ts), the Worker with its idempotency keys in a
 * Durable Object (test/workers/worker-concurrency.test.ts).
 */
import { expect } from 'vitest';
import { placeOrder } from './orders.ts';
import type { Stack } from './stack.ts';

type Front = Pick<Stack, 'graphql'>;

/** What the scenario drives: a buyer's token and the sandbox ERP's faults. */
export interface ClaimScenarioStack {
  buyerToken(customerId: string): Promise<string>;
  faults(faults: Record<string, unknown>): Promise<unknown>;
}

/**
 * A buyer's order request dies while it holds its key's claim (`holder` takes the request,
 * `kill` ends whatever runs it, abruptly); the buyer retries the same key through `retrier`.
 * The retry is told IDEMPOTENCY_KEY_IN_USE at first (the claim was the dead request's), then the
 * claim frees within `claimSeconds` (IDEMPOTENCY_CLAIM_SECONDS of the fronts) plus 2.5 s of the
 * death, the retry places the order, and the same key again answers that same order.
 */
export async function claimOfADeadRequest(
  stack: ClaimScenarioStack,
  options: {
    holder: Front;
    kill(): Promise<void>;
    /** Brings the retrier up after the kill, where the kill took it down too (one workerd); in the claim time. */
    revive?(): Promise<void>;
    retrier: Front;
    claimSeconds: number;
    customerId: string;
    key: string;
  },
) {
  const { holder, retrier } = options;
  const token = await stack.buyerToken(options.customerId);
  const input = { idempotencyKey: options.key, poNumber: 'PO-DEAD', lines: [{ sku: 'SKU-00003', quantity: 1 }] };
  // The ERP is slow: the holder keeps the key's claim while it prices the order, and dies.
  await stack.faults({ latencyMs: 20_000 });
  void placeOrder(holder, token, input).catch(() => {});
  await new Promise((r) => setTimeout(r, 1000));
  await options.kill();
  const died = Date.now();
  await stack.faults({ latencyMs: 0 });
  await options.revive?.();

  const answers: string[] = [];
  let placed: Awaited<ReturnType<typeof placeOrder>> | null = null;
  while (Date.now() - died < 20_000) {
    const result = await placeOrder(retrier, token, input);
    const code = result.userErrors[0]?.code ?? 'PLACED';
    answers.push(code);
    if (code !== 'IDEMPOTENCY_KEY_IN_USE') {
      placed = result;
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const waited = Date.now() - died;
  // It was in use at first (the claim was the dead request's), then free within the claim time.
  expect(answers[0]).toBe('IDEMPOTENCY_KEY_IN_USE');
  expect(placed?.userErrors).toEqual([]);
  expect(waited).toBeLessThan(options.claimSeconds * 1000 + 2500);
  // The same key again: the same order.
  const again = await placeOrder(retrier, token, input);
  expect(again.order!.id).toBe(placed!.order!.id);
  return { waited, answers, order: placed!.order! };
}
