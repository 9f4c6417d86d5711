/**
 * Company accounts on three erpfront instances sharing one Redis: the same scenarios as the
 * embedded test (test/support/company.ts), each step on the next instance in turn — a directory
 * change made on one holds on the others, an order placed on one is approved on another, and the
 * approved order reaches the ERP exactly once whichever instance submits it.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { companyAcceptance } from '../support/company.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';

const available = redisServerAvailable('scale-out-company');
const TTL_SECONDS = 12;
let scale: ScaleOut;

describe.skipIf(!available)('company accounts and approvals (scale-out, three instances)', () => {
  beforeAll(async () => {
    scale = await startScaleOut(3, { APPROVAL_TTL_SECONDS: String(TTL_SECONDS), APPROVAL_SWEEP_SECONDS: '1', BREAKER_COOLDOWN_SECONDS: '1' });
  }, 90_000);
  afterAll(() => scale?.close());

  companyAcceptance(() => ({
    at: (i) => scale.stack(i % 3),
    secret: scale.secret,
    sandboxUrl: scale.sandbox.url,
    opsToken: scale.opsToken,
    faults: scale.faults,
    approvalTtlSeconds: TTL_SECONDS,
  }));
});
