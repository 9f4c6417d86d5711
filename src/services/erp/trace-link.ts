/**
 * Tracing as a link of the ERP call chain: every call is a client span `erp <operation>`, a child
 * of whatever asked for it (a cache read of a request, an order's dispatch). Put it first, outside
 * the guards, so the span covers what the caller waited for: the breaker's verdict, the wait for
 * a permit (the budget link's own `erp budget wait` span inside it) and the call itself.
 *
 * A call refused before it was sent (breaker open, send window closed) is a failed span with
 * `erpfront.erp.sent=false`; the ERP never saw it.
 *
 * @module
 */
import { inSpan, setDefined, SpanAttributes, SpanKind } from '../tracing.ts';
import type { ErpCallLink } from './decorate-connector.ts';

export function traceLink(connector: string): ErpCallLink {
  return {
    name: 'trace',
    around(call, next) {
      return inSpan(
        `erp ${call.operation}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            [SpanAttributes.erpConnector]: connector,
            [SpanAttributes.erpOperation]: call.operation,
            [SpanAttributes.erpPriority]: call.priority,
          },
        },
        async (span) => {
          if (call.keyCount !== undefined) span.setAttribute(SpanAttributes.erpKeys, call.keyCount);
          try {
            return await next();
          } finally {
            setDefined(span, { [SpanAttributes.erpSent]: call.sent });
          }
        },
      );
    },
  };
}
