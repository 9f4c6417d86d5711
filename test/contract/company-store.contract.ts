/**
 * The company store contract: every adapter (memory, SQLite, Redis) keeps buyer directories,
 * settings, approval rules and approval flows the same way. `create` returns a fresh, empty store
 * for each scenario, and `reopen` (durable adapters) the same data after a restart.
 */
import { describe, expect, it } from 'vitest';
import { approve, openFlow, reject } from '../../src/domain/company/approval-flow.ts';
import type { ApprovalRule } from '../../src/domain/company/approval-rules.ts';
import type { CompanyStore } from '../../src/ports/company-store.ts';
import { StoreUnavailableError } from '../../src/ports/store-error.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;

export interface CompanyStoreFixture {
  store: CompanyStore;
  /** The same data through a new store (a restart); absent for the memory adapter. */
  reopen?: () => Promise<CompanyStore>;
}

const rule = (id: string, tiers = 2): ApprovalRule => ({
  id,
  name: `rule ${id}`,
  condition: { kind: 'ORDER_TOTAL_OVER', amount: '5000.00' },
  requesterRoles: ['BUYER'],
  tiers: Array.from({ length: tiers }, (_, i) => ({ approverRoles: i === 0 ? ['APPROVER'] : ['ADMIN'] })),
});

const flowFor = (orderId: string, customerId = 'C1', requester = 'alice') =>
  openFlow(
    { orderId, customerId, requester, ruleIds: ['r1'], reasons: ['over 5000'], tiers: [{ approverRoles: ['APPROVER'] }, { approverRoles: ['ADMIN'] }] },
    T0,
    HOUR,
  );

/**
 * Runs the contract. `durable` adapters (SQLite, Redis) also run the restart scenario with their
 * `reopen`; the memory adapter is not durable by design, so that scenario is not registered for it.
 */
