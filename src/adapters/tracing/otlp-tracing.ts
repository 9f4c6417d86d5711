/**
 * The OpenTelemetry SDK on Node: spans of the core (`services/tracing.ts`) recorded and exported
 * over OTLP/HTTP (JSON) to `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, in batches.
 *
 * Only the Node entry imports this file, and only when an endpoint is configured: without it the
 * API stays a no-op and none of the SDK is loaded. The Workers entry never imports it (the SDK's
 * Node parts would not bundle, and a Worker traces through Cloudflare's own tooling).
 *
 * Registered process-wide, as OpenTelemetry works: the tracer provider, an AsyncLocalStorage
 * context manager (a span started in a resolver finds its parent across `await`s), and the W3C
 * trace-context propagator (a caller's `traceparent` makes erpfront's request span its child).
 * `shutdown()` exports what is left and unregisters them.
 *
 * The exporter reads its other standard variables from the process environment itself
 * (`OTEL_EXPORTER_OTLP_HEADERS`, `_TIMEOUT`, `_COMPRESSION`, certificates). An export that fails
 * is a `warn` line (the SDK's own diagnostics, addresses cut), never an error of a request.
 *
 * @module
 */
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { withoutAddresses } from '../../domain/loggable-error.ts';
import type { Logger } from '../../ports/logger.ts';

export interface OtlpTracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans go to `<endpoint>/v1/traces`. */
  endpoint: string;
  /** OTEL_SERVICE_NAME (`service.name` of every span). */
  serviceName: string;
  /** `service.instance.id`: tells the instances of a scale-out apart. */
  instanceId: string;
  /** OTEL_TRACES_SAMPLER_ARG: the share of new traces recorded (a caller's sampled flag is followed). */
  sampleRatio: number;
  /** OTEL_BSP_SCHEDULE_DELAY: how long spans wait to be exported with others, in ms. */
  exportDelayMs: number;
  /** Where export failures are reported. */
  logger: Logger;
}

export interface OtlpTracing {
  /** Exports the spans still buffered and unregisters the SDK. */
  shutdown(): Promise<void>;
}

/** `<endpoint>/v1/traces`, as the OTLP specification derives a signal's URL from the base one. */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.endsWith('/') ? endpoint : `${endpoint}/`}v1/traces`;
}

export function startOtlpTracing(options: OtlpTracingOptions): OtlpTracing {
  diag.setLogger(diagnostics(options.logger), DiagLogLevel.WARN);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, 'service.instance.id': options.instanceId }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }),
    spanProcessors: [
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: tracesUrl(options.endpoint) }), scheduledDelayMillis: options.exportDelayMs }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      try {
        await provider.shutdown();
      } finally {
        trace.disable();
        propagation.disable();
        context.disable();
        diag.disable();
      }
    },
  };
}

/** The SDK's diagnostics as log lines: warnings and errors only (failed exports, dropped spans). */
function diagnostics(logger: Logger) {
  const line =
    (level: 'warn' | 'error') =>
    (message: string, ...args: unknown[]) =>
      logger[level]('tracing', { detail: withoutAddresses([message, ...args.map(text)].join(' '), 500) });
  const ignore = () => {};
  return { error: line('error'), warn: line('warn'), info: ignore, debug: ignore, verbose: ignore };
}

function text(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
