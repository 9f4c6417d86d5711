/**
 * The ERP call's span, as the tracing link and the budget link make it, read from the real
 * OpenTelemetry SDK with an in-memory exporter: a call is a client span under whatever asked for
 * it, with its wait for a permit inside (as long as the wait was); a call the breaker refused is a
 * failed span that says it was never sent.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createMemoryErpBudget } from '../../../src/adapters/stores/memory/erp-budget.ts';
import { defineErpConnector, type ErpConnector } from '../../../src/ports/erp-connector.ts';
import { ErpError } from '../../../src/ports/erp-error.ts';
import { CircuitBreaker } from '../../../src/services/circuit-breaker.ts';
import { decorateConnector } from '../../../src/services/erp/decorate-connector.ts';
import { guardLinks } from '../../../src/services/erp/guard-links.ts';
import { meterLink } from '../../../src/services/erp/meter-link.ts';
import { traceLink } from '../../../src/services/erp/trace-link.ts';
import { inSpan } from '../../../src/services/tracing.ts';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const millis = (span: ReadableSpan) => span.duration[0] * 1000 + span.duration[1] / 1e6;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** A stock-only ERP whose answer `fail` scripts. */
function fakeErp() {
  let fail: Error | undefined;
  const connector: ErpConnector = defineErpConnector({
    name: 'fake',
    health: { ping: async () => undefined },
    stock: {
      getStock: async (skus) => {
        await sleep(2);
        if (fail) throw fail;
        return skus.map(() => new Error('unknown'));
      },
    },
    lacks: { catalog: 'n/a', pricing: 'n/a', customers: 'n/a', orders: 'n/a', salesReps: 'n/a' },
  });
  return { connector, fail: (error: Error | undefined) => (fail = error) };
}

function chain(
  erp: ErpConnector,
  budget = createMemoryErpBudget({ requestsPerSecond: 1000, maxConcurrent: 4 }),
  breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 60_000 }),
) {
  const metrics = createPrometheusMetrics();
  return decorateConnector(erp, [traceLink(erp.name), ...guardLinks({ budget, breaker, metrics }), meterLink(metrics)]);
}

describe('the ERP call span', () => {
  it('is a client span under what asked for it, naming the call, with the wait for a permit inside', async () => {
    const erp = chain(fakeErp().connector);
    await inSpan('cache stock', {}, () => erp.getStock(['A', 'B'], { priority: 'order' }));
    const spans = exporter.getFinishedSpans();
    const cache = spans.find((s) => s.name === 'cache stock')!;
    const call = spans.find((s) => s.name === 'erp getStock')!;
    const wait = spans.find((s) => s.name === 'erp budget wait')!;
    expect(call.kind).toBe(SPAN_KIND_CLIENT);
    expect(parentOf(call)).toBe(cache.spanContext().spanId);
    expect(call.attributes).toMatchObject({
      'erpfront.erp.connector': 'fake',
      'erpfront.erp.operation': 'getStock',
      'erpfront.erp.priority': 'order',
      'erpfront.erp.keys': 2,
      'erpfront.erp.sent': true,
    });
    expect(parentOf(wait)).toBe(call.spanContext().spanId);
    expect(wait.attributes['erpfront.erp.priority']).toBe('order');
    expect(call.status.code).not.toBe(STATUS_ERROR);
  });

  it('shows a saturated budget: the wait span lasts as long as the call waited for a permit', async () => {
    const budget = createMemoryErpBudget({ requestsPerSecond: 1000, maxConcurrent: 1 });
    const erp = chain(fakeErp().connector, budget);
    const held = await budget.acquire('read');
    const call = erp.getStock(['A']);
    await sleep(60);
    held.release();
    await call;
    const wait = exporter.getFinishedSpans().find((s) => s.name === 'erp budget wait')!;
    expect(millis(wait)).toBeGreaterThanOrEqual(50);
    expect(millis(exporter.getFinishedSpans().find((s) => s.name === 'erp getStock')!)).toBeGreaterThan(millis(wait));
  });

  it('fails with the ErpError code; a call the open breaker refused says it was never sent, and waited for nothing', async () => {
    const fake = fakeErp();
    const erp = chain(fake.connector);
    fake.fail(new ErpError('ERP_UNAVAILABLE', 'could not reach the ERP at http://10.0.0.7:8000/'));
    await expect(erp.getStock(['A'])).rejects.toMatchObject({ code: 'ERP_UNAVAILABLE' });
    await expect(erp.getStock(['A'])).rejects.toMatchObject({ code: 'ERP_CIRCUIT_OPEN' });
    const [failed, refused] = exporter.getFinishedSpans().filter((s) => s.name === 'erp getStock');
    expect(failed!.status.code).toBe(STATUS_ERROR);
    expect(failed!.attributes).toMatchObject({ 'error.type': 'ERP_UNAVAILABLE', 'erpfront.erp.sent': true });
    // The ERP's address stays out of the span, as out of the log.
    expect(failed!.status.message).not.toContain('10.0.0.7');
    expect(refused!.attributes).toMatchObject({ 'error.type': 'ERP_CIRCUIT_OPEN', 'erpfront.erp.sent': false });
    expect(exporter.getFinishedSpans().filter((s) => s.name === 'erp budget wait' && parentOf(s) === refused!.spanContext().spanId)).toEqual([]);
  });
});
