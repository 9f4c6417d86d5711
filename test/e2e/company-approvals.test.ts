/**
 * Company accounts on an embedded erpfront (SQLite) in front of the sandbox ERP: buyer
 * directories managed by admins and operations, and orders over a buyer's limits waiting for the
 * company's approvers (see test/support/company.ts for the scenarios).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { companyAcceptance } from '../support/company.ts';
import { startStack, type Stack } from '../support/stack.ts';

const TTL_SECONDS = 12;
let stack: Stack;

describe('company accounts and approvals (embedded)', () => {
  beforeAll(async () => {
    stack = await startStack({ APPROVAL_TTL_SECONDS: String(TTL_SECONDS), APPROVAL_SWEEP_SECONDS: '1', BREAKER_COOLDOWN_SECONDS: '1' });
  }, 60_000);
  afterAll(() => stack?.close());

  companyAcceptance(() => ({
    at: () => stack,
    secret: stack.secret,
    sandboxUrl: stack.sandbox.url,
    opsToken: stack.opsToken,
    faults: stack.faults,
    approvalTtlSeconds: TTL_SECONDS,
  }));
});
