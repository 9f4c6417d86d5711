/**
 * Tracing for the core: spans through the OpenTelemetry API, and nothing else of OpenTelemetry.
 *
 * The API is the port: without an SDK registered it hands out non-recording spans that cost an
 * object each, so the core traces unconditionally and the entry decides whether anything is kept
 * (the Node entry registers the SDK and its OTLP exporter when OTEL_EXPORTER_OTLP_ENDPOINT is set,
 * `adapters/tracing/otlp-tracing.ts`; the Workers entry never does). A span's parent is the span
 * active where it starts, carried by the SDK's context manager across `await`s; without one
 * (no SDK) every span is a root and a no-op.
 *
 * What a span may carry is what a log line may: identifiers (request id, order id, operation,
 * customer), counts and codes; an error's message without the ERP's address (`loggableError`);
 * never a token, a query's variables or a price.
 *
 * @module
 */
import { SpanKind, SpanStatusCode, trace, type Attributes, type Span, type SpanOptions } from '@opentelemetry/api';
import { loggableError } from '../domain/loggable-error.ts';

export { SpanKind, type Span };

/** The tracer of erpfront's own spans (a proxy: it follows an SDK registered later). */
export const tracer = trace.getTracer('erpfront');

/** Attribute names of erpfront's own (not semantic-convention) span attributes. */
export const SpanAttributes = {
  /** The request's id, as in its log lines and its `X-Request-Id` answer. */
  requestId: 'erpfront.request_id',
  customerId: 'erpfront.customer_id',
  orderId: 'erpfront.order.id',
  orderStatus: 'erpfront.order.status',
  orderAttempt: 'erpfront.order.attempt',
  cacheDomain: 'erpfront.cache.domain',
  /** `hit` (nothing fetched), `stale` (served stale, refreshed behind), `miss` (fetched or waited for a fetch). */
  cacheResult: 'erpfront.cache.result',
  erpConnector: 'erpfront.erp.connector',
  erpOperation: 'erpfront.erp.operation',
  erpPriority: 'erpfront.erp.priority',
  erpKeys: 'erpfront.erp.keys',
  /** Whether the call was handed to the connector (false: refused by the breaker or the send window). */
  erpSent: 'erpfront.erp.sent',
} as const;

/**
 * Runs `fn` in a new span, active for everything `fn` starts: ends it when `fn` settles, and marks
 * it failed (`error.type`, status ERROR with a message without addresses) when `fn` throws.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      spanFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks `span` failed by `error`: its code (or type) as `error.type`, its message without addresses. */
export function spanFailed(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const shown = loggableError(error);
  span.setAttribute('error.type', shown.code ?? shown.type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: shown.message });
}

/** Sets the attributes whose value is defined (a span attribute cannot be `undefined`). */
export function setDefined(span: Span, attributes: Record<string, string | number | boolean | null | undefined>): void {
  if (!span.isRecording()) return;
  const defined: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined && value !== null) defined[key] = value;
  span.setAttributes(defined);
}

/** Sets attributes on the span active here (none without an SDK): for outcomes known deep inside a span's work. */
export function annotateActiveSpan(attributes: Record<string, string | number | boolean | null | undefined>): void {
  const span = trace.getActiveSpan();
  if (span) setDefined(span, attributes);
}
