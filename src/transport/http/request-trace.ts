/**
 * The server span of every HTTP request: `POST /graphql`, the root of the request's trace (or a
 * child of the caller's, from a W3C `traceparent` header), with the request id as
 * `erpfront.request_id` so a trace is found from a log line or a support ticket and back.
 *
 * Mounted first, outside the request log, so the span covers the whole request and every log line
 * of the request is written inside it (request-log.ts binds the trace id to them).
 *
 * Our own middleware rather than `@hono/otel`: that one records `url.full`, query string included,
 * which for a GraphQL GET is the document and its variables (the request log drops the query for
 * that reason), and it copies every request header into an object per request whether a tracer
 * records or not. Attributes here follow the HTTP semantic conventions, without the query.
 *
 * @module
 */
import { context, propagation, SpanStatusCode, type TextMapGetter } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { SpanAttributes, SpanKind, tracer } from '../../services/tracing.ts';
import { requestIdFor } from './request-log.ts';

/** Reads propagation headers (`traceparent`, `tracestate`) from a fetch `Headers`. */
const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

export function requestTrace(): MiddlewareHandler {
  return async function requestTrace(c, next) {
    const method = c.req.method;
    // Without a propagator registered (no SDK) this returns the context as it is.
    const parent = propagation.extract(context.active(), c.req.raw.headers, headerGetter);
    return tracer.startActiveSpan(method, { kind: SpanKind.SERVER }, parent, async (span) => {
      try {
        await next();
      } finally {
        if (span.isRecording()) {
          const route = routePath(c);
          // hono answers errors through onError before control comes back here; a throw that
          // escaped it is a 500 (as the request log counts it).
          const status = c.finalized ? c.res.status : 500;
          span.updateName(`${method} ${route}`);
          span.setAttributes({
            'http.request.method': method,
            'url.path': c.req.path,
            'url.scheme': c.req.url.slice(0, c.req.url.indexOf(':')),
            'http.route': route,
            'http.response.status_code': status,
          });
          const reqId = requestIdFor(c);
          if (reqId !== null) span.setAttribute(SpanAttributes.requestId, reqId);
          // A client's error (4xx) is not the server's: only a 5xx fails the server span.
          if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      }
    });
  };
}
