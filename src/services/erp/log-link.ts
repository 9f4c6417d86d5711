/**
 * Logging as a link of the ERP call chain: every call that reached the ERP is one line on the
 * caller's logger when the call carries one (`ErpCallOptions.log`: a request's, bound to its
 * `reqId`; the dispatcher's, bound to the `orderId`), so a call can be traced to what caused it.
 * A success is a `debug` line (a page makes a few calls; LOG_LEVEL=debug shows them), a failure a
 * `warn` line with the error's code and its message without the ERP's address.
 *
 * @module
 */
import { loggableError } from '../../domain/loggable-error.ts';
import { ErpError } from '../../ports/erp-error.ts';
import { erpErrorClass } from '../../ports/erp/error-classes.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ErpCallLink } from './decorate-connector.ts';

export function logLink(connector: string, logger: Logger): ErpCallLink {
  return {
    name: 'log',
    async around(call, next) {
      const started = performance.now();
      const log = call.options?.log ?? logger;
      const fields = () => ({
        connector,
        operation: call.operation,
        ...(call.keyCount === undefined ? {} : { keys: call.keyCount }),
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      });
      try {
        const result = await next();
        if (call.sent) log.debug('erp call', { ...fields(), outcome: 'success' });
        return result;
      } catch (error) {
        if (call.sent) {
          const outcome = error instanceof ErpError ? erpErrorClass(error.code).outcome : 'error';
          log.warn('erp call failed', { ...fields(), outcome, err: loggableError(error) });
        }
        throw error;
      }
    },
  };
}
