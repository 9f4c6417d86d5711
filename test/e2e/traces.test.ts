/**
 * Traces as an operator's collector receives them: erpfront and the sandbox ERP in their own
 * processes, OTEL_EXPORTER_OTLP_ENDPOINT pointed at a local OTLP/HTTP receiver, and the spans that
 * arrive there read back as a tree. A CatalogPage is one trace: the request's server span, the
 * GraphQL operation under it, the cache reads under that, and the ERP calls (with their wait for
 * an ERP permit) under those; the request id is on it, and the request's log lines name the trace.
 * An order is placed in one trace and submitted in another, both naming the order.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, placeOrder } from '../support/orders.ts';
import { ancestry, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.ts';
import { CATALOG_PAGE, skus, startStack, type Stack } from '../support/stack.ts';

const SERVER = 2;
const CLIENT = 3;

let receiver: OtlpReceiver;
let stack: Stack;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  stack = await startStack({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_SERVICE_NAME: 'erpfront-traces-test',
    // Exported a tenth of a second after they end, not five seconds.
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
});
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

/** The spans of the trace whose server span carries `reqId`, once `complete` holds for them. */
async function traceOf(reqId: string, complete: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  return eventually(
    async () => {
      const server = receiver.spans.find((s) => s.kind === SERVER && s.attributes['erpfront.request_id'] === reqId);
      return server ? receiver.spans.filter((s) => s.traceId === server.traceId) : [];
    },
    (spans) => spans.length > 0 && complete(spans),
    10_000,
    50,
  );
}

describe('a CatalogPage reaches the collector as one trace', () => {
  it('server span → GraphQL operation → cache read → ERP call (→ budget wait), with the request id', async () => {
    const reqId = `trace-catalog-${randomBytes(4).toString('hex')}`;
    // SKUs nobody read yet: the page reads them from the ERP.
    const answer = await stack.graphql(CATALOG_PAGE, { skus: skus(3, 201), quantity: 1 }, { headers: { 'x-request-id': reqId } });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();

    const spans = await traceOf(reqId, (all) => ['getItems', 'getPrices', 'getStock'].every((op) => all.some((s) => s.name === `erp ${op}`)));
    const server = spans.find((s) => s.kind === SERVER)!;
    expect(server).toMatchObject({
      name: 'POST /graphql',
      parentSpanId: '',
      attributes: expect.objectContaining({
        'http.request.method': 'POST',
        'http.route': '/graphql',
        'url.path': '/graphql',
        'http.response.status_code': 200,
        'erpfront.request_id': reqId,
      }),
    });
    expect(server.resource['service.name']).toBe('erpfront-traces-test');
    expect(String(server.resource['service.instance.id'])).toMatch(/^erpfront-/);

    const operation = spans.find((s) => s.name === 'query CatalogPage')!;
    expect(operation).toMatchObject({
      parentSpanId: server.spanId,
      attributes: expect.objectContaining({ 'graphql.operation.type': 'query', 'graphql.operation.name': 'CatalogPage', 'erpfront.request_id': reqId }),
    });

    for (const [op, domain] of [
      ['getItems', 'items'],
      ['getPrices', 'prices'],
      ['getStock', 'stock'],
    ] as const) {
      const call = spans.find((s) => s.name === `erp ${op}`)!;
      expect(call.kind).toBe(CLIENT);
      expect(call.attributes).toMatchObject({
        'erpfront.erp.connector': 'sandbox',
        'erpfront.erp.operation': op,
        'erpfront.erp.priority': 'read',
        'erpfront.erp.sent': true,
      });
      // A price is read in each of its scopes (contract, price list, list price): more keys than SKUs.
      expect(call.attributes['erpfront.erp.keys']).toBeGreaterThanOrEqual(3);
      expect(ancestry(spans, call)).toEqual([`erp ${op}`, `cache ${domain}`, 'query CatalogPage', 'POST /graphql']);
      const cache = spans.find((s) => s.spanId === call.parentSpanId)!;
      expect(cache.attributes).toMatchObject({ 'erpfront.cache.domain': domain, 'erpfront.cache.result': 'miss', 'erpfront.cache.hits': 0 });
      expect(cache.attributes['erpfront.cache.misses']).toBe(call.attributes['erpfront.erp.keys']);
      // The wait for an ERP permit is inside the call's span.
      expect(spans.some((s) => s.name === 'erp budget wait' && s.parentSpanId === call.spanId && s.attributes['erpfront.erp.priority'] === 'read')).toBe(true);
    }
    expect(spans.every((s) => s.statusCode !== 2)).toBe(true);

    // The request's log line names the trace, so an operator goes from one to the other.
    const line = stack.erpfront
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'request' && l.reqId === reqId);
    expect(line).toMatchObject({ traceId: server.traceId });
  });

  it('the same page again is answered from the in-process cache: no ERP call, no span per lookup', async () => {
    const reqId = `trace-warm-${randomBytes(4).toString('hex')}`;
    const answer = await stack.graphql(CATALOG_PAGE, { skus: skus(3, 201), quantity: 1 }, { headers: { 'x-request-id': reqId } });
    expect(answer.body.errors).toBeUndefined();
    const spans = await traceOf(reqId, (all) => all.some((s) => s.name === 'query CatalogPage'));
    // Fresh local hits are read synchronously (hundreds per page): the hot path makes no spans.
    expect(spans.map((s) => s.name).sort()).toEqual(['POST /graphql', 'query CatalogPage']);
  });

  it("a caller's traceparent makes erpfront's request span its child", async () => {
    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    const reqId = `trace-parent-${randomBytes(4).toString('hex')}`;
    const answer = await stack.graphql(
      'query Viewer { viewer { subject } }',
      {},
      { headers: { 'x-request-id': reqId, traceparent: `00-${traceId}-${parentId}-01` } },
    );
    expect(answer.status).toBe(200);
    const spans = await traceOf(reqId, (all) => all.some((s) => s.name === 'query Viewer'));
    const server = spans.find((s) => s.kind === SERVER)!;
    expect(server).toMatchObject({ traceId, parentSpanId: parentId });
  });

  it('a failed request fails its spans: the ERP call with its code, the operation, not the 200 server span', async () => {
    await stack.faults({ errorRate: 1 });
    try {
      const reqId = `trace-fail-${randomBytes(4).toString('hex')}`;
      const answer = await stack.graphql(
        'query Prices($skus: [ID!]!) { products(skus: $skus) { sku name } }',
        { skus: skus(2, 301) },
        { headers: { 'x-request-id': reqId } },
      );
      expect(answer.body.errors?.length).toBeGreaterThan(0);
      const spans = await traceOf(reqId, (all) => all.some((s) => s.name === 'erp getItems') && all.some((s) => s.name === 'query Prices'));
      const call = spans.find((s) => s.name === 'erp getItems')!;
      expect(call.statusCode).toBe(2);
      expect(String(call.attributes['error.type'])).toMatch(/^ERP_/);
      const operation = spans.find((s) => s.name === 'query Prices')!;
      expect(operation.statusCode).toBe(2);
      expect(operation.attributes['erpfront.graphql.errors']).toBeGreaterThan(0);
    } finally {
      await stack.faults({ errorRate: 0 });
    }
  });
});

