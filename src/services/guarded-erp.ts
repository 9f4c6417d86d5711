/**
 * Wraps any ERP connector in the two things that protect the ERP: the circuit breaker (stop
 * calling an ERP that keeps failing) and the ERP budget (never more calls, or faster, than it
 * allows; most urgent first).
 *
 * Per call: the breaker is asked first, so an open breaker fails the call at once instead of
 * queueing it for a permit and then a timeout; then a permit is taken at the call's priority; the
 * breaker is asked again, since it may have opened while the call waited; then the ERP is called,
 * the permit given back and the outcome told to the breaker. A 429 pauses the whole budget.
 *
 * @module
 */
import { systemClock, type Clock } from '../ports/clock.ts';
import type { ErpBudget, ErpPermit } from '../ports/erp-budget.ts';
import { hasChangeFeed } from '../ports/erp-changes.ts';
import type { ErpCallOptions, ErpConnector } from '../ports/erp-connector.ts';
import { ErpError } from '../ports/erp-error.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';

export interface GuardErpOptions {
  budget: ErpBudget;
  breaker: CircuitBreaker;
  metrics: Pick<Metrics, 'budgetWait'>;
  clock?: Clock;
  /** Pause taken on a 429 that carries no Retry-After (default 1,000 ms). */
  defaultRetryAfterMs?: number;
}

/**
 * Returns a connector that guards every call of `erp`, `ping` included. Calls take their priority
 * from `options.priority` (default `read`); an aborted `options.signal` stops a call waiting for a
 * permit.
 *
 * Rejects with `ERP_CIRCUIT_OPEN` (with `retryAfterMs`) while the breaker refuses calls, and with
 * `ERP_TIMEOUT` when the caller's deadline (a `TimeoutError` signal reason) passes while it waits
 * for a permit — as the connectors do for a deadline passing during the call, so caches serve
 * stale either way. Any other abort rejects with the signal's reason.
 */
export function guardErp(erp: ErpConnector, options: GuardErpOptions): ErpConnector {
  const { budget, breaker, metrics } = options;
  const clock = options.clock ?? systemClock;
  const defaultRetryAfterMs = options.defaultRetryAfterMs ?? 1000;

  async function guarded<R>(operation: string, callOptions: ErpCallOptions | undefined, call: () => Promise<R>): Promise<R> {
    const pass = breaker.tryPass();
    if (pass === null) throw circuitOpen(operation, breaker.retryAfterMs());

    const priority = callOptions?.priority ?? 'read';
    const sendBy = callOptions?.sendBy;
    const waitStarted = clock.now();
    if (sendBy !== undefined && waitStarted >= sendBy) {
      pass.cancel();
      throw notSent(operation);
    }
    // A call with a send window stops waiting for a permit when the window closes.
    const window = sendBy === undefined ? undefined : AbortSignal.timeout(Math.max(0, sendBy - waitStarted));
    const signal = window && callOptions?.signal ? AbortSignal.any([callOptions.signal, window]) : (window ?? callOptions?.signal);
    let permit: ErpPermit;
    try {
      permit = await budget.acquire(priority, signal);
    } catch (error) {
      // The ERP was never asked: no verdict, and a half-open probe slot goes back for the next call.
      pass.cancel();
      if (window?.aborted && !callOptions?.signal?.aborted) throw notSent(operation);
      throw waitFailure(operation, error);
    }
    metrics.budgetWait(priority, (clock.now() - waitStarted) / 1000);

    try {
      // The breaker may have opened while this call queued behind others that were timing out.
      if (pass.revoked) {
        pass.cancel();
        throw circuitOpen(operation, breaker.retryAfterMs());
      }
      if (sendBy !== undefined && clock.now() >= sendBy) {
        pass.cancel();
        throw notSent(operation);
      }
      const result = await call();
      pass.success();
      return result;
    } catch (error) {
      pass.failure(error);
      // Paused before the permit goes back in `finally`, so the release cannot hand the freed
      // slot to the next waiter and send it straight into the same 429.
      if (error instanceof ErpError && error.code === 'ERP_RATE_LIMITED') budget.pauseFor(error.retryAfterMs ?? defaultRetryAfterMs);
      throw error;
    } finally {
      permit.release();
    }
  }

  return {
    name: erp.name,
    resumesOrderEntry: erp.resumesOrderEntry,
    refusesDuplicateExternalRef: erp.refusesDuplicateExternalRef,
    getItems: (skus, o) => guarded('getItems', o, () => erp.getItems(skus, o)),
    searchItems: (search, o) => guarded('searchItems', o, () => erp.searchItems(search, o)),
    getCustomers: (ids, o) => guarded('getCustomers', o, () => erp.getCustomers(ids, o)),
    getSalesReps: (ids, o) => guarded('getSalesReps', o, () => erp.getSalesReps(ids, o)),
    getPrices: (keys, o) => guarded('getPrices', o, () => erp.getPrices(keys, o)),
    getStock: (skus, o) => guarded('getStock', o, () => erp.getStock(skus, o)),
    ping: (o) => guarded('ping', o, () => erp.ping(o)),
    createOrder: (order, o) => guarded('createOrder', o, () => erp.createOrder(order, o)),
    findOrderByExternalRef: (ref, o) => guarded('findOrderByExternalRef', o, () => erp.findOrderByExternalRef(ref, o)),
    findOrdersByExternalRef: (ref, o) => guarded('findOrdersByExternalRef', o, () => erp.findOrdersByExternalRef(ref, o)),
    listOrders: (customerId, page, o) => guarded('listOrders', o, () => erp.listOrders(customerId, page, o)),
    ...(erp.cancelOrder ? { cancelOrder: (number: string, o?: ErpCallOptions) => guarded('cancelOrder', o, () => erp.cancelOrder!(number, o)) } : {}),
    ...(hasChangeFeed(erp)
      ? {
          changeCursorNow: (o?: ErpCallOptions) => guarded('changeCursorNow', o, () => erp.changeCursorNow(o)),
          changesSince: (cursor: string, limit: number, o?: ErpCallOptions) => guarded('changesSince', o, () => erp.changesSince(cursor, limit, o)),
        }
      : {}),
  };
}

function circuitOpen(operation: string, retryAfterMs: number): ErpError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ErpError('ERP_CIRCUIT_OPEN', `The ERP failed repeatedly; erpfront is giving it ${seconds} s before trying again`, {
    operation,
    retryAfterMs,
  });
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
