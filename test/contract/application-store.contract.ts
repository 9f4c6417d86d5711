/**
 * The ApplicationStore conformance suite: memory, SQLite and Redis keep company applications and
 * their outbox alike, with the order queue's lease rules. `create` returns a fresh, empty store;
 * `reopen` (where the store is durable) the same store as a restarted process would open it.
 */
import { describe, expect, it } from 'vitest';
import type { ApplicationInput, ApplicationStore } from '../../src/ports/application-store.ts';

const T0 = Date.parse('2026-11-29T10:00:00Z');
const LEASE = { limit: 10, leaseMs: 30_000 };

export function application(name = 'Wayne Fabrication LLC'): ApplicationInput {
  return {
    companyName: name,
    taxId: '12-3456789',
    addresses: [{ name: 'Head office', line1: '1007 Mountain Dr', line2: null, city: 'Gotham', region: 'NJ', postalCode: '07001', country: 'US' }],
    contact: { name: 'Lucius Fox', email: 'lucius@wayne.example', subject: 'lucius' },
  };
}

export interface ApplicationStoreUnderTest {
  store: ApplicationStore;
  reopen?: () => Promise<ApplicationStore>;
}

export function runApplicationStoreContract(name: string, create: () => Promise<ApplicationStoreUnderTest>): void {
  describe(`ApplicationStore contract: ${name}`, () => {
    async function approved(store: ApplicationStore, now = T0) {
      const app = await store.insert(application(), { applicant: 'lucius', now });
      return (await store.review(app.id, { decision: 'APPROVE', by: 'ops' }, now))!;
    }

    it('keeps an application as submitted, SUBMITTED, and lists it by status and by applicant', async () => {
      const { store } = await create();
      const a = await store.insert(application('A Corp'), { applicant: 'alice', now: T0 });
      const b = await store.insert(application('B Corp'), { applicant: 'bob', now: T0 + 1 });
      expect(a).toMatchObject({ status: 'SUBMITTED', applicant: 'alice', companyName: 'A Corp', customerId: null, attempts: 0, inDoubt: false });
      expect(a.submittedAt).toBe(new Date(T0).toISOString());
      expect(b.seq).toBeGreaterThan(a.seq);
      expect(await store.get(a.id)).toEqual(a);
      expect(await store.get('app-nope')).toBeNull();
      expect((await store.list({ status: 'SUBMITTED', limit: 10 })).applications.map((x) => x.id)).toEqual([a.id, b.id]);
      expect((await store.listByApplicant('bob', { limit: 10 })).map((x) => x.id)).toEqual([b.id]);
      expect((await store.list({ status: 'APPROVED', limit: 10 })).applications).toEqual([]);
    });

    it('pages oldest first: hasMore, then the rest after the last sequence', async () => {
      const { store } = await create();
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await store.insert(application(`Co ${i}`), { applicant: 'a', now: T0 + i })).id);
      const first = await store.list({ limit: 3 });
      expect(first.applications.map((x) => x.id)).toEqual(ids.slice(0, 3));
      expect(first.hasMore).toBe(true);
      const rest = await store.list({ limit: 3, afterSeq: first.applications[2]!.seq });
      expect(rest.applications.map((x) => x.id)).toEqual(ids.slice(3));
      expect(rest.hasMore).toBe(false);
    });

    it('review: approve or reject a submitted application once; nothing else moves', async () => {
      const { store } = await create();
      const a = await store.insert(application(), { applicant: 'a', now: T0 });
      const b = await store.insert(application(), { applicant: 'a', now: T0 });
      const rejected = await store.review(a.id, { decision: 'REJECT', by: 'ops1', reason: 'Unknown tax id' }, T0 + 5);
      expect(rejected).toMatchObject({ status: 'REJECTED', reviewedBy: 'ops1', rejectionReason: 'Unknown tax id' });
      expect(await store.review(a.id, { decision: 'APPROVE', by: 'ops1' }, T0 + 6)).toBeNull();
      const ok = await store.review(b.id, { decision: 'APPROVE', by: 'ops2' }, T0 + 7);
      expect(ok).toMatchObject({ status: 'APPROVED', reviewedBy: 'ops2', nextAttemptAt: T0 + 7 });
      expect(await store.review(b.id, { decision: 'REJECT', by: 'ops2', reason: 'x' }, T0 + 8)).toBeNull();
      expect(await store.review('app-nope', { decision: 'APPROVE', by: 'ops' }, T0)).toBeNull();
    });

    it('leases due approved applications once, counting attempts; a lease excludes others until it ends', async () => {
      const { store } = await create();
      const app = await approved(store);
      await store.insert(application(), { applicant: 'x', now: T0 }); // submitted: never leased
      const [leased] = await store.lease('w1', { now: T0, ...LEASE });
      expect(leased).toMatchObject({ id: app.id, attempts: 1, inDoubt: false });
      expect(await store.lease('w2', { now: T0 + 1, ...LEASE })).toEqual([]);
      // The holder died without sending: back as it was, not in doubt.
      const [again] = await store.lease('w2', { now: T0 + 30_000, ...LEASE });
      expect(again).toMatchObject({ id: app.id, attempts: 2, inDoubt: false, sentBefore: null });
    });

    it('a holder that began sending and died leaves the application in doubt, sentBefore at its lease end', async () => {
      const { store } = await create();
      const app = await approved(store);
      await store.lease('w1', { now: T0, ...LEASE });
      expect(await store.markSending(app.id, 'w1', T0 + 30_000)).toBe(true);
      expect(await store.markSending(app.id, 'w2', T0 + 30_000)).toBe(false);
      const [taken] = await store.lease('w2', { now: T0 + 40_000, ...LEASE });
      expect(taken).toMatchObject({ inDoubt: true, sentBefore: T0 + 30_000, attempts: 2 });
      expect(await store.markSending(app.id, 'w1', T0 + 70_000)).toBe(false);
    });

    it('markRetry: due again later, in doubt as told, sentBefore only raised; a former holder changes nothing', async () => {
      const { store } = await create();
      const app = await approved(store);
      await store.lease('w1', { now: T0, ...LEASE });
      await store.markRetry(app.id, { error: 'ERP down', nextAttemptAt: T0 + 5000, inDoubt: true, sentBefore: T0 + 100, owner: 'w1' }, T0 + 100);
      expect(await store.get(app.id)).toMatchObject({
        status: 'APPROVED',
        inDoubt: true,
        sentBefore: T0 + 100,
        lastError: 'ERP down',
        nextAttemptAt: T0 + 5000,
      });
      expect(await store.lease('w1', { now: T0 + 4999, ...LEASE })).toEqual([]);
      await store.lease('w2', { now: T0 + 5000, ...LEASE });
      await store.markRetry(app.id, { error: 'late', nextAttemptAt: T0, inDoubt: false, owner: 'w1' }, T0 + 5001);
      expect(await store.get(app.id)).toMatchObject({ lastError: 'ERP down', inDoubt: true });
      await store.markRetry(app.id, { error: 'again', nextAttemptAt: T0 + 6000, inDoubt: true, sentBefore: T0 + 50, owner: 'w2' }, T0 + 5002);
      expect(await store.get(app.id)).toMatchObject({ sentBefore: T0 + 100, lastError: 'again' });
    });

    it('markCreated: CREATED with the customer id, out of the outbox for good', async () => {
      const { store } = await create();
      const app = await approved(store);
      await store.lease('w1', { now: T0, ...LEASE });
      await store.markCreated(app.id, 'C0201', T0 + 10);
      expect(await store.get(app.id)).toMatchObject({
        status: 'CREATED',
        customerId: 'C0201',
        inDoubt: false,
        createdInErpAt: new Date(T0 + 10).toISOString(),
      });
      expect(await store.lease('w1', { now: T0 + 10_000_000, ...LEASE })).toEqual([]);
      expect((await store.list({ status: 'CREATED', limit: 5 })).applications.map((a) => a.id)).toEqual([app.id]);
      expect((await store.list({ status: 'APPROVED', limit: 5 })).applications).toEqual([]);
    });

    it('markErpRefused: ERP_REFUSED with the reason; approving it again puts it back in the outbox', async () => {
      const { store } = await create();
      const app = await approved(store);
      await store.lease('w1', { now: T0, ...LEASE });
      await store.markErpRefused(app.id, { reason: 'UNKNOWN_PRICE_LIST', message: 'No price list PL-X' }, T0 + 1);
      expect(await store.get(app.id)).toMatchObject({ status: 'ERP_REFUSED', erpRefusal: { reason: 'UNKNOWN_PRICE_LIST' } });
      expect(await store.lease('w1', { now: T0 + 100_000, ...LEASE })).toEqual([]);
      expect(await store.review(app.id, { decision: 'APPROVE', by: 'ops' }, T0 + 2)).toMatchObject({ status: 'APPROVED', attempts: 0, erpRefusal: null });
      expect((await store.lease('w1', { now: T0 + 2, ...LEASE })).map((a) => a.id)).toEqual([app.id]);
    });

    it('two holders leasing at once: each application goes to one of them', async () => {
      const { store } = await create();
      const apps = [];
      for (let i = 0; i < 6; i++) apps.push((await approved(store)).id);
      const [a, b] = await Promise.all([store.lease('w1', { now: T0, ...LEASE }), store.lease('w2', { now: T0, ...LEASE })]);
      const ids = [...a, ...b].map((x) => x.id).sort();
      expect(ids).toEqual([...apps].sort());
    });

    it('releaseLeases: what a dead self was sending comes back in doubt, the rest as it was', async () => {
      const under = await create();
      const { store } = under;
      const sending = await approved(store);
      const idle = await approved(store);
      await store.lease('dead', { now: T0, ...LEASE });
      await store.markSending(sending.id, 'dead', T0 + 30_000);
      const reopened = under.reopen ? await under.reopen() : store;
      expect(await reopened.releaseLeases(T0 + 1000)).toBe(2);
      expect(await reopened.get(sending.id)).toMatchObject({ inDoubt: true, sentBefore: T0 + 1000 });
      expect(await reopened.get(idle.id)).toMatchObject({ inDoubt: false, sentBefore: null });
      expect((await reopened.lease('alive', { now: T0 + 1000, ...LEASE })).map((a) => a.id).sort()).toEqual([sending.id, idle.id].sort());
    });
  });
}
