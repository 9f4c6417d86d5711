/**
 * The ERP budget as links of the ERP call chain: never more calls, or faster, than the ERP
 * allows, the most urgent first (the call's priority), and never a call sent after its send
 * window (`sendBy`) closed.
 *
 * A 429 pauses the whole budget for its Retry-After, before the permit goes back, so the release
 * cannot hand the freed slot to the next waiter and send it straight into the same 429.
 *
 * @module
 */
import type { Clock } from '../../ports/clock.ts';
import type { ErpBudget, ErpPermit } from '../../ports/erp-budget.ts';
import { ErpError } from '../../ports/erp-error.ts';
import type { Metrics } from '../../ports/metrics.ts';
import { inSpan, SpanAttributes } from '../tracing.ts';
import type { ErpCallLink } from './decorate-connector.ts';

export interface BudgetLinkOptions {
  budget: ErpBudget;
  metrics: Pick<Metrics, 'budgetWait'>;
  clock: Clock;
  /** Pause taken on a 429 that carries no Retry-After (default 1,000 ms). */
  defaultRetryAfterMs?: number;
}

/**
 * Takes a permit at the call's priority for the time of the call. An aborted `options.signal`
 * stops a call waiting for a permit: with `ERP_TIMEOUT` when it is the caller's deadline (a
 * `TimeoutError` reason), as the connectors do for a deadline passing during the call, so caches
 * serve stale either way; with the signal's reason otherwise. A call whose send window closes
 * while it waits rejects with `ERP_NOT_SENT`.
 */
export function budgetLink(options: BudgetLinkOptions): ErpCallLink {
  const { budget, metrics, clock } = options;
  const defaultRetryAfterMs = options.defaultRetryAfterMs ?? 1000;
  return {
    name: 'budget',
    async around(call, next) {
      const { operation, priority } = call;
      const sendBy = call.options?.sendBy;
      const caller = call.options?.signal;
      const waitStarted = clock.now();
      if (sendBy !== undefined && waitStarted >= sendBy) throw notSent(operation);
      // A call with a send window stops waiting for a permit when the window closes.
      const window = sendBy === undefined ? undefined : AbortSignal.timeout(Math.max(0, sendBy - waitStarted));
      const signal = window && caller ? AbortSignal.any([caller, window]) : (window ?? caller);
      // The wait is a span of its own (inside the call's): a slow page's trace shows whether the
      // time went to the ERP or to the queue for a permit.
      const permit = await inSpan('erp budget wait', { attributes: { [SpanAttributes.erpPriority]: priority } }, async (): Promise<ErpPermit> => {
        try {
          return await budget.acquire(priority, signal);
        } catch (error) {
          if (window?.aborted && !caller?.aborted) throw notSent(operation);
          throw waitFailure(operation, error);
        }
      });
      metrics.budgetWait(priority, (clock.now() - waitStarted) / 1000);
      try {
        return await next();
      } catch (error) {
        if (error instanceof ErpError && error.code === 'ERP_RATE_LIMITED') budget.pauseFor(error.retryAfterMs ?? defaultRetryAfterMs);
        throw error;
      } finally {
        permit.release();
      }
    },
  };
}

/**
 * The last check before the connector is called: the send window is still open (the permit may
 * have come just as it closed). Goes right in front of the connector's side of the chain.
 */
export function sendWindowLink(clock: Clock): ErpCallLink {
  return {
    name: 'send-window',
    async around(call, next) {
      const sendBy = call.options?.sendBy;
      if (sendBy !== undefined && clock.now() >= sendBy) throw notSent(call.operation);
      return next();
    },
  };
}

function notSent(operation: string): ErpError {
  return new ErpError('ERP_NOT_SENT', `${operation}: not sent, its send window closed while it waited for an ERP permit`, { operation });
}

function waitFailure(operation: string, error: unknown): unknown {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new ErpError('ERP_TIMEOUT', `${operation}: the caller's deadline passed while waiting for an ERP permit (the ERP budget is saturated)`, {
      cause: error,
      operation,
    });
  }
  return error;
}
