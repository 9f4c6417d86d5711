/**
 * The guarded connector with the real budget and breaker in front of a scripted fake ERP that
 * counts how many calls it has open at once.
 */
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { createMemoryErpBudget } from '../../../src/adapters/stores/memory/erp-budget.ts';
import type { ErpCallOptions, ErpConnector, ErpOrder, ErpPriority } from '../../../src/ports/erp-connector.ts';
import { ErpError } from '../../../src/ports/erp-error.ts';
import { CircuitBreaker } from '../../../src/services/circuit-breaker.ts';
import { guardErp } from '../../../src/services/guarded-erp.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A fake ERP: every call takes `latencyMs`, then answers what `script` says. */
function fakeErp(latencyMs = 5) {
  const log: Array<{ operation: string; priority: ErpPriority | undefined }> = [];
  let inFlight = 0;
  let peak = 0;
  let script: (operation: string) => Error | undefined = () => undefined;
  async function answer<T>(operation: string, options: ErpCallOptions | undefined, value: T): Promise<T> {
    log.push({ operation, priority: options?.priority });
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    try {
      await sleep(latencyMs);
      const error = script(operation);
      if (error) throw error;
      return value;
    } finally {
      inFlight -= 1;
    }
  }
  const order = { number: 'SO-1' } as ErpOrder;
  const connector: ErpConnector = {
    name: 'fake',
    resumesOrderEntry: false,
    refusesDuplicateExternalRef: false,
    getItems: (skus, o) =>
      answer(
        'getItems',
        o,
        skus.map(() => new Error('unknown')),
      ),
    searchItems: (_search, o) => answer('searchItems', o, { items: [], total: 0 }),
    getCustomers: (ids, o) =>
      answer(
        'getCustomers',
        o,
        ids.map(() => new Error('unknown')),
      ),
    getSalesReps: (ids, o) =>
      answer(
        'getSalesReps',
        o,
        ids.map(() => new Error('unknown')),
      ),
    getPrices: (keys, o) =>
      answer(
        'getPrices',
        o,
        keys.map(() => null),
      ),
    getStock: (skus, o) =>
      answer(
        'getStock',
        o,
        skus.map(() => new Error('unknown')),
      ),
    ping: (o) => answer('ping', o, undefined),
    createOrder: (_order, o) => answer('createOrder', o, order),
    findOrderByExternalRef: (_ref, o) => answer('findOrderByExternalRef', o, null),
    findOrdersByExternalRef: (_ref, o) => answer('findOrdersByExternalRef', o, []),
    listOrders: (_customer, _page, o) => answer('listOrders', o, { orders: [], total: 0 }),
  };
  return {
    connector,
    log,
    peak: () => peak,
    script: (next: (operation: string) => Error | undefined) => (script = next),
  };
}

function setup(options: { requestsPerSecond?: number; maxConcurrent?: number; latencyMs?: number } = {}) {
  let now = Date.now();
  const clock = { now: () => now };
  const metrics = createPrometheusMetrics();
  const budget = createMemoryErpBudget({ requestsPerSecond: options.requestsPerSecond ?? 1000, maxConcurrent: options.maxConcurrent ?? 4 });
  const breaker = new CircuitBreaker({ metrics, clock });
  const erp = fakeErp(options.latencyMs);
  const guarded = guardErp(erp.connector, { budget, breaker, metrics });
  return { erp, guarded, budget, breaker, metrics, advanceBreakerClock: (ms: number) => (now += ms) };
}

const ask = (erp: ErpConnector, priority: ErpPriority) =>
  priority === 'order' ? erp.createOrder({} as never, { priority }) : erp.getPrices([{ scope: 'list', scopeId: 'USD', sku: 'A' }], { priority });

