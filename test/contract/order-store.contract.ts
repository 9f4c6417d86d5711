/**
 * The order store contract: every adapter (SQLite now; Redis and Durable Objects later) runs it.
 */
import { describe, expect, it } from 'vitest';
import type { NewOrder, OrderStore } from '../../src/ports/order-store.ts';
import { ExposureChangedError, IdempotencyClaimLostError } from '../../src/ports/store-error.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');

function newOrder(id: string, customerId = 'C0001', overrides: Partial<NewOrder> = {}): NewOrder {
  return {
    id,
    customerId,
    status: 'QUEUED',
    request: {
      externalRef: id,
      customerId,
      poNumber: 'PO-1',
      shipToId: `${customerId}-ST1`,
      requestedDate: null,
      currency: 'USD',
      payment: { method: 'ON_ACCOUNT' },
      notes: null,
      lines: [{ sku: 'SKU-00001', quantity: 2, unitPrice: '10.00', unitOfMeasure: 'EA' }],
    },
    total: '20.00',
    currency: 'USD',
    placedBy: 'buyer@C0001',
    creditDecision: { decision: 'APPROVE', reason: null },
    idempotencyKey: null,
    ...overrides,
  };
}

export function runOrderStoreContract(name: string, create: () => Promise<{ store: OrderStore; reopen?: () => Promise<OrderStore> }>) {
  describe(`OrderStore contract: ${name}`, () => {
    const claim = (claimId: string) => ({ now: T0, ttlMs: 86_400_000, staleAfterMs: 60_000, claimId });

    it('keeps an order with everything it was given', async () => {
      const { store } = await create();
      const saved = await store.insert(newOrder('ord_1'), { now: T0 });
      expect(saved).toMatchObject({ id: 'ord_1', status: 'QUEUED', total: '20.00', attempts: 0, erpOrderNumber: null, createdAt: '2026-11-23T10:00:00.000Z' });
      expect(await store.get('ord_1')).toEqual(saved);
      expect(await store.get('nope')).toBeNull();
    });

    it("keeps the mark of an order a sales rep placed on the customer's behalf; a buyer's own has none", async () => {
      const { store } = await create();
      const forCustomer = await store.insert(newOrder('ord_rep', 'C0001', { placedBy: 'maria@reps', onBehalf: { repId: 'R01' } }), { now: T0 });
      expect(forCustomer).toMatchObject({ placedBy: 'maria@reps', onBehalf: { repId: 'R01' } });
      expect(await store.get('ord_rep')).toEqual(forCustomer);
      expect((await store.listByCustomer('C0001', { limit: 10 })).find((o) => o.id === 'ord_rep')?.onBehalf).toEqual({ repId: 'R01' });
      expect((await store.insert(newOrder('ord_own'), { now: T0 })).onBehalf).toBeNull();
      expect((await store.get('ord_own'))?.onBehalf).toBeNull();
    });

    it('survives closing and reopening (durability)', async () => {
      const { store, reopen } = await create();
      if (!reopen) return;
      await store.insert(newOrder('ord_durable'), { now: T0 });
      await store.close();
      const again = await reopen();
      expect((await again.get('ord_durable'))?.status).toBe('QUEUED');
    });

    it('idempotency: first claim wins, same payload returns the order, another payload is a mismatch, a running one is in use', async () => {
      const { store } = await create();
      expect(await store.claimIdempotencyKey('C0001:k1', 'hash-a', claim('a'))).toEqual({ kind: 'claimed' });
      expect(await store.claimIdempotencyKey('C0001:k1', 'hash-a', claim('b'))).toEqual({ kind: 'in_use' });
      expect(await store.claimIdempotencyKey('C0001:k1', 'hash-b', claim('c'))).toEqual({ kind: 'mismatch' });
      await store.insert(newOrder('ord_k1', 'C0001', { idempotencyKey: 'k1' }), { now: T0, idempotency: { key: 'C0001:k1', claimId: 'a' } });
      expect(await store.claimIdempotencyKey('C0001:k1', 'hash-a', claim('d'))).toEqual({ kind: 'completed', orderId: 'ord_k1' });
      expect(await store.claimIdempotencyKey('C0001:k1', 'hash-b', claim('e'))).toEqual({ kind: 'mismatch' });
    });

    it('idempotency: a released key can be used again; a stale claim is taken over; expired keys are purged', async () => {
      const { store } = await create();
      await store.claimIdempotencyKey('C0001:k2', 'h', claim('a'));
      await store.releaseIdempotencyKey('C0001:k2', 'a');
      expect(await store.claimIdempotencyKey('C0001:k2', 'other', claim('b'))).toEqual({ kind: 'claimed' });
      expect(await store.claimIdempotencyKey('C0001:k2', 'other', { ...claim('c'), now: T0 + 61_000 })).toEqual({ kind: 'claimed' });
      expect(await store.purgeExpiredKeys(T0 + 2 * 86_400_000)).toBeGreaterThanOrEqual(1);
      expect(await store.claimIdempotencyKey('C0001:k2', 'new', { ...claim('d'), now: T0 + 2 * 86_400_000 })).toEqual({ kind: 'claimed' });
    });

    it('idempotency: only the claim that holds a key releases or completes it, so a key never makes two orders', async () => {
      const { store } = await create();
      await store.claimIdempotencyKey('C0001:k3', 'h', claim('slow'));
      // The slow request's claim goes stale and a retry takes the key over.
      expect(await store.claimIdempotencyKey('C0001:k3', 'h', { ...claim('retry'), now: T0 + 61_000 })).toEqual({ kind: 'claimed' });
      // A late release by the slow request leaves the retry's claim alone...
      await store.releaseIdempotencyKey('C0001:k3', 'slow');
      expect(await store.claimIdempotencyKey('C0001:k3', 'h', { ...claim('third'), now: T0 + 62_000 })).toEqual({ kind: 'in_use' });
      // ...and its late write is refused with nothing written.
      const late = await store.insert(newOrder('ord_slow'), { now: T0 + 62_000, idempotency: { key: 'C0001:k3', claimId: 'slow' } }).catch((e: unknown) => e);
      expect(late).toBeInstanceOf(IdempotencyClaimLostError);
      expect(await store.get('ord_slow')).toBeNull();
      await store.insert(newOrder('ord_retry'), { now: T0 + 62_000, idempotency: { key: 'C0001:k3', claimId: 'retry' } });
      expect(await store.claimIdempotencyKey('C0001:k3', 'h', { ...claim('fourth'), now: T0 + 63_000 })).toEqual({ kind: 'completed', orderId: 'ord_retry' });
      // A completed key is never released.
      await store.releaseIdempotencyKey('C0001:k3', 'retry');
      expect(await store.claimIdempotencyKey('C0001:k3', 'h', { ...claim('fifth'), now: T0 + 64_000 })).toEqual({ kind: 'completed', orderId: 'ord_retry' });
    });

    it('leases only the oldest queued order of each customer, and counts the attempt', async () => {
      const { store } = await create();
      await store.insert(newOrder('a1', 'CA'), { now: T0 });
      await store.insert(newOrder('b1', 'CB'), { now: T0 });
      await store.insert(newOrder('a2', 'CA'), { now: T0 });
      const leased = await store.lease('me', { now: T0, limit: 10, leaseMs: 30_000 });
      expect(leased.map((o) => o.id)).toEqual(['a1', 'b1']);
      expect(leased.every((o) => o.attempts === 1)).toBe(true);
      // Leased orders are not handed out again until the lease runs out.
      expect(await store.lease('other', { now: T0 + 1000, limit: 10, leaseMs: 30_000 })).toEqual([]);
      expect((await store.lease('other', { now: T0 + 31_000, limit: 10, leaseMs: 30_000 })).map((o) => o.id)).toEqual(['a1', 'b1']);
    });

    it('moves the queue on: submitted, retried later, rejected to the dead letters', async () => {
      const { store } = await create();
      for (const id of ['x1', 'x2', 'x3']) await store.insert(newOrder(id, id), { now: T0 });
      await store.lease('me', { now: T0, limit: 10, leaseMs: 30_000 });
      await store.markSubmitted('x1', 'SO-1', T0 + 10);
      await store.markRetry('x2', { error: 'ERP down', nextAttemptAt: T0 + 5000, inDoubt: false }, T0 + 10);
      await store.markRejected('x3', { reason: 'CREDIT_HOLD', message: 'on hold' }, T0 + 10);
      expect(await store.get('x1')).toMatchObject({ status: 'SUBMITTED', erpOrderNumber: 'SO-1', submittedAt: '2026-11-23T10:00:00.010Z' });
      expect(await store.get('x3')).toMatchObject({ status: 'REJECTED', rejection: { reason: 'CREDIT_HOLD' } });
      expect(await store.lease('me', { now: T0 + 100, limit: 10, leaseMs: 30_000 })).toEqual([]);
      expect((await store.lease('me', { now: T0 + 5000, limit: 10, leaseMs: 30_000 })).map((o) => o.id)).toEqual(['x2']);
      expect(await store.queueStats(T0 + 60_000)).toEqual({ depth: 1, oldestAgeSeconds: 60, deadLetters: 1 });
    });

    it('marks an order in doubt when its holder had begun sending it and left no verdict (lease ran out, or releaseLeases); not when it had not', async () => {
      const { store } = await create();
      await store.insert(newOrder('d1', 'CD'), { now: T0 });
      await store.insert(newOrder('d2', 'CE'), { now: T0 });
      await store.insert(newOrder('d3', 'CF'), { now: T0 });
      const [first] = await store.lease('me', { now: T0, limit: 1, leaseMs: 1000 });
      expect(first).toMatchObject({ id: 'd1', inDoubt: false });
      expect(await store.markSending('d1', 'me', T0 + 1000)).toBe(true);
      // The holder died mid-send: the lease runs out, the next lease finds the order in doubt.
      expect((await store.lease('other', { now: T0 + 2000, limit: 1, leaseMs: 1000 }))[0]).toMatchObject({ id: 'd1', inDoubt: true, attempts: 2 });
      // The dead holder, should it wake up, can neither send nor record anything any more.
      expect(await store.markSending('d1', 'me', T0 + 2500)).toBe(false);
      await store.markRetry('d1', { error: 'late', nextAttemptAt: T0 + 99_000, inDoubt: false, owner: 'me' }, T0 + 2001);
      expect(await store.get('d1')).toMatchObject({ inDoubt: true, nextAttemptAt: T0 });
      await store.markRetry('d1', { error: 'x', nextAttemptAt: T0, inDoubt: false, owner: 'other' }, T0 + 2001);
      expect((await store.get('d1'))?.inDoubt).toBe(false);
      // A holder that died before it began to send leaves the order as it was: not in doubt.
      const leased = await store.lease('me', { now: T0 + 3000, limit: 5, leaseMs: 1000 });
      expect(leased.map((o) => o.id).sort()).toEqual(['d1', 'd2', 'd3']);
      expect(await store.markSending('d2', 'me', T0 + 4000)).toBe(true);
      expect((await store.lease('other', { now: T0 + 5000, limit: 5, leaseMs: 1000 })).map((o) => [o.id, o.inDoubt]).sort()).toEqual([
        ['d1', false],
        ['d2', true],
        ['d3', false],
      ]);
      // A restart: the same rule for the leases of the dead process.
      await store.markSending('d3', 'other', T0 + 6000);
      expect(await store.releaseLeases(T0 + 5500)).toBe(3);
      expect(await store.get('d3')).toMatchObject({ inDoubt: true, sentBefore: T0 + 5500 });
      expect((await store.get('d1'))?.inDoubt).toBe(false);
    });

    it('remembers before when earlier attempts were sent: raised by an attempt in doubt, by a holder that died mid-send, by a restart; never lowered', async () => {
      const { store } = await create();
      await store.insert(newOrder('s1'), { now: T0 });
      expect((await store.lease('me', { now: T0, limit: 1, leaseMs: 10_000 }))[0]).toMatchObject({ id: 's1', sentBefore: null });
      // A timeout: the attempt is over, whatever it sent it sent before T0 + 5000.
      await store.markSending('s1', 'me', T0 + 10_000);
      await store.markRetry('s1', { error: 'timeout', nextAttemptAt: T0, inDoubt: true, sentBefore: T0 + 5000 }, T0 + 5000);
      expect(await store.get('s1')).toMatchObject({ inDoubt: true, sentBefore: T0 + 5000 });
      // A lookup that failed sent nothing: it leaves the bound alone, and an earlier one never lowers it.
      await store.lease('me', { now: T0 + 6000, limit: 1, leaseMs: 10_000 });
      await store.markRetry('s1', { error: 'lookup failed', nextAttemptAt: T0, inDoubt: true }, T0 + 6500);
      expect((await store.get('s1'))?.sentBefore).toBe(T0 + 5000);
      await store.lease('me', { now: T0 + 7000, limit: 1, leaseMs: 10_000 });
      await store.markRetry('s1', { error: 'x', nextAttemptAt: T0, inDoubt: true, sentBefore: T0 + 1 }, T0 + 7001);
      expect((await store.get('s1'))?.sentBefore).toBe(T0 + 5000);
      // The holder dies mid-call: whoever leases it next sees the end of that lease as the bound.
      await store.lease('dead', { now: T0 + 8000, limit: 1, leaseMs: 10_000 });
      await store.markSending('s1', 'dead', T0 + 18_000);
      expect((await store.lease('next', { now: T0 + 18_001, limit: 1, leaseMs: 10_000 }))[0]).toMatchObject({
        id: 's1',
        inDoubt: true,
        sentBefore: T0 + 18_000,
      });
      // A restart after a crash: every send of the dead process happened before now.
      await store.markSending('s1', 'next', T0 + 28_001);
      expect(await store.releaseLeases(T0 + 20_000)).toBe(1);
      expect(await store.get('s1')).toMatchObject({ inDoubt: true, sentBefore: T0 + 20_000 });
    });

    it('a running request renews its claim; a claim nobody renews is taken over once stale', async () => {
      const { store } = await create();
      const at = (now: number, claimId: string) => ({ now, ttlMs: 86_400_000, staleAfterMs: 10_000, claimId });
      expect(await store.claimIdempotencyKey('C0001:r', 'h', at(T0, 'a'))).toEqual({ kind: 'claimed' });
      expect(await store.renewIdempotencyClaim('C0001:r', 'a', T0 + 8000)).toBe(true);
      expect(await store.claimIdempotencyKey('C0001:r', 'h', at(T0 + 12_000, 'b'))).toEqual({ kind: 'in_use' });
      // Its holder stopped renewing (died): 10 s after the last renewal a retry takes it over.
      expect(await store.claimIdempotencyKey('C0001:r', 'h', at(T0 + 18_001, 'b'))).toEqual({ kind: 'claimed' });
      expect(await store.renewIdempotencyClaim('C0001:r', 'a', T0 + 18_002)).toBe(false);
      await expect(store.insert(newOrder('ord_r'), { now: T0 + 18_003, idempotency: { key: 'C0001:r', claimId: 'a' } })).rejects.toBeInstanceOf(
        IdempotencyClaimLostError,
      );
    });

    it('schedules a duplicate check with the submission, hands each due check out once per lease, forgets it when done', async () => {
      const { store } = await create();
      await store.insert(newOrder('c1'), { now: T0 });
      await store.insert(newOrder('c2', 'C0002'), { now: T0 });
      await store.lease('me', { now: T0, limit: 5, leaseMs: 10_000 });
      await store.markSubmitted('c1', 'SO-1', T0 + 10, { checkDuplicatesAt: T0 + 5000 });
      await store.markSubmitted('c2', 'SO-2', T0 + 10);
      expect(await store.dueDuplicateChecks(T0 + 4999, { limit: 10, leaseMs: 60_000 })).toEqual([]);
      expect((await store.dueDuplicateChecks(T0 + 5000, { limit: 10, leaseMs: 60_000 })).map((o) => [o.id, o.erpOrderNumber])).toEqual([['c1', 'SO-1']]);
      // Handed out: not again until its lease runs out (the checker died), then again.
      expect(await store.dueDuplicateChecks(T0 + 6000, { limit: 10, leaseMs: 60_000 })).toEqual([]);
      expect((await store.dueDuplicateChecks(T0 + 65_000, { limit: 10, leaseMs: 60_000 })).map((o) => o.id)).toEqual(['c1']);
      await store.finishDuplicateCheck('c1');
      expect(await store.dueDuplicateChecks(T0 + 200_000, { limit: 10, leaseMs: 60_000 })).toEqual([]);
    });

    it('exposure: the running total of queued orders on account, plus those submitted since the ERP figures were read; card orders and holds do not count', async () => {
      const { store } = await create();
      await store.insert(newOrder('p1', 'CP'), { now: T0 });
      await store.insert(newOrder('p2', 'CP', { total: '5.50' }), { now: T0 });
      await store.insert(newOrder('p3', 'CP', { status: 'ON_HOLD' }), { now: T0 });
      const card = newOrder('p4', 'CP', { total: '99.99' });
      await store.insert({ ...card, request: { ...card.request, payment: { method: 'CARD', authorizationRef: 'auth-1' } } }, { now: T0 });
      expect((await store.pendingExposure('CP', '2026-11-23T10:00:00.000Z')).total).toBe('25.5');
      await store.lease('me', { now: T0, limit: 5, leaseMs: 60_000 });
      await store.markSubmitted('p1', 'SO-1', T0 + 5000);
      // Submitted at T0 + 5 s: still exposure for figures read before that, in them after.
      expect((await store.pendingExposure('CP', '2026-11-23T10:00:01.000Z')).total).toBe('25.5');
      expect((await store.pendingExposure('CP', '2026-11-23T10:00:06.000Z')).total).toBe('5.5');
      // A release from review queues the held order; a cancel takes it out again.
      await store.transition('p3', ['ON_HOLD'], 'QUEUED', T0 + 6000);
      expect((await store.pendingExposure('CP', '2026-11-23T10:00:06.000Z')).total).toBe('25.5');
      await store.transition('p3', ['QUEUED'], 'CANCELLED', T0 + 7000);
      await store.lease('me', { now: T0 + 8000, limit: 5, leaseMs: 60_000 });
      await store.markRejected('p2', { reason: 'X', message: 'no' }, T0 + 8000);
      expect((await store.pendingExposure('CP', '2026-11-23T10:00:06.000Z')).total).toBe('0');
      expect(await store.pendingExposure('NOBODY', '2026-11-23T10:00:06.000Z')).toEqual({ total: '0', version: '0' });
    });

    it('exposure: an order waiting for approval counts as a queued one, is never leased, and leaves the exposure when rejected', async () => {
      const { store } = await create();
      await store.insert(newOrder('a1', 'CA', { status: 'PENDING_APPROVAL', total: '1500.00' }), { now: T0 });
      await store.insert(newOrder('a2', 'CA', { status: 'PENDING_APPROVAL', total: '700.25' }), { now: T0 });
      expect((await store.pendingExposure('CA', '2026-11-23T10:00:00.000Z')).total).toBe('2200.25');
      // Not for the ERP until approved: never leased, not in the queue's depth.
      expect(await store.lease('me', { now: T0, limit: 10, leaseMs: 60_000 })).toEqual([]);
      expect((await store.queueStats(T0)).depth).toBe(0);
      const version = (await store.pendingExposure('CA', '2026-11-23T10:00:00.000Z')).version;
      // Approved: queued, still counted once; then leased and submitted like any order.
      await store.transition('a1', ['PENDING_APPROVAL'], 'QUEUED', T0 + 1000);
      const approved = await store.pendingExposure('CA', '2026-11-23T10:00:00.000Z');
      expect(approved.total).toBe('2200.25');
      expect(approved.version).not.toBe(version);
      expect((await store.lease('me', { now: T0 + 1000, limit: 10, leaseMs: 60_000 })).map((o) => o.id)).toEqual(['a1']);
      // Rejected: out of the exposure for good.
      expect((await store.transition('a2', ['PENDING_APPROVAL'], 'APPROVAL_REJECTED', T0 + 2000))!.status).toBe('APPROVAL_REJECTED');
      expect((await store.pendingExposure('CA', '2026-11-23T10:00:00.000Z')).total).toBe('1500');
      expect((await store.listByCustomer('CA', { statuses: ['APPROVAL_REJECTED'], limit: 5 })).map((o) => o.id)).toEqual(['a2']);
    });

    it('re-prices an order waiting for approval (lines, total and its exposure in one step), and no other', async () => {
      const { store } = await create();
      await store.insert(newOrder('r1', 'CR', { status: 'PENDING_APPROVAL', total: '20.00' }), { now: T0 });
      await store.insert(newOrder('r2', 'CR', { total: '20.00' }), { now: T0 });
      const before = await store.pendingExposure('CR', '2026-11-23T10:00:00.000Z');
      expect(before.total).toBe('40');
      const lines = [{ sku: 'SKU-00001', quantity: 2, unitPrice: '12.25', unitOfMeasure: 'EA' }];
      const repriced = await store.repriceWaiting('r1', { lines, total: '24.50' }, T0 + 1000);
      expect(repriced).toMatchObject({ id: 'r1', status: 'PENDING_APPROVAL', total: '24.50', request: { lines } });
      expect((await store.get('r1'))!.request.lines).toEqual(lines);
      const after = await store.pendingExposure('CR', '2026-11-23T10:00:00.000Z');
      expect(after.total).toBe('44.5');
      expect(after.version).not.toBe(before.version);
      // A queued order is not re-priced here; once approved, the new total is what counts.
      expect(await store.repriceWaiting('r2', { lines, total: '1.00' }, T0)).toBeNull();
      expect(await store.repriceWaiting('nope', { lines, total: '1.00' }, T0)).toBeNull();
      await store.transition('r1', ['PENDING_APPROVAL'], 'QUEUED', T0 + 2000);
      expect((await store.pendingExposure('CR', '2026-11-23T10:00:00.000Z')).total).toBe('44.5');
    });

    it('exposure: an insert against a version the customer has moved past writes nothing (the credit decision is taken again)', async () => {
      const { store } = await create();
      const seen = await store.pendingExposure('CV', '2026-11-23T10:00:00.000Z');
      const other = await store.pendingExposure('CW', '2026-11-23T10:00:00.000Z');
      await store.insert(newOrder('v1', 'CV'), { now: T0, exposureVersion: seen.version });
      // Another customer's version is its own.
      await store.insert(newOrder('w1', 'CW'), { now: T0, exposureVersion: other.version });
      // A second decision taken on the same, now old, figures is refused.
      await expect(store.insert(newOrder('v2', 'CV'), { now: T0, exposureVersion: seen.version })).rejects.toBeInstanceOf(ExposureChangedError);
      expect(await store.get('v2')).toBeNull();
      const now = await store.pendingExposure('CV', '2026-11-23T10:00:00.000Z');
      expect(now.version).not.toBe(seen.version);
      expect(now.total).toBe('20');
      await store.insert(newOrder('v2', 'CV'), { now: T0, exposureVersion: now.version });
      // Moving an order (the dispatcher submitting it) moves the version too.
      const before = await store.pendingExposure('CV', '2026-11-23T10:00:00.000Z');
      await store.lease('me', { now: T0, limit: 5, leaseMs: 60_000 });
      await store.markSubmitted('v1', 'SO-1', T0 + 1);
      await expect(store.insert(newOrder('v3', 'CV'), { now: T0, exposureVersion: before.version })).rejects.toBeInstanceOf(ExposureChangedError);
    });

    it('replays a dead letter from scratch, cancels only what has not reached the ERP', async () => {
      const { store } = await create();
      await store.insert(newOrder('r1'), { now: T0 });
      await store.lease('me', { now: T0, limit: 1, leaseMs: 30_000 });
      await store.markSending('r1', 'me', T0 + 30_000);
      await store.markRejected('r1', { reason: 'X', message: 'no' }, T0);
      const replayed = await store.transition('r1', ['REJECTED'], 'QUEUED', T0 + 1);
      expect(replayed).toMatchObject({ status: 'QUEUED', attempts: 0, rejection: null });
      // The refusal was an answer: the replay is not in doubt, and sends at once.
      expect((await store.lease('me', { now: T0 + 2, limit: 1, leaseMs: 30_000 }))[0]).toMatchObject({ id: 'r1', inDoubt: false, sentBefore: null });
      await store.markSubmitted('r1', 'SO-9', T0 + 3);
      expect(await store.transition('r1', ['QUEUED', 'ON_HOLD', 'REJECTED'], 'CANCELLED', T0 + 4)).toBeNull();
      expect((await store.get('r1'))?.status).toBe('SUBMITTED');
    });

    it('lists the orders of a status placed since a time, newest first, in pages', async () => {
      const { store } = await create();
      for (const [i, id] of ['n1', 'n2', 'n3', 'n4'].entries()) await store.insert(newOrder(id, `CN${i}`), { now: T0 + i * 1000 });
      await store.lease('me', { now: T0 + 5000, limit: 10, leaseMs: 30_000 });
      for (const id of ['n1', 'n2', 'n3']) await store.markSubmitted(id, `SO-${id}`, T0 + 6000);
      expect((await store.listRecent('SUBMITTED', { since: T0, limit: 10 })).map((o) => o.id)).toEqual(['n3', 'n2', 'n1']);
      // Placed before `since`: not listed.
      expect((await store.listRecent('SUBMITTED', { since: T0 + 1000, limit: 10 })).map((o) => o.id)).toEqual(['n3', 'n2']);
      const first = await store.listRecent('SUBMITTED', { since: T0, limit: 2 });
      expect(first.map((o) => o.id)).toEqual(['n3', 'n2']);
      expect((await store.listRecent('SUBMITTED', { since: T0, limit: 2, beforeSeq: first.at(-1)!.seq })).map((o) => o.id)).toEqual(['n1']);
      expect((await store.listRecent('QUEUED', { since: T0, limit: 10 })).map((o) => o.id)).toEqual(['n4']);
    });

    it('queues an order the ERP lost again, in doubt since now; only a SUBMITTED one', async () => {
      const { store } = await create();
      await store.insert(newOrder('q1', 'CQ'), { now: T0 });
      await store.insert(newOrder('q2', 'CR'), { now: T0 });
      await store.lease('me', { now: T0, limit: 10, leaseMs: 30_000 });
      await store.markSubmitted('q1', 'SO-7', T0 + 10);
      const submittedExposure = await store.pendingExposure('CQ', '2026-11-23T09:00:00.000Z');
      const again = await store.requeueInDoubt('q1', T0 + 60_000, 'The ERP no longer holds this order');
      expect(again).toMatchObject({
        status: 'QUEUED',
        inDoubt: true,
        sentBefore: T0 + 60_000,
        attempts: 0,
        erpOrderNumber: null,
        submittedAt: null,
        lastError: 'The ERP no longer holds this order',
      });
      expect(await store.get('q1')).toEqual(again);
      // Counted once toward credit: as queued now, no longer as submitted.
      expect((await store.pendingExposure('CQ', '2026-11-23T09:00:00.000Z')).total).toBe(submittedExposure.total);
      // Leased like any queued order, still in doubt: the dispatcher looks before it sends.
      expect((await store.lease('me', { now: T0 + 60_001, limit: 10, leaseMs: 30_000 }))[0]).toMatchObject({ id: 'q1', inDoubt: true, attempts: 1 });
      // Not SUBMITTED (queued now, or never submitted): nothing changes.
      expect(await store.requeueInDoubt('q1', T0 + 70_000, 'again')).toBeNull();
      expect(await store.requeueInDoubt('nope', T0 + 70_000, 'again')).toBeNull();
      expect((await store.get('q2'))?.inDoubt).toBe(false);
    });

    it("lists a customer's orders newest first, and orders by status oldest first", async () => {
      const { store } = await create();
      await store.insert(newOrder('l1', 'CL'), { now: T0 });
      await store.insert(newOrder('l2', 'CL', { status: 'ON_HOLD' }), { now: T0 + 1 });
      await store.insert(newOrder('l3', 'CX'), { now: T0 + 2 });
      expect((await store.listByCustomer('CL', { limit: 10 })).map((o) => o.id)).toEqual(['l2', 'l1']);
      expect((await store.listByCustomer('CL', { statuses: ['ON_HOLD'], limit: 10 })).map((o) => o.id)).toEqual(['l2']);
      expect((await store.listByStatus(['QUEUED'], { limit: 10 })).map((o) => o.id)).toEqual(['l1', 'l3']);
    });
  });
}
