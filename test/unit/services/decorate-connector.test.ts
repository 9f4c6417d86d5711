/**
 * The one connector decorator: every method of the port runs through the same links, which know
 * the call (operation, capability, priority, key count) and nothing of the method; a capability the
 * connector lacks is refused without running them; the metrics link counts only calls that reached
 * the ERP, under the outcome label of the ErpError table.
 */
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createMemoryErpBudget } from '../../../src/adapters/stores/memory/erp-budget.ts';
import { defineErpConnector, ERP_METHODS, ERP_METHOD_NAMES, type ErpConnector, type ErpOrder } from '../../../src/ports/erp-connector.ts';
import { ErpError } from '../../../src/ports/erp-error.ts';
import { CircuitBreaker } from '../../../src/services/circuit-breaker.ts';
import { decorateConnector, type ErpCall, type ErpCallLink } from '../../../src/services/erp/decorate-connector.ts';
import { guardLinks } from '../../../src/services/erp/guard-links.ts';
import { meterLink } from '../../../src/services/erp/meter-link.ts';

/** A connector with every capability but sales reps and cancellation; `fail` scripts its answer. */
function fakeErp() {
  const calls: string[] = [];
  let fail: Error | undefined;
  const answer = async <T>(operation: string, value: T): Promise<T> => {
    calls.push(operation);
    if (fail) throw fail;
    return value;
  };
  const connector = defineErpConnector({
    name: 'fake',
    health: { ping: () => answer('ping', undefined) },
    catalog: {
      getItems: (skus) =>
        answer(
          'getItems',
          skus.map(() => new Error('unknown')),
        ),
      searchItems: () => answer('searchItems', { items: [], total: 0 }),
    },
    pricing: {
      getPrices: (keys) =>
        answer(
          'getPrices',
          keys.map(() => null),
        ),
    },
    stock: {
      getStock: (skus) =>
        answer(
          'getStock',
          skus.map(() => new Error('unknown')),
        ),
    },
    customers: {
      getCustomers: (ids) =>
        answer(
          'getCustomers',
          ids.map(() => new Error('unknown')),
        ),
    },
    orders: {
      resumesOrderEntry: true,
      refusesDuplicateExternalRef: false,
      createOrder: () => answer('createOrder', { number: 'SO-1' } as ErpOrder),
      findOrderByExternalRef: () => answer('findOrderByExternalRef', null),
      findOrdersByExternalRef: () => answer('findOrdersByExternalRef', []),
      listOrders: () => answer('listOrders', { orders: [], total: 0 }),
    },
    lacks: { salesReps: 'this ERP has no reps' },
  });
  return { connector, calls, fail: (error: Error | undefined) => (fail = error) };
}

/** A link that writes down what it saw, before and after the rest of the chain. */
function recorder(name: string, seen: string[]): ErpCallLink {
  return {
    name,
    async around(call: ErpCall, next) {
      seen.push(`${name}> ${call.operation} ${call.capability} ${call.priority} ${call.keyCount ?? '-'} sent=${call.sent}`);
      try {
        return await next();
      } finally {
        seen.push(`${name}< sent=${call.sent}`);
      }
    },
  };
}

/** Arguments any method takes: a key list first, call options last. */
function argsFor(method: (typeof ERP_METHOD_NAMES)[number]): unknown[] {
  const { arity } = ERP_METHODS[method];
  const args: unknown[] = [['K1', 'K2'], { offset: 0, limit: 1 }, {}].slice(0, arity - 1);
  return [...args, { priority: 'status' }];
}

