/**
 * The circuit breaker as links of the ERP call chain: an open breaker fails a call at once,
 * instead of queueing it for a permit and then a timeout.
 *
 * Two links, because the breaker is asked twice: `admit` before the call waits for a permit, and
 * `verdict` once it has one (the breaker may have opened while the call queued behind others that
 * were timing out), which then tells the breaker how the call went. The verdict is given before
 * the permit goes back, so the next waiter, handed that permit, sees a breaker this failure opened.
 * A call that never reached the ERP (refused, abandoned while waiting) gives no verdict, and a
 * half-open probe slot it held goes back for the next call.
 *
 * @module
 */
import { ErpError } from '../../ports/erp-error.ts';
import type { BreakerPass, CircuitBreaker } from '../circuit-breaker.ts';
import type { ErpCall, ErpCallLink } from './decorate-connector.ts';

export function breakerLinks(breaker: CircuitBreaker): { admit: ErpCallLink; verdict: ErpCallLink } {
  const passes = new WeakMap<ErpCall, BreakerPass>();
  return {
    admit: {
      name: 'breaker',
      async around(call, next) {
        const pass = breaker.tryPass();
        if (pass === null) throw circuitOpen(call.operation, breaker.retryAfterMs());
        passes.set(call, pass);
        try {
          return await next();
        } finally {
          // No verdict for a call that never got as far as `verdict`; ignored after a verdict.
          pass.cancel();
        }
      },
    },
    verdict: {
      name: 'breaker-verdict',
      async around(call, next) {
        const pass = passes.get(call);
        if (!pass) throw new Error(`breaker-verdict: ${call.operation} was not admitted (the breaker's admit link must come first)`);
        if (pass.revoked) {
          pass.cancel();
          throw circuitOpen(call.operation, breaker.retryAfterMs());
        }
        try {
          const result = await next();
          pass.success();
          return result;
        } catch (error) {
          if (call.sent) pass.failure(error);
          else pass.cancel();
          throw error;
        }
      },
    },
  };
}

/** `ERP_CIRCUIT_OPEN`, with how long until the breaker lets a call through. */
export function circuitOpen(operation: string, retryAfterMs: number): ErpError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ErpError('ERP_CIRCUIT_OPEN', `The ERP failed repeatedly; erpfront is giving it ${seconds} s before trying again`, {
    operation,
    retryAfterMs,
  });
}
