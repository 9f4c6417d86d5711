/**
 * Reconciliation over HTTP, erpfront and the sandbox ERP each in their own process: drift injected
 * in the ERP behind erpfront's back (an order deleted, a line changed) is found, the lost order is
 * queued again and reaches the ERP exactly once, the changed one is reported with its
 * differences, and both findings resolve once the drift is gone. Operations only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually, orderStatus, placeOrder } from '../support/orders.ts';
import { changeLineInErp, deleteInErp, reconciliation, RECONCILIATION, runReconciliation, RUN_RECONCILIATION } from '../support/reconciliation.ts';
import { counter, startStack, type Stack } from '../support/stack.ts';

/** The ERP's own limit on a request: reconciliation leaves orders submitted more recently for later. */
const ERP_LIMIT_MS = 1000;
/** Waits until every order placed so far was submitted longer ago than the ERP's limit. */
const settled = () => new Promise((resolve) => setTimeout(resolve, ERP_LIMIT_MS + 100));

let stack: Stack;
let c1: string;
beforeAll(async () => {
  stack = await startStack({
    ERP_MAX_REQUEST_SECONDS: String(ERP_LIMIT_MS / 1000),
    // Lookups the ERP answers too slowly (below) must not trip the breaker for the next test.
    ERP_TIMEOUT_MS: '500',
    BREAKER_FAILURE_THRESHOLD: '100',
    // On demand only: every run here is the test's.
    RECONCILE_EVERY_MINUTES: '0',
  });
  c1 = await stack.buyerToken('C0001');
});
afterAll(() => stack?.close());

const line = (sku: string, quantity: number) => ({ sku, quantity });
const held = async (ref: string) => (await erpOrders(stack)).filter((o) => o.externalRef === ref);

