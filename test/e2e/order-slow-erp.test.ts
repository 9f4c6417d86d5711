/**
 * Exactly once against a slow ERP: an order whose first `createOrder` outlives erpfront's timeout,
 * and which the ERP then commits after erpfront's retry has looked it up and found nothing, still
 * reaches the ERP once. Embedded (SQLite) and scale-out (Redis), with an instance killed in
 * between, and against an ERP with its own duplicate check (no waiting needed).
 *
 * The sandbox is slow on the first order entry only (`orderLatencyMs` with `orderLatencyCount: 1`):
 * the retry's lookup comes before that first request commits, which is exactly the sequence that
 * made doubles when "not found" was taken for "safe to create".
 *
 * Each scenario has processes of its own (ERP, erpfront, Redis) and spends its time waiting on the
 * ERP's clock, so the scenarios run side by side, in two rounds, each round's processes started
 * before any of its scenarios: first those where nothing is killed (ERP timeouts of 0.5 s, on a
 * machine otherwise idle), then the two that kill and restart erpfront (timeouts of 9 s). One at
 * a time they took a minute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually, orderStatus, placeOrder } from '../support/orders.ts';
import { reconciliation } from '../support/reconciliation.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';
import { counter, startStack, type Stack } from '../support/stack.ts';

const LINES = [{ sku: 'SKU-00001', quantity: 1 }];

/**
 * How many orders the ERP holds with this reference, read once any late commit had its chance:
 * after `quietAt` (epoch ms), when the ERP's own limit has ended every request sent before.
 */
async function entriesOf(stack: Stack, id: string, quietAt: number): Promise<number> {
  await new Promise((r) => setTimeout(r, Math.max(0, quietAt - Date.now()) + 300));
  return (await erpOrders(stack)).filter((o) => o.externalRef === id).length;
}

async function submitted(stack: Stack, token: string, id: string, timeoutMs: number) {
  return eventually(
    () => orderStatus(stack, token, id),
    (o) => o?.status === 'SUBMITTED',
    timeoutMs,
    100,
  );
}

async function createOrderArrived(stack: Stack): Promise<void> {
  await eventually(
    () => fetch(`${stack.sandbox.url}/__control/stats`).then((r) => r.json() as Promise<{ byOperation: { createOrder: number } }>),
    (s) => s.byOperation.createOrder >= 1,
    10_000,
    20,
  );
}

const redis = redisServerAvailable('order-slow-erp (scale-out)');