describe('guardErp', () => {
  it('never has more than maxConcurrent calls open under a surge of 100 mixed calls', async () => {
    const { erp, guarded, budget, metrics } = setup({ maxConcurrent: 4 });
    const priorities: ErpPriority[] = ['order', 'status', 'read', 'background'];
    await Promise.all(Array.from({ length: 100 }, (_, i) => ask(guarded, priorities[i % 4]!)));
    expect(erp.log).toHaveLength(100);
    expect(erp.peak()).toBe(4);
    expect(budget.snapshot().inFlight).toBe(0);
    expect(await metrics.render()).toMatch(/erpfront_erp_budget_wait_seconds_count\{priority="order"\} 25/);
  });

  it('passes the priority through, defaulting to read', async () => {
    const { erp, guarded } = setup();
    await guarded.ping();
    await guarded.listOrders('C1', { offset: 0, limit: 10 }, { priority: 'status' });
    expect(erp.log).toEqual([
      { operation: 'ping', priority: undefined },
      { operation: 'listOrders', priority: 'status' },
    ]);
  });

  it('does not starve orders behind a wall of reads', async () => {
    const { erp, guarded } = setup({ maxConcurrent: 2 });
    const reads = Array.from({ length: 50 }, () => ask(guarded, 'read'));
    await sleep(1);
    const orders = Array.from({ length: 5 }, () => ask(guarded, 'order'));
    await Promise.all([...reads, ...orders]);
    const firstOrders = erp.log.findIndex((call) => call.operation === 'createOrder');
    const lastOrder = erp.log.findLastIndex((call) => call.operation === 'createOrder');
    // The two reads already open finish; then the orders go, all of them, before any other read.
    expect(firstOrders).toBe(2);
    expect(lastOrder).toBe(6);
  });

  it('stops an abandoned read waiting for a permit, without calling the ERP', async () => {
    const { erp, guarded } = setup({ maxConcurrent: 1, latencyMs: 50 });
    const busy = ask(guarded, 'read');
    const controller = new AbortController();
    const abandoned = guarded.getStock(['A'], { signal: controller.signal });
    controller.abort(new DOMException('the buyer left', 'AbortError'));
    await expect(abandoned).rejects.toMatchObject({ name: 'AbortError' });
    const deadline = guarded.getStock(['A'], { signal: AbortSignal.timeout(10) });
    await expect(deadline).rejects.toMatchObject({ code: 'ERP_TIMEOUT', operation: 'getStock' });
    await busy;
    expect(erp.log.map((call) => call.operation)).toEqual(['getPrices']);
  });

  it('pauses everybody after a 429 for the Retry-After it was given', async () => {
    const { erp, guarded, budget } = setup({ maxConcurrent: 4 });
    erp.script((operation) => (operation === 'getStock' ? new ErpError('ERP_RATE_LIMITED', 'slow down', { retryAfterMs: 200 }) : undefined));
    await expect(guarded.getStock(['A'])).rejects.toMatchObject({ code: 'ERP_RATE_LIMITED' });
    expect(budget.snapshot().pausedUntil).toBeGreaterThan(Date.now() + 150);
    const started = performance.now();
    await guarded.createOrder({} as never, { priority: 'order' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(180);
  });

  it('opens the breaker on repeated failures and then fails fast, without waiting on timeouts', async () => {
    const { erp, guarded, breaker } = setup({ latencyMs: 100 });
    erp.script(() => new ErpError('ERP_TIMEOUT', 'no answer within 100 ms'));
    for (let i = 0; i < 5; i++) await expect(ask(guarded, 'read')).rejects.toMatchObject({ code: 'ERP_TIMEOUT' });
    expect(breaker.state).toBe('open');
    const started = performance.now();
    const refusals = await Promise.allSettled(Array.from({ length: 20 }, () => ask(guarded, 'order')));
    // Under the ERP's own 100 ms: nobody waited on it (with room for a busy machine's pauses).
    expect(performance.now() - started).toBeLessThan(100);
    expect(erp.log).toHaveLength(5);
    const error = (refusals[0] as PromiseRejectedResult).reason as ErpError;
    expect(error).toMatchObject({ code: 'ERP_CIRCUIT_OPEN', operation: 'createOrder' });
    expect(error.retryAfterMs).toBeGreaterThan(9_000);
    expect(error.message).toBe('The ERP failed repeatedly; erpfront is giving it 10 s before trying again');
    await expect(guarded.ping()).rejects.toMatchObject({ code: 'ERP_CIRCUIT_OPEN' });
  });

  it('fails calls queued for a permit when the breaker opens meanwhile, instead of sending them', async () => {
    const { erp, guarded, breaker } = setup({ maxConcurrent: 5, latencyMs: 20 });
    erp.script(() => new ErpError('ERP_UNAVAILABLE', 'connection refused'));
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => ask(guarded, 'read')));
    expect(breaker.state).toBe('open');
    // The first five fail; each frees a slot the next waiter takes while the breaker is still
    // closed, so up to four more reach the ERP. The other twenty-odd never do.
    expect(erp.log.length).toBeLessThanOrEqual(9);
    const codes = results.map((r) => ((r as PromiseRejectedResult).reason as ErpError).code);
    expect(codes.filter((code) => code === 'ERP_CIRCUIT_OPEN')).toHaveLength(30 - erp.log.length);
  });

  it('in half-open sends exactly one probe, fails the others fast, and closes on its success', async () => {
    const { erp, guarded, breaker, advanceBreakerClock } = setup({ latencyMs: 30 });
    erp.script(() => new ErpError('ERP_UNAVAILABLE', 'down'));
    for (let i = 0; i < 5; i++) await ask(guarded, 'read').catch(() => undefined);
    erp.script(() => undefined);
    advanceBreakerClock(10_000);
    let probeAnswered = false;
    const probe = ask(guarded, 'read').then(() => (probeAnswered = true));
    const others = await Promise.allSettled(Array.from({ length: 10 }, () => ask(guarded, 'order')));
    // Refused before the probe's answer came back: nobody waited on it.
    expect(probeAnswered).toBe(false);
    expect(others.every((r) => r.status === 'rejected' && (r.reason as ErpError).code === 'ERP_CIRCUIT_OPEN')).toBe(true);
    await probe;
    expect(erp.log).toHaveLength(6);
    expect(breaker.state).toBe('closed');
    await ask(guarded, 'order');
  });

  it('gives the probe slot back when the probe is abandoned while waiting for a permit', async () => {
    const { erp, guarded, budget, breaker, advanceBreakerClock } = setup({ maxConcurrent: 1, latencyMs: 1 });
    erp.script(() => new ErpError('ERP_UNAVAILABLE', 'down'));
    for (let i = 0; i < 5; i++) await ask(guarded, 'read').catch(() => undefined);
    erp.script(() => undefined);
    advanceBreakerClock(10_000);
    const held = await budget.acquire('order');
    const controller = new AbortController();
    const probe = guarded.getStock(['A'], { signal: controller.signal });
    controller.abort(new DOMException('the buyer left', 'AbortError'));
    await expect(probe).rejects.toMatchObject({ name: 'AbortError' });
    held.release();
    await ask(guarded, 'read');
    expect(breaker.state).toBe('closed');
  });

  it('lets business refusals through without opening the breaker', async () => {
    const { erp, guarded, breaker } = setup({ latencyMs: 1 });
    erp.script(() => new ErpError('ERP_REJECTED', 'credit hold', { reason: 'CREDIT_HOLD' }));
    for (let i = 0; i < 10; i++) await expect(ask(guarded, 'order')).rejects.toMatchObject({ code: 'ERP_REJECTED' });
    expect(breaker.state).toBe('closed');
    expect(erp.log).toHaveLength(10);
  });
});