describe('reconciliation', () => {
  it('finds an order deleted in the ERP and one whose line changed: queues the first again (it reaches the ERP once), reports the second; both resolve once the drift is gone', async () => {
    const gone = (await placeOrder(stack, c1, { lines: [line('SKU-00001', 2)] })).order!;
    const edited = (await placeOrder(stack, c1, { lines: [line('SKU-00002', 1), line('SKU-00003', 4)] })).order!;
    expect([gone.status, edited.status]).toEqual(['SUBMITTED', 'SUBMITTED']);
    await deleteInErp(stack, gone.id);
    await changeLineInErp(stack, edited.id, { sku: 'SKU-00003', quantity: 7 });
    await settled();

    const run = await runReconciliation(stack);
    expect(run).toMatchObject({ ran: true, skipped: null, requeued: [gone.id], findingsOpened: 2, ordersUnchecked: 0 });
    expect(run.ordersChecked).toBeGreaterThanOrEqual(2);
    const found = (await reconciliation(stack, true)).findings;
    const missing = found.find((f) => f.orderId === gone.id);
    expect(missing).toMatchObject({
      kind: 'MISSING_IN_ERP',
      customerId: 'C0001',
      erpOrderNumber: gone.erpOrderNumber,
      resolvedAt: null,
      differences: [{ field: 'erpOrders', sku: null, erpfront: '1', erp: '0' }],
    });
    expect(missing!.detail).toContain('queued it again');
    const differ = found.find((f) => f.orderId === edited.id);
    expect(differ).toMatchObject({ kind: 'LINES_DIFFER', erpOrderNumber: edited.erpOrderNumber, resolvedAt: null });
    expect(differ!.differences[0]).toEqual({ field: 'quantity', sku: 'SKU-00003', erpfront: '4', erp: '7' });
    expect(differ!.differences.map((d) => d.field)).toEqual(['quantity', 'total']);
    expect(differ!.detail).toContain('SKU-00003 quantity 4 in erpfront, 7 in the ERP');

    // A second run while the lost order waits to be sent again queues nothing twice.
    expect((await runReconciliation(stack)).requeued).toEqual([]);
    // It reaches the ERP again, under a new number, once.
    const back = await eventually(
      () => orderStatus(stack, c1, gone.id),
      (o) => o?.status === 'SUBMITTED',
      15_000,
    );
    expect(back!.erpOrderNumber).not.toBe(gone.erpOrderNumber);
    expect((await held(gone.id)).map((o) => o.number)).toEqual([back!.erpOrderNumber]);
    // The changed order is reported, never sent again.
    expect((await held(edited.id)).map((o) => o.number)).toEqual([edited.erpOrderNumber]);

    await changeLineInErp(stack, edited.id, { sku: 'SKU-00003', quantity: 4 });
    await settled(); // the order sent again, too, is past the ERP's limit
    const after = await runReconciliation(stack);
    expect(after.findingsResolved).toBeGreaterThanOrEqual(2);
    expect((await reconciliation(stack, true)).findings.filter((f) => f.orderId === gone.id || f.orderId === edited.id)).toEqual([]);
    const resolved = (await reconciliation(stack, false)).findings;
    expect(resolved.find((f) => f.orderId === gone.id)).toMatchObject({ id: missing!.id, firstSeenAt: missing!.firstSeenAt, resolvedAt: expect.any(String) });
    expect(resolved.find((f) => f.orderId === edited.id)).toMatchObject({ id: differ!.id, firstSeenAt: differ!.firstSeenAt, resolvedAt: expect.any(String) });
    // Still once in the ERP after all of it.
    expect(await held(gone.id)).toHaveLength(1);

    const metrics = await stack.metrics();
    expect(counter(metrics, 'erpfront_reconciliation_findings_total', { kind: 'MISSING_IN_ERP' })).toBe(1);
    expect(counter(metrics, 'erpfront_reconciliation_findings_total', { kind: 'LINES_DIFFER' })).toBe(1);
    expect(counter(metrics, 'erpfront_reconciliation_requeued_total')).toBe(1);
    expect(counter(metrics, 'erpfront_reconciliation_findings_open', { kind: 'MISSING_IN_ERP' })).toBe(0);
    expect(counter(metrics, 'erpfront_reconciliation_runs_total', { outcome: 'completed' })).toBe(3);
    expect(counter(metrics, 'erpfront_reconciliation_last_run_timestamp_seconds')).toBeCloseTo(Date.parse(after.finishedAt!) / 1000, 0);
  });

  it('an order the ERP turns out to have after all (its "not found" was only slow) is not sent a second time', async () => {
    const placed = (await placeOrder(stack, c1, { shipToId: 'C0001-ST1', lines: [line('SKU-00004', 3)] })).order!;
    const [entry] = await deleteInErp(stack, placed.id);
    await settled();
    expect((await runReconciliation(stack)).requeued).toEqual([placed.id]);
    // Before erpfront may send it again, the ERP shows the order under its reference after all.
    const lines = entry!.lines.map(({ shippedQuantity: _, ...rest }) => rest);
    const late = await fetch(`${stack.sandbox.url}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        externalRef: placed.id,
        customerId: 'C0001',
        poNumber: null,
        shipToId: 'C0001-ST1',
        requestedDate: null,
        currency: entry!.currency,
        payment: { method: 'ON_ACCOUNT' },
        notes: null,
        lines,
      }),
    });
    expect(late.status).toBe(201);
    const lateNumber = ((await late.json()) as { number: string }).number;
    const back = await eventually(
      () => orderStatus(stack, c1, placed.id),
      (o) => o?.status === 'SUBMITTED',
      15_000,
    );
    expect(back!.erpOrderNumber).toBe(lateNumber);
    expect((await held(placed.id)).map((o) => o.number)).toEqual([lateNumber]);
  });

  it('a lookup the ERP does not answer in time is not "missing": nothing is queued again, no finding opens', async () => {
    const placed = (await placeOrder(stack, await stack.buyerToken('C0002'), { lines: [line('SKU-00005', 1)] })).order!;
    await settled();
    await stack.faults({ latencyMs: 1500 });
    let run: Awaited<ReturnType<typeof runReconciliation>>;
    try {
      run = await runReconciliation(stack);
    } finally {
      await stack.faults({ latencyMs: 0 });
    }
    expect(run).toMatchObject({ ran: true, requeued: [], findingsOpened: 0, ordersChecked: 0 });
    expect(run.ordersUnchecked).toBeGreaterThanOrEqual(1);
    expect((await orderStatus(stack, await stack.buyerToken('C0002'), placed.id))?.status).toBe('SUBMITTED');
    expect((await reconciliation(stack)).findings.filter((f) => f.orderId === placed.id)).toEqual([]);
    expect(await held(placed.id)).toHaveLength(1);
  });

  it('is for operations only: a buyer is refused FORBIDDEN, and nothing runs', async () => {
    const before = (await reconciliation(stack)).lastRunAt;
    for (const document of [RUN_RECONCILIATION, RECONCILIATION]) {
      const answer = await stack.graphql(document, {}, { token: c1 });
      expect(answer.body.data).toBeNull();
      expect(answer.body.errors).toEqual([
        expect.objectContaining({ message: expect.stringContaining('ops role'), extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
      ]);
    }
    expect((await reconciliation(stack)).lastRunAt).toBe(before);
  });
});

describe('reconciliation on its schedule', () => {
  let scheduled: Stack;
  beforeAll(async () => {
    // Every 1.2 s: the schedule, not the test, runs it.
    scheduled = await startStack({ ERP_TIMEOUT_MS: '1000', ERP_MAX_REQUEST_SECONDS: '1', RECONCILE_EVERY_MINUTES: '0.02' });
  });
  afterAll(() => scheduled?.close());

  it('runs every RECONCILE_EVERY_MINUTES by itself: drift shows up as a finding with nobody asking', async () => {
    const token = await scheduled.buyerToken('C0001');
    const placed = (await placeOrder(scheduled, token, { lines: [line('SKU-00006', 2)] })).order!;
    await changeLineInErp(scheduled, placed.id, { sku: 'SKU-00006', unitPrice: '0.01' });
    const seen = await eventually(
      () => reconciliation(scheduled, true),
      (r) => r.findings.some((f) => f.orderId === placed.id),
      10_000,
    );
    expect(seen.findings.find((f) => f.orderId === placed.id)).toMatchObject({
      kind: 'LINES_DIFFER',
      differences: [expect.objectContaining({ field: 'unitPrice', sku: 'SKU-00006', erp: '0.01' }), expect.objectContaining({ field: 'total' })],
    });
    expect(seen.open.LINES_DIFFER).toBe(1);
    const first = seen.lastRunAt!;
    const later = await eventually(
      () => reconciliation(scheduled),
      (r) => r.lastRunAt !== first,
      10_000,
    );
    expect(Date.parse(later.lastRunAt!)).toBeGreaterThan(Date.parse(first));
  });
});
