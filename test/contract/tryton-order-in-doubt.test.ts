/**
 * An order entry cut short in Tryton: `quote` reached Tryton but its reply never came back, so
 * `confirm` was never sent (a crash between the two does the same). The sale then exists as a
 * quotation — which is also how Tryton keeps a sale its credit limit held — so a lookup alone
 * would take it for the ERP's final word and the sale would never be confirmed. The connector resumes the entry by its reference, and the dispatcher, knowing that,
 * settles an order in doubt by calling `createOrder` again. Real Tryton, real SQLite queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrytonConnector } from '../../src/adapters/erp/tryton/index.ts';
import { createPrometheusMetrics } from '../../src/adapters/metrics/prometheus.ts';
import { createSqliteOrderStore } from '../../src/adapters/stores/sqlite/order-store.ts';
import { systemClock } from '../../src/ports/clock.ts';
import type { ErpOrderRequest } from '../../src/ports/erp-connector.ts';
import { createTimerScheduler } from '../../src/adapters/scheduler/timer-scheduler.ts';
import { OrderDispatcher } from '../../src/features/orders/services/order-dispatcher.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { startTryton, TRYTON_USER, trytonAvailable, type RunningTryton, TRYTON_TEST_TIMEOUT_MS } from '../support/tryton.ts';
import { newExternalRef } from './erp-connector-orders.contract.ts';

const available = trytonAvailable('Tryton order in doubt');

/** A fetch that lets Tryton run the first `quote` and then drops its reply, as a cut connection does. */
function losingFirstQuoteReply() {
  let lost = 0;
  const fetchImpl: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (lost === 0 && String(init?.body).includes('"model.sale.sale.quote"')) {
      lost++;
      await response.arrayBuffer();
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }
    return response;
  };
  return { fetchImpl, lost: () => lost };
}

describe.skipIf(!available)('Tryton: an order whose entry was cut short after quoting', () => {
  let tryton: RunningTryton;
  beforeAll(async () => {
    tryton = await startTryton();
  }, 120_000);
  afterAll(() => tryton?.close());

  const order = (externalRef: string): ErpOrderRequest => ({
    externalRef,
    customerId: 'INITECH',
    poNumber: 'PO-DOUBT',
    shipToId: String(tryton.ids.customers.INITECH),
    requestedDate: null,
    currency: 'USD',
    payment: { method: 'ON_ACCOUNT' },
    notes: null,
    lines: [{ sku: 'SKU-1001', quantity: 2, unitPrice: '12.50', unitOfMeasure: 'EA' }],
  });
  const salesWithReference = async (reference: string) =>
    (await createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: TRYTON_TEST_TIMEOUT_MS }).rpc.model('test', 'sale.sale', 'search_read', [
      [['reference', '=', reference]],
      0,
      null,
      null,
      ['state', 'number'],
    ])) as Array<{ state: string; number: string }>;

  it('createOrder called again confirms the quotation the lost reply left, once', async () => {
    const lossy = losingFirstQuoteReply();
    const connector = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, fetch: lossy.fetchImpl, timeoutMs: TRYTON_TEST_TIMEOUT_MS });
    const ref = newExternalRef();
    await expect(connector.createOrder(order(ref))).rejects.toMatchObject({ code: 'ERP_UNAVAILABLE' });
    expect(lossy.lost()).toBe(1);
    // What a lookup sees: a quotation, indistinguishable from a sale held by the credit limit.
    expect((await connector.findOrderByExternalRef(ref))?.status).toBe('ON_HOLD');
    expect((await salesWithReference(ref)).map((s) => s.state)).toEqual(['quotation']);
    const again = await connector.createOrder(order(ref));
    expect(again.status).toBe('OPEN');
    const sales = await salesWithReference(ref);
    expect(sales).toHaveLength(1);
    expect(sales[0]!.state).toMatch(/^(confirmed|processing)$/);
    expect(sales[0]!.number).toBe(again.number);
  });

  it('the dispatcher settles the order in doubt through createOrder: SUBMITTED, and in Tryton a confirmed sale, once', async () => {
    const lossy = losingFirstQuoteReply();
    const erp = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, fetch: lossy.fetchImpl, timeoutMs: TRYTON_TEST_TIMEOUT_MS });
    const store = createSqliteOrderStore({ path: ':memory:' });
    const dispatcher = new OrderDispatcher({
      store,
      erp,
      clock: systemClock,
      metrics: createPrometheusMetrics(),
      owner: 'test',
      pollMs: 50,
      retryBaseMs: 50,
      logger: silentLogger,
    });
    const id = newExternalRef();
    const request = order(id);
    await store.insert(
      {
        id,
        customerId: 'INITECH',
        status: 'QUEUED',
        request,
        total: '25.00',
        currency: 'USD',
        placedBy: 'test',
        creditDecision: { decision: 'APPROVE', reason: null },
        idempotencyKey: null,
      },
      { now: Date.now() },
    );
    const scheduler = createTimerScheduler({ logger: silentLogger });
    scheduler.add(dispatcher.job());
    try {
      let stored = await store.get(id);
      for (let i = 0; i < 200 && stored?.status === 'QUEUED'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        stored = await store.get(id);
      }
      expect(lossy.lost()).toBe(1);
      expect(stored).toMatchObject({ status: 'SUBMITTED', attempts: 2 });
      const sales = await salesWithReference(id);
      expect(sales).toHaveLength(1);
      // Before the fix the lookup found the quotation and stopped there: a sale nobody confirms.
      expect(sales[0]!.state).toMatch(/^(confirmed|processing)$/);
      expect(stored!.erpOrderNumber).toBe(sales[0]!.number);
    } finally {
      await scheduler.stop();
      await store.close();
    }
  });
});