describe.concurrent('nothing killed: the scenarios side by side', () => {
  /** erpfront gives up after 0.5 s; the ERP keeps working up to 2.5 s and commits at 1.5 s. */
  let embedded: Stack;
  let unique: Stack;
  let overrun: Stack;
  let scale: ScaleOut | null = null;
  beforeAll(async () => {
    [embedded, unique, overrun, scale] = await Promise.all([
      startStack(
        { ERP_TIMEOUT_MS: '500', ERP_MAX_REQUEST_SECONDS: '3', RECONCILE_INTERVAL_SECONDS: '0.5' },
        { sandboxEnv: { SANDBOX_MAX_REQUEST_MS: '2500' } },
      ),
      startStack(
        { ERP_TIMEOUT_MS: '500', ERP_MAX_REQUEST_SECONDS: '60', ERP_UNIQUE_EXTERNAL_REFS: 'true' },
        { sandboxEnv: { SANDBOX_MAX_REQUEST_MS: '2500', SANDBOX_UNIQUE_EXTERNAL_REFS: 'true' } },
      ),
      // erpfront is told the ERP finishes within 1 s; the sandbox takes 3 s and still commits.
      startStack(
        { ERP_TIMEOUT_MS: '500', ERP_MAX_REQUEST_SECONDS: '1', RECONCILE_INTERVAL_SECONDS: '0.5' },
        { sandboxEnv: { SANDBOX_MAX_REQUEST_MS: '30000' } },
      ),
      redis
        ? startScaleOut(
            2,
            { ERP_TIMEOUT_MS: '500', ERP_MAX_REQUEST_SECONDS: '3', ORDER_LEASE_SECONDS: '2', BREAKER_COOLDOWN_SECONDS: '1' },
            { sandboxEnv: { SANDBOX_MAX_REQUEST_MS: '2500' } },
          )
        : null,
    ]);
  }, 90_000);
  afterAll(() => Promise.all([embedded?.close(), unique?.close(), overrun?.close(), scale?.close()]));

  describe('embedded: a createOrder that outlives the timeout and commits after the retry looked', () => {
    it('waits for the ERP\'s time bound before trusting "not found": one order in the ERP, not two', async () => {
      const stack = embedded;
      const token = await stack.buyerToken('C0001');
      await stack.faults({ orderLatencyMs: 1500, orderLatencyCount: 1 });
      const started = Date.now();
      const result = await placeOrder(stack, token, { idempotencyKey: 'slow-1', poNumber: 'PO-SLOW', lines: LINES });
      expect(result.userErrors).toEqual([]);
      // The buyer sees nothing wrong: accepted, waiting for the ERP.
      expect(result.order!.status).toBe('QUEUED');
      const id = result.order!.id;
      const order = await submitted(stack, token, id, 20_000);
      expect(order?.status).toBe('SUBMITTED');
      // Not re-sent before the bound (the first send + 3 s + grace) had passed.
      expect(Date.now() - started).toBeGreaterThan(3000);
      expect(await entriesOf(stack, id, Date.now() + 2500)).toBe(1);
      expect(order?.erpOrderNumber).toBe((await erpOrders(stack)).find((o) => o.externalRef === id)?.number);
      // The order was in doubt, so its duplicate check ran: nothing found.
      expect(counter(await stack.metrics(), 'erpfront_erp_duplicate_orders_total')).toBe(0);
    }, 60_000);
  });

  describe('an ERP that refuses a second order with one reference: no waiting needed', () => {
    it('resends at once, the ERP keeps one order, the order is SUBMITTED long before the time bound', async () => {
      const stack = unique;
      const token = await stack.buyerToken('C0001');
      await stack.faults({ orderLatencyMs: 1500, orderLatencyCount: 1 });
      const started = Date.now();
      const result = await placeOrder(stack, token, { idempotencyKey: 'unique-1', poNumber: 'PO-UNIQ', lines: LINES });
      const id = result.order!.id;
      const order = await submitted(stack, token, id, 20_000);
      expect(order?.status).toBe('SUBMITTED');
      expect(Date.now() - started).toBeLessThan(10_000);
      // The first, slow request was refused by the ERP as the duplicate when it finally got there.
      expect(await entriesOf(stack, id, started + 2500)).toBe(1);
    }, 60_000);
  });

  describe.skipIf(!redis)('scale-out: the same sequence across instances sharing Redis', () => {
    it("a timed-out createOrder that commits after the retry's lookup: one order", async () => {
      const stack = scale!.stack(0);
      const token = await scale!.buyerToken('C0002');
      await scale!.faults({ orderLatencyMs: 1500, orderLatencyCount: 1 });
      const result = await placeOrder(stack, token, { idempotencyKey: 'so-slow-1', poNumber: 'PO-SO1', lines: LINES });
      const id = result.order!.id;
      expect((await submitted(scale!.stack(1), token, id, 20_000))?.status).toBe('SUBMITTED');
      expect(await entriesOf(stack, id, Date.now() + 2500)).toBe(1);
    }, 60_000);
  });

  describe('an ERP that breaks its own time limit: the duplicate is found, reported and cancelled', () => {
    it('reports both numbers, counts it, cancels the extra entry and keeps the one the buyer was given', async () => {
      const stack = overrun;
      const token = await stack.buyerToken('C0001');
      await stack.faults({ orderLatencyMs: 3000, orderLatencyCount: 1 });
      const result = await placeOrder(stack, token, { idempotencyKey: 'overrun-1', poNumber: 'PO-OVR', lines: LINES });
      const id = result.order!.id;
      const order = await submitted(stack, token, id, 20_000);
      const found = await eventually(
        () => stack.metrics(),
        (m) => counter(m, 'erpfront_erp_duplicate_orders_total') === 1,
        20_000,
        200,
      );
      expect(counter(found, 'erpfront_erp_duplicate_orders_total')).toBe(1);
      const held = (await erpOrders(stack)).filter((o) => o.externalRef === id);
      expect(held).toHaveLength(2);
      const kept = held.find((o) => o.number === order!.erpOrderNumber)!;
      const extra = held.find((o) => o.number !== order!.erpOrderNumber)!;
      expect(kept.status).toBe('OPEN');
      expect(extra.status).toBe('CANCELLED');
      expect(stack.erpfront.output()).toContain(`DUPLICATE ORDER in the ERP for ${id} (C0001): kept ${kept.number}; ${extra.number} CANCELLED`);
      // Kept for operations as a reconciliation finding, resolved at once: nothing is left to do.
      expect((await reconciliation(stack)).findings.filter((f) => f.orderId === id)).toEqual([
        expect.objectContaining({
          kind: 'DUPLICATE_IN_ERP',
          erpOrderNumber: kept.number,
          resolvedAt: expect.any(String),
          detail: expect.stringContaining(`${extra.number} cancelled by erpfront`),
        }),
      ]);
    }, 60_000);
  });
});