export function runCompanyStoreContract(name: string, create: () => Promise<CompanyStoreFixture>, options: { durable: boolean }) {
  describe(`company store contract: ${name}`, () => {
    it('registers a subject seen for the first time with the default role (BUYER), once, and never as admin by itself', async () => {
      const { store } = await create();
      expect(await store.buyer('C1', 'alice')).toBeNull();
      const [a, b] = await Promise.all([store.ensureBuyer('C1', 'alice', T0), store.ensureBuyer('C1', 'alice', T0 + 5)]);
      expect(a).toEqual(b);
      expect(a).toMatchObject({
        customerId: 'C1',
        subject: 'alice',
        roles: ['BUYER'],
        orderLimit: null,
        monthlyLimit: null,
        allowedShipToIds: null,
        updatedBy: null,
      });
      expect(a.createdAt).toBe(new Date(T0).toISOString());
      expect(await store.buyers('C1', { limit: 10 })).toEqual([a]);
      // Another company's directory is its own.
      expect(await store.buyers('C2', { limit: 10 })).toEqual([]);
      await store.close();
    });

    it('gives newcomers the configured default role; those registered before keep theirs', async () => {
      const { store } = await create();
      expect(await store.settings('C1')).toEqual({ customerId: 'C1', defaultRole: 'BUYER' });
      await store.ensureBuyer('C1', 'early', T0);
      expect(await store.setDefaultRole('C1', 'APPROVER')).toEqual({ customerId: 'C1', defaultRole: 'APPROVER' });
      expect((await store.ensureBuyer('C1', 'late', T0)).roles).toEqual(['APPROVER']);
      expect((await store.buyer('C1', 'early'))!.roles).toEqual(['BUYER']);
      expect((await store.settings('C2')).defaultRole).toBe('BUYER');
      await store.close();
    });

    it('keeps an entry as written (several roles, decimal limits, ship-tos), replaces it, and lists by subject', async () => {
      const { store } = await create();
      const base = await store.ensureBuyer('C1', 'zoe', T0);
      const written = {
        ...base,
        roles: ['ADMIN', 'APPROVER'] as const,
        orderLimit: '1000.50',
        monthlyLimit: '25000',
        allowedShipToIds: ['ST-1', 'ST-2'],
        updatedBy: 'ops@erpfront',
      };
      await store.putBuyer({ ...written, roles: [...written.roles] });
      expect(await store.buyer('C1', 'zoe')).toEqual({ ...written, roles: ['ADMIN', 'APPROVER'] });
      await store.putBuyer({
        customerId: 'C1',
        subject: 'adam',
        roles: ['BUYER'],
        orderLimit: null,
        monthlyLimit: null,
        allowedShipToIds: null,
        createdAt: base.createdAt,
        updatedAt: base.createdAt,
        updatedBy: 'zoe',
      });
      expect((await store.buyers('C1', { limit: 10 })).map((b) => b.subject)).toEqual(['adam', 'zoe']);
      expect((await store.buyers('C1', { limit: 1 })).map((b) => b.subject)).toEqual(['adam']);
      // ensureBuyer never overwrites a known entry.
      expect((await store.ensureBuyer('C1', 'zoe', T0 + 1)).roles).toEqual(['ADMIN', 'APPROVER']);
      await store.close();
    });

    it('keeps approval rules per company, replaced by id, removed once', async () => {
      const { store } = await create();
      await store.putRule('C1', rule('b'));
      await store.putRule('C1', rule('a', 1));
      await store.putRule('C1', { ...rule('b', 3), name: 'renamed' });
      expect((await store.rules('C1')).map((r) => [r.id, r.name, r.tiers.length])).toEqual([
        ['a', 'rule a', 1],
        ['b', 'renamed', 3],
      ]);
      expect(await store.rules('C2')).toEqual([]);
      expect(await store.removeRule('C1', 'a')).toBe(true);
      expect(await store.removeRule('C1', 'a')).toBe(false);
      expect((await store.rules('C1')).map((r) => r.id)).toEqual(['b']);
      await store.close();
    });

    it('moves a flow only from the version it was read at: of two approvers at once, one wins', async () => {
      const { store } = await create();
      const flow = flowFor('ord_0001');
      await store.createFlow(flow);
      // A broken invariant is an error of its own, never told as the store being unavailable (retry).
      const twice = await store.createFlow(flow).then(
        () => null,
        (error: unknown) => error,
      );
      expect(twice).toBeInstanceOf(Error);
      expect(String(twice)).toMatch(/exists/);
      expect(twice).not.toBeInstanceOf(StoreUnavailableError);
      expect(await store.flow('ord_0001')).toEqual(flow);
      const first = approve(flow, { subject: 'bob', roles: ['APPROVER'] }, T0 + 1000);
      const second = approve(flow, { subject: 'carol', roles: ['APPROVER'] }, T0 + 1000);
      if (!first.ok || !second.ok) throw new Error('both steps apply to the flow as read');
      const wins = await Promise.all([store.updateFlow(first.flow), store.updateFlow(second.flow)]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      const stored = (await store.flow('ord_0001'))!;
      expect(stored.version).toBe(1);
      expect(stored.tiers[0]!.approvedBy).toBe(wins[0] ? 'bob' : 'carol');
      expect(await store.flow('ord_none')).toBeNull();
      await store.close();
    });

    it("lists a company's pending flows oldest first, in pages, and drops them once decided", async () => {
      const { store } = await create();
      for (const id of ['ord_0003', 'ord_0001', 'ord_0002']) await store.createFlow(flowFor(id));
      await store.createFlow(flowFor('ord_0009', 'C2'));
      expect((await store.pendingFlows('C1', { limit: 10 })).map((f) => f.orderId)).toEqual(['ord_0001', 'ord_0002', 'ord_0003']);
      expect((await store.pendingFlows('C1', { limit: 1, after: 'ord_0001' })).map((f) => f.orderId)).toEqual(['ord_0002']);
      const rejected = reject(flowFor('ord_0002'), { subject: 'bob', roles: ['APPROVER'] }, 'not in budget', T0 + 1);
      if (!rejected.ok) throw new Error(rejected.message);
      expect(await store.updateFlow(rejected.flow)).toBe(true);
      expect((await store.pendingFlows('C1', { limit: 10 })).map((f) => f.orderId)).toEqual(['ord_0001', 'ord_0003']);
      expect((await store.flow('ord_0002'))!.status).toBe('REJECTED');
      expect((await store.pendingFlows('C2', { limit: 10 })).map((f) => f.orderId)).toEqual(['ord_0009']);
      await store.close();
    });

    if (options.durable)
      it('keeps everything across a restart (durable adapters)', async () => {
        const { store, reopen } = await create();
        if (!reopen) throw new Error(`${name}: a durable adapter's fixture must give reopen`);
        const alice = await store.ensureBuyer('C1', 'alice', T0);
        await store.putBuyer({ ...alice, roles: ['APPROVER'], orderLimit: '1000' });
        await store.setDefaultRole('C1', 'APPROVER');
        await store.putRule('C1', rule('r1'));
        await store.createFlow(flowFor('ord_0001'));
        const again = await reopen();
        expect((await again.buyer('C1', 'alice'))!.orderLimit).toBe('1000');
        expect((await again.settings('C1')).defaultRole).toBe('APPROVER');
        expect((await again.rules('C1')).map((r) => r.id)).toEqual(['r1']);
        expect((await again.pendingFlows('C1', { limit: 5 })).map((f) => f.orderId)).toEqual(['ord_0001']);
        await again.close();
        await store.close();
      });
  });
}
