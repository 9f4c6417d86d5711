/**
 * Reconciliation with two erpfront processes on one Redis: one run at a time across instances
 * (the other is told so), findings shared by both, and an order the ERP lost queued again once
 * and entered once, whichever instance's dispatcher sends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually, orderStatus, placeOrder } from '../support/orders.ts';
import { deleteInErp, reconciliation, runReconciliation } from '../support/reconciliation.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';

const available = redisServerAvailable('scale-out-reconciliation');
let scale: ScaleOut;

describe.skipIf(!available)('scale-out: reconciliation', () => {
  beforeAll(async () => {
    scale = await startScaleOut(2, { ERP_TIMEOUT_MS: '1000', ERP_MAX_REQUEST_SECONDS: '1', RECONCILE_EVERY_MINUTES: '0' });
  }, 60_000);
  afterAll(() => scale?.close());

  it('runs on one instance at a time; both list the same findings; the lost order reaches the ERP once', async () => {
    const token = await scale.buyerToken('C0001');
    const orders = [];
    for (let i = 0; i < 4; i++) orders.push((await placeOrder(scale.stack(i % 2), token, { lines: [{ sku: `SKU-0001${i}`, quantity: 1 }] })).order!);
    expect(orders.map((o) => o.status)).toEqual(['SUBMITTED', 'SUBMITTED', 'SUBMITTED', 'SUBMITTED']);
    const lost = orders[0]!;
    await deleteInErp(scale.stack(0), lost.id);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the ERP's limit since submission

    // Each lookup takes 400 ms: both asks arrive while the first run holds the lease.
    await scale.faults({ latencyMs: 400 });
    let runs: Array<Awaited<ReturnType<typeof runReconciliation>>>;
    try {
      runs = await Promise.all([runReconciliation(scale.stack(0)), runReconciliation(scale.stack(1))]);
    } finally {
      await scale.faults({ latencyMs: 0 });
    }
    expect(runs.map((r) => r.ran).sort()).toEqual([false, true]);
    const ran = runs.find((r) => r.ran)!;
    const skipped = runs.find((r) => !r.ran)!;
    expect(ran).toMatchObject({ requeued: [lost.id], findingsOpened: 1, ordersChecked: 4 });
    expect(skipped).toMatchObject({ skipped: expect.stringContaining('Another instance'), finishedAt: null, requeued: [] });

    const seen = await Promise.all([reconciliation(scale.stack(0), true), reconciliation(scale.stack(1), true)]);
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]!.findings.map((f) => [f.kind, f.orderId])).toEqual([['MISSING_IN_ERP', lost.id]]);
    expect(seen[0]!.lastRunAt).toBe(ran.finishedAt);

    const back = await eventually(
      () => orderStatus(scale.stack(1), token, lost.id),
      (o) => o?.status === 'SUBMITTED',
      15_000,
    );
    expect((await erpOrders(scale.stack(0))).filter((o) => o.externalRef === lost.id).map((o) => o.number)).toEqual([back!.erpOrderNumber]);
    // The lease was given up: the next run may go on either instance at once.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const next = await runReconciliation(scale.stack(1));
    expect(next).toMatchObject({ ran: true, findingsResolved: 1, requeued: [] });
    expect((await reconciliation(scale.stack(0), true)).findings).toEqual([]);
  });
});