describe.concurrent('erpfront killed while its slow request is with the ERP: the scenarios side by side', () => {
  // The request is still in flight (it commits 8 s after it arrived) when its sender dies.
  let embedded: Stack;
  let scale: ScaleOut | null = null;
  beforeAll(async () => {
    [embedded, scale] = await Promise.all([
      startStack({ ERP_TIMEOUT_MS: '9000', ERP_MAX_REQUEST_SECONDS: '10', ORDER_SUBMIT_WAIT_MS: '0' }, { sandboxEnv: { SANDBOX_MAX_REQUEST_MS: '9000' } }),
      redis
        ? startScaleOut(
            2,
            { ERP_TIMEOUT_MS: '9000', ERP_MAX_REQUEST_SECONDS: '10', ORDER_LEASE_SECONDS: '2', ORDER_SUBMIT_WAIT_MS: '0' },
            { sandboxEnv: { SANDBOX_MAX_REQUEST_MS: '9000' } },
          )
        : null,
    ]);
  }, 90_000);
  afterAll(() => Promise.all([embedded?.close(), scale?.close()]));

  describe('embedded: a createOrder that outlives the timeout and commits after the retry looked', () => {
    it('kill -9 while the slow request is with the ERP, restart on the same data: still one order', async () => {
      const stack = embedded;
      const token = await stack.buyerToken('C0001');
      await stack.faults({ orderLatencyMs: 8000, orderLatencyCount: 1 });
      const result = await placeOrder(stack, token, { idempotencyKey: 'slow-kill', poNumber: 'PO-KILL', lines: LINES });
      const id = result.order!.id;
      await createOrderArrived(stack);
      const arrived = Date.now();
      // The ERP is still working on it (it commits 8 s after it arrived) when erpfront dies; the
      // restarted process looks it up long before that.
      await stack.crashAndRestartErpfront();
      const order = await submitted(stack, token, id, 30_000);
      expect(order?.status).toBe('SUBMITTED');
      expect(await entriesOf(stack, id, arrived + 9000)).toBe(1);
    }, 60_000);
  });

  describe.skipIf(!redis)('scale-out: an instance killed while its slow request is with the ERP', () => {
    it('every instance killed, one restarted: it waits out the dead lease and the bound, one order', async () => {
      const stack = scale!.stack(0);
      const token = await scale!.buyerToken('C0003');
      await scale!.faults({ orderLatencyMs: 8000, orderLatencyCount: 1 });
      const before = (await scale!.stats()).byOperation.createOrder ?? 0;
      const result = await placeOrder(stack, token, { idempotencyKey: 'so-slow-kill', poNumber: 'PO-SO2', lines: LINES });
      const id = result.order!.id;
      await eventually(
        () => scale!.stats(),
        (s) => (s.byOperation.createOrder ?? 0) > before,
        10_000,
        20,
      );
      const arrived = Date.now();
      // Whichever instance sent it dies with it.
      await Promise.all(scale!.instances.map((p) => p.stop('SIGKILL')));
      await scale!.restart(1);
      expect((await submitted(scale!.stack(1), token, id, 30_000))?.status).toBe('SUBMITTED');
      expect(await entriesOf(stack, id, arrived + 9000)).toBe(1);
    }, 90_000);
  });
});