describe('decorateConnector', () => {
  it('runs every supported method of the port through the links, outermost first, knowing the call', async () => {
    const erp = fakeErp();
    const seen: string[] = [];
    const decorated = decorateConnector(erp.connector, [recorder('a', seen), recorder('b', seen)]);
    await decorated.getPrices(
      [
        { scope: 'list', scopeId: 'USD', sku: 'A' },
        { scope: 'list', scopeId: 'USD', sku: 'B' },
      ],
      { priority: 'background' },
    );
    expect(seen).toEqual(['a> getPrices pricing background 2 sent=false', 'b> getPrices pricing background 2 sent=false', 'b< sent=true', 'a< sent=true']);

    // Every method in the port's table, none named in the decorator.
    seen.length = 0;
    const supported = ERP_METHOD_NAMES.filter((m) => erp.connector.supports(ERP_METHODS[m].capability));
    for (const method of supported) await (decorated[method] as (...args: unknown[]) => Promise<unknown>)(...argsFor(method));
    expect(erp.calls.slice(1)).toEqual(supported);
    expect(seen.filter((line) => line.startsWith('a>'))).toEqual(
      supported.map((m) => `a> ${m} ${ERP_METHODS[m].capability} status ${ERP_METHODS[m].batch ? 2 : '-'} sent=false`),
    );
    expect(decorated).toMatchObject({ name: 'fake', resumesOrderEntry: true, refusesDuplicateExternalRef: false });
  });

  it('refuses a capability the connector lacks with ERP_NOT_SUPPORTED, without running any link', async () => {
    const erp = fakeErp();
    const seen: string[] = [];
    const decorated = decorateConnector(erp.connector, [recorder('a', seen)]);
    expect(decorated.supports('salesReps')).toBe(false);
    expect([...decorated.capabilities]).not.toContain('orderCancellation');
    const reps = await decorated.getSalesReps(['R01']).catch((e: unknown) => e);
    expect(reps).toBeInstanceOf(ErpError);
    expect(reps).toMatchObject({ code: 'ERP_NOT_SUPPORTED', operation: 'getSalesReps', transient: false });
    expect((reps as Error).message).toBe('getSalesReps: the fake connector has no salesReps capability: this ERP has no reps');
    await expect(decorated.cancelOrder('SO-1')).rejects.toMatchObject({ code: 'ERP_NOT_SUPPORTED', operation: 'cancelOrder' });
    expect(seen).toEqual([]);
    expect(erp.calls).toEqual([]);
  });

  it("counts in erpfront_erp_requests_total the calls that reached the ERP, by the table's outcome, not those the breaker refused", async () => {
    const erp = fakeErp();
    const metrics = createPrometheusMetrics();
    const breaker = new CircuitBreaker({ failureThreshold: 2 });
    const budget = createMemoryErpBudget({ requestsPerSecond: 1000, maxConcurrent: 4 });
    const decorated: ErpConnector = decorateConnector(erp.connector, [...guardLinks({ budget, breaker, metrics }), meterLink(metrics)]);
    await decorated.getStock(['A']);
    erp.fail(new ErpError('ERP_REJECTED', 'no', { reason: 'CREDIT_HOLD' }));
    await expect(decorated.createOrder({} as never)).rejects.toMatchObject({ code: 'ERP_REJECTED' });
    erp.fail(new ErpError('ERP_UNAVAILABLE', 'down'));
    for (let i = 0; i < 2; i++) await expect(decorated.getStock(['A'])).rejects.toMatchObject({ code: 'ERP_UNAVAILABLE' });
    // Open now: refused here, never counted as a call to the ERP.
    for (let i = 0; i < 3; i++) await expect(decorated.getStock(['A'])).rejects.toMatchObject({ code: 'ERP_CIRCUIT_OPEN' });
    await expect(decorated.getSalesReps(['R1'])).rejects.toMatchObject({ code: 'ERP_NOT_SUPPORTED' });
    const text = await metrics.render();
    const count = (operation: string, outcome: string) =>
      Number(text.match(new RegExp(`^erpfront_erp_requests_total\\{operation="${operation}",outcome="${outcome}"\\} (\\d+)`, 'm'))?.[1] ?? 0);
    expect(count('getStock', 'success')).toBe(1);
    expect(count('createOrder', 'rejected')).toBe(1);
    expect(count('getStock', 'unavailable')).toBe(2);
    expect(count('getStock', 'circuit_open')).toBe(0);
    expect(text).not.toMatch(/getSalesReps/);
    expect(erp.calls).toEqual(['getStock', 'createOrder', 'getStock', 'getStock']);
  });
});
