/**
 * A buyer whose order request died with its instance retries the same idempotency key on another
 * instance: the dead instance's claim stops being renewed and frees within IDEMPOTENCY_CLAIM_SECONDS,
 * so the retry gets its answer in seconds (it was IDEMPOTENCY_KEY_IN_USE for a minute), and one
 * order is made. The scenario (test/support/claim-scenarios.ts) runs on Workers too
 * (test/workers/worker-concurrency.test.ts).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { claimOfADeadRequest } from '../support/claim-scenarios.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';

const redis = redisServerAvailable('idempotency-claims (scale-out)');

describe.skipIf(!redis)('scale-out: a claim held by a killed instance', () => {
  let scale: ScaleOut;
  beforeAll(async () => {
    scale = await startScaleOut(2, { IDEMPOTENCY_CLAIM_SECONDS: '3' });
  }, 90_000);
  afterAll(() => scale?.close());

  it('frees a few seconds after the instance died; the retry then places the order, once', async () => {
    await claimOfADeadRequest(scale, {
      holder: scale.stack(0),
      kill: () => scale.instances[0]!.stop('SIGKILL'),
      retrier: scale.stack(1),
      claimSeconds: 3,
      customerId: 'C0001',
      key: 'claim-of-the-dead',
    });
    await scale.restart(0);
  }, 60_000);
});
