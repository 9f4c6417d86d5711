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

/** Where propagation headers are read from: a fetch `Headers`, or the Node lane's view of a request's. */
export type HeaderCarrier = Pick<Headers, 'get' | 'keys'>;

/** Reads propagation headers (`traceparent`, `tracestate`). */
const headerGetter: TextMapGetter<HeaderCarrier> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/** What the server span records of a request once it is answered. */
export interface ServerSpanEnd {
  path: string;
  /** The route's pattern (`/graphql`, `/ops/orders/:id`). */
  route: string;
  scheme: string;
  status: number;
  /** The request's id, once it has one. */
  requestId: string | null;
}

/**
 * Runs `handle` inside the request's server span (a child of the caller's trace when `carrier`
 * names one), and ends the span with what `end` tells once it is done. Every transport starts
 * its requests' spans here.
 */
export function inServerSpan<T>(method: string, carrier: HeaderCarrier, handle: () => Promise<T>, end: () => ServerSpanEnd): Promise<T> {
  // Without a propagator registered (no SDK) this returns the context as it is.
  const parent = propagation.extract(context.active(), carrier, headerGetter);
  return tracer.startActiveSpan(method, { kind: SpanKind.SERVER }, parent, async (span) => {
    try {
      return await handle();
    } finally {
      if (span.isRecording()) {
        const { path, route, scheme, status, requestId } = end();
        span.updateName(`${method} ${route}`);
        span.setAttributes({
          'http.request.method': method,
          'url.path': path,
          'url.scheme': scheme,
          'http.route': route,
          'http.response.status_code': status,
        });
        if (requestId !== null) span.setAttribute(SpanAttributes.requestId, requestId);
        // A client's error (4xx) is not the server's: only a 5xx fails the server span.
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    }
  });
}

export function requestTrace(): MiddlewareHandler {
  return async function requestTrace(c, next) {
    await inServerSpan(
      c.req.method,
      c.req.raw.headers,
      () => next(),
      () => ({
        path: c.req.path,
        route: routePath(c),
        scheme: c.req.url.slice(0, c.req.url.indexOf(':')),
        // hono answers errors through onError before control comes back here; a throw that
        // escaped it is a 500 (as the request log counts it).
        status: c.finalized ? c.res.status : 500,
        requestId: requestIdFor(c),
      }),
    );
  };
}
