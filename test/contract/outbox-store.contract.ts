/**
 * The OutboxStore conformance suite: memory, SQLite and Redis keep ERP writes (quotes, returns)
 * alike, with the order queue's lease rules. `create` returns a fresh, empty store; `reopen`
 * (where the store is durable) the same store as a restarted process would open it.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxStore, OutboxWrite } from '../../src/ports/outbox-store.ts';

const T0 = Date.parse('2026-11-29T10:00:00Z');
const LEASE = { limit: 10, leaseMs: 30_000 };

export function quoteWrite(customerId = 'C0001'): OutboxWrite {
  return { kind: 'quote.create', customerId, payload: { note: 'For the spring build', lines: [{ sku: 'FAS-001', quantity: 500 }] } };
}

export interface OutboxStoreUnderTest {
  store: OutboxStore;
  reopen?: () => Promise<OutboxStore>;
}

export function runOutboxStoreContract(name: string, create: () => Promise<OutboxStoreUnderTest>): void {
  describe(`OutboxStore contract: ${name}`, () => {
    let n = 0;
    const enqueue = async (store: OutboxStore, write = quoteWrite(), now = T0) =>
      (await store.enqueue(write, { id: `w-${++n}-${Math.random().toString(36).slice(2)}`, createdBy: 'bea', now })).entry;

    it('keeps a write as given, PENDING and due now; the same id again leaves the first as it was', async () => {
      const { store } = await create();
      const first = await store.enqueue(quoteWrite(), { id: 'q-1', createdBy: 'bea', now: T0 });
      expect(first.created).toBe(true);
      expect(first.entry).toMatchObject({ id: 'q-1', kind: 'quote.create', customerId: 'C0001', status: 'PENDING', createdBy: 'bea', attempts: 0 });
      expect(first.entry.payload).toEqual(quoteWrite().payload);
      expect(first.entry.nextAttemptAt).toBe(T0);
      const again = await store.enqueue({ ...quoteWrite(), payload: { other: true } }, { id: 'q-1', createdBy: 'eve', now: T0 + 5 });
      expect(again.created).toBe(false);
      expect(again.entry).toEqual(first.entry);
      expect(await store.get('q-1')).toEqual(first.entry);
      expect(await store.get('q-nope')).toBeNull();
    });

    it("lists a customer's entries of one kind, newest first, paged by sequence; never another customer's or kind's", async () => {
      const { store } = await create();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await enqueue(store, quoteWrite('C0001'), T0 + i)).id);
      await enqueue(store, quoteWrite('C0002'));
      await enqueue(store, { ...quoteWrite('C0001'), kind: 'return.create' });
      const first = await store.listByCustomer('quote.create', 'C0001', { limit: 3 });
      expect(first.entries.map((e) => e.id)).toEqual(ids.slice(2).reverse());
      expect(first.hasMore).toBe(true);
      const rest = await store.listByCustomer('quote.create', 'C0001', { limit: 3, beforeSeq: first.entries[2]!.seq });
      expect(rest.entries.map((e) => e.id)).toEqual(ids.slice(0, 2).reverse());
      expect(rest.hasMore).toBe(false);
      expect((await store.listByCustomer('quote.create', 'C0003', { limit: 3 })).entries).toEqual([]);
    });

    it('leases due entries once, counting attempts; a lease excludes others until it ends', async () => {
      const { store } = await create();
      const entry = await enqueue(store);
      const [leased] = await store.lease('w1', { now: T0, ...LEASE });
      expect(leased).toMatchObject({ id: entry.id, attempts: 1, inDoubt: false });
      expect(await store.lease('w2', { now: T0 + 1, ...LEASE })).toEqual([]);
      // The holder died without sending: back as it was, not in doubt.
      const [again] = await store.lease('w2', { now: T0 + 30_000, ...LEASE });
      expect(again).toMatchObject({ id: entry.id, attempts: 2, inDoubt: false, sentBefore: null });
    });

    it('a holder that began sending and died leaves the entry in doubt, sentBefore at its lease end', async () => {
      const { store } = await create();
      const entry = await enqueue(store);
      await store.lease('w1', { now: T0, ...LEASE });
      expect(await store.markSending(entry.id, 'w1', T0 + 30_000)).toBe(true);
      expect(await store.markSending(entry.id, 'w2', T0 + 30_000)).toBe(false);
      const [taken] = await store.lease('w2', { now: T0 + 40_000, ...LEASE });
      expect(taken).toMatchObject({ inDoubt: true, sentBefore: T0 + 30_000, attempts: 2 });
      expect(await store.markSending(entry.id, 'w1', T0 + 70_000)).toBe(false);
    });

    it('markRetry: due again later, in doubt as told, sentBefore only raised; a former holder changes nothing', async () => {
      const { store } = await create();
      const entry = await enqueue(store);
      await store.lease('w1', { now: T0, ...LEASE });
      await store.markRetry(entry.id, { error: 'ERP down', nextAttemptAt: T0 + 5000, inDoubt: true, sentBefore: T0 + 100, owner: 'w1' }, T0 + 100);
      expect(await store.get(entry.id)).toMatchObject({
        status: 'PENDING',
        inDoubt: true,
        sentBefore: T0 + 100,
        lastError: 'ERP down',
        nextAttemptAt: T0 + 5000,
      });
      expect(await store.lease('w1', { now: T0 + 4999, ...LEASE })).toEqual([]);
      await store.lease('w2', { now: T0 + 5000, ...LEASE });
      await store.markRetry(entry.id, { error: 'late', nextAttemptAt: T0, inDoubt: false, owner: 'w1' }, T0 + 5001);
      expect(await store.get(entry.id)).toMatchObject({ lastError: 'ERP down', inDoubt: true });
      await store.markRetry(entry.id, { error: 'again', nextAttemptAt: T0 + 6000, inDoubt: true, sentBefore: T0 + 50, owner: 'w2' }, T0 + 5002);
      expect(await store.get(entry.id)).toMatchObject({ sentBefore: T0 + 100, lastError: 'again' });
    });

    it('markDone: DONE with what the ERP answered, out of the outbox for good', async () => {
      const { store } = await create();
      const entry = await enqueue(store);
      await store.lease('w1', { now: T0, ...LEASE });
      await store.markDone(entry.id, { erpQuoteNumber: 'QT-000001' }, T0 + 10);
      expect(await store.get(entry.id)).toMatchObject({
        status: 'DONE',
        result: { erpQuoteNumber: 'QT-000001' },
        inDoubt: false,
        doneAt: new Date(T0 + 10).toISOString(),
      });
      expect(await store.lease('w1', { now: T0 + 10_000_000, ...LEASE })).toEqual([]);
      await store.markRetry(entry.id, { error: 'late', nextAttemptAt: T0, inDoubt: true }, T0 + 11);
      expect(await store.get(entry.id)).toMatchObject({ status: 'DONE', lastError: null });
    });

    it('markRefused: REFUSED with the reason, final', async () => {
      const { store } = await create();
      const entry = await enqueue(store);
      await store.lease('w1', { now: T0, ...LEASE });
      await store.markRefused(entry.id, { reason: 'UNKNOWN_SKU', message: 'No item FAS-999' }, T0 + 1);
      expect(await store.get(entry.id)).toMatchObject({ status: 'REFUSED', refusal: { reason: 'UNKNOWN_SKU' }, inDoubt: false });
      expect(await store.lease('w1', { now: T0 + 100_000, ...LEASE })).toEqual([]);
      await store.markDone(entry.id, { x: 1 }, T0 + 2);
      expect((await store.get(entry.id))!.status).toBe('REFUSED');
    });

    it('two holders leasing at once: each entry goes to one of them', async () => {
      const { store } = await create();
      const ids = [];
      for (let i = 0; i < 6; i++) ids.push((await enqueue(store)).id);
      const [a, b] = await Promise.all([store.lease('w1', { now: T0, ...LEASE }), store.lease('w2', { now: T0, ...LEASE })]);
      expect([...a, ...b].map((x) => x.id).sort()).toEqual([...ids].sort());
    });

    it('two requests enqueueing one id at once: one entry, one of them created it', async () => {
      const { store } = await create();
      const results = await Promise.all([1, 2, 3].map((i) => store.enqueue(quoteWrite(), { id: 'q-race', createdBy: `b${i}`, now: T0 })));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.entry.seq)).size).toBe(1);
      expect((await store.listByCustomer('quote.create', 'C0001', { limit: 10 })).entries.map((e) => e.id)).toEqual(['q-race']);
    });

    it('releaseLeases: what a dead self was sending comes back in doubt, the rest as it was', async () => {
      const under = await create();
      const { store } = under;
      const sending = await enqueue(store);
      const idle = await enqueue(store);
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
