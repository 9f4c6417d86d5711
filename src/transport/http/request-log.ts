/**
 * One log line per request, and the request id every other line of that request carries.
 *
 * Mounted first, so it sees every answer (refusals, 404s and errors included) and times the whole
 * request. The id is the client's `X-Request-Id` when it is one that can be logged and echoed as
 * it is (8–64 letters, digits, `.`, `_`, `-`: a storefront quotes its own id to support), else a
 * new UUID; it comes back in the answer's `X-Request-Id`. Routes take the request's logger
 * (`requestLogger`), a child bound to `reqId`, and pass it on to what they call (the ERP reader,
 * placeOrder), so the ERP calls and order changes a request caused carry its id.
 *
 * The line has the path without its query string (a GET's query can carry a GraphQL document and
 * its variables), and for GraphQL what the route learned: the token's subject, the customer the
 * request acts for, the operation's name (`graphQLFacts`).
 *
 * @module
 */
import { trace } from '@opentelemetry/api';
import type { Context, MiddlewareHandler } from 'hono';
import { untrustedField } from '../../domain/untrusted-text.ts';
import type { Logger } from '../../ports/logger.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

/** An id we can log and echo as it is: bounded, and nothing that could break a header or a line. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** What the GraphQL route learns about a request, for its log line; filled in as it goes. */
export interface GraphQLFacts {
  /** The verified token's subject. */
  subject?: string;
  /** The customer the request acts for, once authorized (`null`: none named). */
  customerId?: string | null;
  /** The executed operation's name (set by the GraphQL engine; absent for an anonymous one). */
  operationName?: string;
}

/** What this middleware keeps on the hono context. */
interface RequestLogState {
  reqId: string;
  log: Logger;
  graphql?: GraphQLFacts;
  /** The route's answer carries `X-Request-Id` already (`answeredWithId`). */
  idSent?: boolean;
}

const STATE = 'erpfront.requestLog';

function stateOf(c: Context): RequestLogState | undefined {
  return (c as Context<{ Variables: Record<typeof STATE, RequestLogState | undefined> }>).get(STATE);
}

/** The client's request id when it is a sane one, else a new one. */
export function requestIdOf(request: Request): string {
  return requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
}

/** `sent` (the client's `X-Request-Id`) when it is a sane id, else a new one. */
export function requestIdFrom(sent: string | null | undefined): string {
  return typeof sent === 'string' && SANE_REQUEST_ID.test(sent) ? sent : crypto.randomUUID();
}

/** A request's logger: bound to its id, and with tracing on, to its trace (the active span's). */
export function requestBoundLogger(logger: Logger, reqId: string): Logger {
  const span = trace.getActiveSpan();
  return logger.child(span?.isRecording() ? { reqId, traceId: span.spanContext().traceId } : { reqId });
}

/** What a request's line says; `started` from `performance.now()`. */
export interface RequestLine {
  method: string;
  path: string;
  status: number;
  started: number;
  reqId: string;
  graphql?: GraphQLFacts;
}

/** Writes a request's line on its logger (`error` for 500 and above, told to `onServerError`). */
export function writeRequestLine(options: RequestLogOptions, log: Logger, line: RequestLine): void {
  const { status, reqId } = line;
  const fields: Record<string, unknown> = {
    // The client chose both: bounded and escaped.
    method: untrustedField(line.method, 16),
    path: untrustedField(line.path, 200),
    status,
    durationMs: Math.round((performance.now() - line.started) * 10) / 10,
  };
  const graphql = line.graphql;
  if (graphql) {
    if (graphql.subject !== undefined) fields.subject = untrustedField(graphql.subject, 200);
    if (graphql.customerId !== undefined) fields.customerId = graphql.customerId === null ? null : untrustedField(graphql.customerId, 100);
    if (graphql.operationName !== undefined) fields.operation = untrustedField(graphql.operationName, 100);
  }
  if (status >= 500) {
    log.error('request', fields);
    options.onServerError?.({ status, method: fields.method as string, path: fields.path as string, requestId: reqId });
  } else log.info('request', fields);
}

/** The request's logger (bound to its `reqId`); `fallback` where the middleware is not mounted. */
export function requestLogger(c: Context, fallback: Logger): Logger {
  return stateOf(c)?.log ?? fallback;
}

/** The request's id, or `null` where the middleware is not mounted. */
export function requestIdFor(c: Context): string | null {
  return stateOf(c)?.reqId ?? null;
}

/** The GraphQL facts of this request's log line, to fill in (a detached object without the middleware). */
export function graphQLFacts(c: Context): GraphQLFacts {
  const state = stateOf(c);
  if (!state) return {};
  return (state.graphql ??= {});
}

/**
 * Tells the middleware that `response` was built with the request's id (`requestIdFor`) in its
 * `X-Request-Id` header, so it is not set again: setting a header on an answer built with plain
 * headers makes @hono/node-server build a web Headers object for it. Returns `response`.
 */
export function answeredWithId(c: Context, response: Response): Response {
  const state = stateOf(c);
  if (state) state.idSent = true;
  return response;
}

/**
 * Sets the id on the answer in place: `c.header()` on a finished response would copy it through
 * its body, which takes @hono/node-server off its fast path for string bodies. Only a response
 * whose headers are immutable (one fetched from elsewhere) is copied.
 */
function answerWithId(c: Context, reqId: string): void {
  try {
    c.res.headers.set(REQUEST_ID_HEADER, reqId);
  } catch {
    c.header(REQUEST_ID_HEADER, reqId);
  }
}

export interface RequestLogOptions {
  logger: Logger;
  /** Told of every answer of 500 and above (the ops console's recent errors). */
  onServerError?: (event: { status: number; method: string; path: string; requestId: string }) => void;
}

/** The middleware: request id in, request id out, one line at the end. */
export function requestLog(options: RequestLogOptions): MiddlewareHandler {
  return async function requestLog(c, next) {
    const started = performance.now();
    const reqId = requestIdOf(c.req.raw);
    const log = requestBoundLogger(options.logger, reqId);
    const state: RequestLogState = { reqId, log };
    (c as Context<{ Variables: Record<typeof STATE, RequestLogState> }>).set(STATE, state);
    try {
      await next();
    } finally {
      // hono answers errors through onError before control comes back here, so c.res is the
      // answer the client gets; a throw that escaped it still gets its line, as a 500.
      const status = c.finalized ? c.res.status : 500;
      if (c.finalized && !(state.idSent && c.res.status < 500)) answerWithId(c, reqId);
      writeRequestLine(options, log, { method: c.req.method, path: c.req.path, status, started, reqId, graphql: state.graphql });
    }
  };
}
