/**
 * Metrics as a link of the ERP call chain: every call that reached the ERP is counted and timed
 * (`erpfront_erp_requests_total`, `erpfront_erp_request_duration_seconds`), whatever the ERP. A
 * call refused before it was sent (breaker open, send window closed, no permit in time) is not.
 *
 * @module
 */
import { ErpError } from '../../ports/erp-error.ts';
import { erpErrorClass } from '../../ports/erp/error-classes.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { ErpCallLink } from './decorate-connector.ts';

export function meterLink(metrics: Pick<Metrics, 'erpRequest'>): ErpCallLink {
  return {
    name: 'metrics',
    async around(call, next) {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const result = await next();
        if (call.sent) metrics.erpRequest(call.operation, 'success', seconds());
        return result;
      } catch (error) {
        if (call.sent) metrics.erpRequest(call.operation, error instanceof ErpError ? erpErrorClass(error.code).outcome : 'error', seconds());
        throw error;
      }
    },
  };
}
