/**
 * Wraps any ERP connector so every call is counted, timed and logged, whatever the ERP.
 *
 * The log line (`erp call`) goes to the caller's logger when the call carries one
 * (`ErpCallOptions.log`: a request's, bound to its `reqId`; the dispatcher's, bound to the
 * `orderId`), so a call can be traced to what caused it. A success is a `debug` line (a page
 * makes a few calls; LOG_LEVEL=debug shows them), a failure a `warn` line with the error's code
 * and its message without the ERP's address.
 *
 * @module
 */
import { loggableError } from '../domain/loggable-error.ts';
import type { ErpCallOptions, ErpConnector } from '../ports/erp-connector.ts';
import { ErpError } from '../ports/erp-error.ts';
import type { Logger } from '../ports/logger.ts';
import type { ErpOutcome, Metrics } from '../ports/metrics.ts';

const OUTCOME_BY_CODE: Readonly<Record<string, ErpOutcome>> = {
  ERP_TIMEOUT: 'timeout',
  ERP_UNAVAILABLE: 'unavailable',
  ERP_RATE_LIMITED: 'rate_limited',
  ERP_BAD_RESPONSE: 'bad_response',
  ERP_CIRCUIT_OPEN: 'circuit_open',
  ERP_REJECTED: 'rejected',
  ERP_DUPLICATE_REF: 'rejected',
};

/** Where each operation takes its `ErpCallOptions` (the last parameter). */
const OPTIONS_AT: Readonly<Record<string, number>> = { ping: 0, listOrders: 2 };

/**
 * Returns a connector that records `erpfront_erp_requests_total` and its duration per call, and
 * logs each call on the caller's logger (`options.log`), else on `logger`.
 */
export function instrumentErp(erp: ErpConnector, metrics: Metrics, logger: Logger): ErpConnector {
  const timed = <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      const log = (args[OPTIONS_AT[operation] ?? 1] as ErpCallOptions | undefined)?.log ?? logger;
      // A batch call's size: SKUs, customers, price keys (up to three scopes per SKU).
      const fields = { connector: erp.name, operation, ...(Array.isArray(args[0]) ? { keys: args[0].length } : {}) };
      try {
        const result = await call(...args);
        const seconds = (performance.now() - started) / 1000;
        metrics.erpRequest(operation, 'success', seconds);
        log.debug('erp call', { ...fields, durationMs: Math.round(seconds * 10_000) / 10, outcome: 'success' });
        return result;
      } catch (error) {
        const seconds = (performance.now() - started) / 1000;
        const outcome = error instanceof ErpError ? (OUTCOME_BY_CODE[error.code] ?? 'error') : 'error';
        metrics.erpRequest(operation, outcome, seconds);
        log.warn('erp call failed', { ...fields, durationMs: Math.round(seconds * 10_000) / 10, outcome, err: loggableError(error) });
        throw error;
      }
    };
  return {
    name: erp.name,
    resumesOrderEntry: erp.resumesOrderEntry,
    refusesDuplicateExternalRef: erp.refusesDuplicateExternalRef,
    getItems: timed('getItems', erp.getItems.bind(erp)),
    searchItems: timed('searchItems', erp.searchItems.bind(erp)),
    getCustomers: timed('getCustomers', erp.getCustomers.bind(erp)),
    getSalesReps: timed('getSalesReps', erp.getSalesReps.bind(erp)),
    getPrices: timed('getPrices', erp.getPrices.bind(erp)),
    getStock: timed('getStock', erp.getStock.bind(erp)),
    ping: timed('ping', erp.ping.bind(erp)),
    createOrder: timed('createOrder', erp.createOrder.bind(erp)),
    findOrderByExternalRef: timed('findOrderByExternalRef', erp.findOrderByExternalRef.bind(erp)),
    findOrdersByExternalRef: timed('findOrdersByExternalRef', erp.findOrdersByExternalRef.bind(erp)),
    listOrders: timed('listOrders', erp.listOrders.bind(erp)),
    ...(erp.cancelOrder ? { cancelOrder: timed('cancelOrder', erp.cancelOrder.bind(erp)) } : {}),
  };
}
