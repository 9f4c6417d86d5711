/**
 * The FindingStore conformance suite: memory, SQLite and Redis keep reconciliation findings
 * alike. `create` returns a fresh, empty store; `reopen` (where the store is durable) the same
 * store as a restarted process would open it.
 */
import { describe, expect, it } from 'vitest';
import type { FindingReport, FindingStore, ReconciliationRunRecord } from '../../src/ports/finding-store.ts';

const T0 = Date.parse('2026-11-29T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function report(orderId: string, overrides: Partial<FindingReport> = {}): FindingReport {
  return {
    kind: 'LINES_DIFFER',
    orderId,
    customerId: 'C0001',
    erpOrderNumber: 'SO-100001',
    detail: 'The ERP holds other lines than erpfront submitted: SKU-00001 quantity 2 in erpfront, 5 in the ERP.',
    differences: [{ field: 'quantity', sku: 'SKU-00001', erpfront: '2', erp: '5' }],
    ...overrides,
  };
}

const run: ReconciliationRunRecord = {
  startedAt: iso(T0),
  finishedAt: iso(T0 + 1500),
  ordersChecked: 12,
  ordersUnchecked: 1,
  findingsOpened: 2,
  findingsResolved: 1,
  requeued: ['ord_a'],
};

export function runFindingStoreContract(name: string, create: () => Promise<{ store: FindingStore; reopen?: () => Promise<FindingStore> }>): void {
  describe(`FindingStore contract: ${name}`, () => {
    it('opens a finding once; seeing it again updates it and keeps when it was first seen', async () => {
      const { store } = await create();
      const first = await store.report(report('ord_1'), T0);
      expect(first.opened).toBe(true);
      expect(first.finding).toEqual({ ...report('ord_1'), id: `LINES_DIFFER:ord_1:${T0}`, firstSeenAt: iso(T0), lastSeenAt: iso(T0), resolvedAt: null });
      const changed = report('ord_1', {
        detail: 'now 7',
        differences: [{ field: 'quantity', sku: 'SKU-00001', erpfront: '2', erp: '7' }],
        erpOrderNumber: null,
      });
      const again = await store.report(changed, T0 + 60_000);
      expect(again.opened).toBe(false);
      expect(again.finding).toEqual({ ...changed, id: first.finding.id, firstSeenAt: iso(T0), lastSeenAt: iso(T0 + 60_000), resolvedAt: null });
      expect(await store.listOpen()).toEqual([again.finding]);
      await store.close();
    });

    it('one open finding per kind and order: another kind, or another order, is another finding', async () => {
      const { store } = await create();
      await store.report(report('ord_1'), T0);
      await store.report(report('ord_1', { kind: 'DUPLICATE_IN_ERP', differences: [] }), T0 + 1);
      await store.report(report('ord_2', { kind: 'MISSING_IN_ERP', differences: [] }), T0 + 2);
      await store.report(report('ord_1'), T0 + 3);
      expect((await store.listOpen()).map((f) => [f.kind, f.orderId])).toEqual([
        ['LINES_DIFFER', 'ord_1'],
        ['DUPLICATE_IN_ERP', 'ord_1'],
        ['MISSING_IN_ERP', 'ord_2'],
      ]);
      expect(await store.openCounts()).toEqual({ MISSING_IN_ERP: 1, LINES_DIFFER: 1, TOTAL_DIFFERS: 0, DUPLICATE_IN_ERP: 1 });
      await store.close();
    });

    it('resolves the open finding; the same drift later opens a new one', async () => {
      const { store } = await create();
      const opened = (await store.report(report('ord_1'), T0)).finding;
      expect(await store.resolve('TOTAL_DIFFERS', 'ord_1', T0 + 1)).toBeNull();
      expect(await store.resolve('LINES_DIFFER', 'ord_1', T0 + 5000)).toEqual({ ...opened, resolvedAt: iso(T0 + 5000) });
      expect(await store.resolve('LINES_DIFFER', 'ord_1', T0 + 6000)).toBeNull();
      expect(await store.listOpen()).toEqual([]);
      expect(await store.openCounts()).toEqual({ MISSING_IN_ERP: 0, LINES_DIFFER: 0, TOTAL_DIFFERS: 0, DUPLICATE_IN_ERP: 0 });
      const back = await store.report(report('ord_1'), T0 + 10_000);
      expect(back).toMatchObject({ opened: true, finding: { id: `LINES_DIFFER:ord_1:${T0 + 10_000}`, firstSeenAt: iso(T0 + 10_000) } });
      await store.close();
    });

    it('lists open findings first seen first, then resolved ones last resolved first, within the limit', async () => {
      const { store } = await create();
      for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) await store.report(report(id), T0 + i);
      await store.resolve('LINES_DIFFER', 'b', T0 + 100);
      await store.resolve('LINES_DIFFER', 'a', T0 + 200);
      expect((await store.list({ limit: 10 })).map((f) => [f.orderId, f.resolvedAt !== null])).toEqual([
        ['c', false],
        ['d', false],
        ['a', true],
        ['b', true],
      ]);
      expect((await store.list({ limit: 3 })).map((f) => f.orderId)).toEqual(['c', 'd', 'a']);
      expect((await store.list({ open: true, limit: 10 })).map((f) => f.orderId)).toEqual(['c', 'd']);
      expect((await store.list({ open: false, limit: 10 })).map((f) => f.orderId)).toEqual(['a', 'b']);
      expect((await store.list({ open: false, limit: 1 })).map((f) => f.orderId)).toEqual(['a']);
      await store.close();
    });

    it('purges findings resolved before a time, never open ones', async () => {
      const { store } = await create();
      await store.report(report('old'), T0);
      await store.report(report('recent'), T0);
      await store.report(report('open'), T0);
      await store.resolve('LINES_DIFFER', 'old', T0 + 1000);
      await store.resolve('LINES_DIFFER', 'recent', T0 + 5000);
      expect(await store.purgeResolved(T0 + 5000)).toBe(1);
      expect((await store.list({ limit: 10 })).map((f) => f.orderId)).toEqual(['open', 'recent']);
      await store.close();
    });

    it('keeps the last run only; none before the first', async () => {
      const { store } = await create();
      expect(await store.lastRun()).toBeNull();
      await store.recordRun({ ...run, requeued: [] });
      await store.recordRun(run);
      expect(await store.lastRun()).toEqual(run);
      await store.close();
    });

    it('findings and the last run survive a restart where the store is durable', async () => {
      const { store, reopen } = await create();
      if (!reopen) return;
      await store.report(report('kept'), T0);
      await store.recordRun(run);
      await store.close();
      const again = await reopen();
      expect((await again.listOpen()).map((f) => f.orderId)).toEqual(['kept']);
      expect(await again.lastRun()).toEqual(run);
      await again.close();
    });
  });
}
