/**
 * Wraps any ERP connector so every call is counted and timed, whatever the ERP.
 *
 * @module
 */
import type { ErpConnector } from '../ports/erp-connector.ts';
import { ErpError } from '../ports/erp-error.ts';
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

/** Returns a connector that records `erpfront_erp_requests_total` and its duration per call. */
export function instrumentErp(erp: ErpConnector, metrics: Metrics): ErpConnector {
  const timed =
    <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        const result = await call(...args);
        metrics.erpRequest(operation, 'success', (performance.now() - started) / 1000);
        return result;
      } catch (error) {
        const outcome = error instanceof ErpError ? (OUTCOME_BY_CODE[error.code] ?? 'error') : 'error';
        metrics.erpRequest(operation, outcome, (performance.now() - started) / 1000);
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