describe('an order', () => {
  it("is placed in the request's trace and submitted in a trace of its own, both naming the order", async () => {
    const reqId = `trace-order-${randomBytes(4).toString('hex')}`;
    const token = await stack.buyerToken('C0001');
    const result = await placeOrder(
      stack,
      token,
      { idempotencyKey: `trace-${randomBytes(4).toString('hex')}`, lines: [{ sku: 'SKU-00004', quantity: 1 }] },
      { 'x-request-id': reqId },
    );
    const id = result.order!.id;

    const placing = await traceOf(reqId, (all) => all.some((s) => s.name === 'order place'));
    const place = placing.find((s) => s.name === 'order place')!;
    expect(ancestry(placing, place)).toEqual(['order place', 'mutation PlaceOrder', 'POST /graphql']);
    expect(place.attributes).toMatchObject({ 'erpfront.order.id': id, 'erpfront.customer_id': 'C0001', 'erpfront.request_id': reqId });

    const dispatch = await eventually(
      async () =>
        receiver.spans.find(
          (s) => s.name === 'order dispatch' && s.attributes['erpfront.order.id'] === id && s.attributes['erpfront.order.status'] === 'SUBMITTED',
        ),
      (span) => span !== undefined,
      10_000,
      50,
    );
    expect(dispatch!.parentSpanId).toBe('');
    expect(dispatch!.traceId).not.toBe(place.traceId);
    const create = await eventually(
      async () => receiver.spans.find((s) => s.name === 'erp createOrder' && s.traceId === dispatch!.traceId),
      (span) => span !== undefined,
      5000,
      50,
    );
    expect(create).toMatchObject({
      parentSpanId: dispatch!.spanId,
      attributes: expect.objectContaining({ 'erpfront.erp.priority': 'order', 'erpfront.erp.sent': true }),
    });
  });

  it('the exporter sent only what a collector accepts: OTLP/HTTP JSON to /v1/traces', () => {
    expect(receiver.refused).toEqual([]);
  });
});
