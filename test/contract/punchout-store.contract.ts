/**
 * The PunchOut store contract: every adapter (memory, SQLite, Redis) keeps sessions, answers and
 * order links the same way. `create` returns a fresh, empty store for each scenario, and `reopen`
 * (durable adapters) the same data after `close`.
 *
 * "Something still to send": a link is unfinished until `finishOrderLink` (the notifier finishes
 * it once its order is final and every document went out, or when nothing can be sent); an
 * unfinished link is due when `nextAttemptAt <= now`.
 */
import { describe, expect, it } from 'vitest';
import type { PunchOutSession } from '../../src/features/punchout/domain/session.ts';
import type { PunchOutOrderLink, PunchOutStore } from '../../src/ports/punchout-store.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const START_TTL = 300_000;
const SESSION_TTL = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function session(id: string, overrides: Partial<PunchOutSession> = {}): PunchOutSession {
  return {
    id,
    protocol: 'cxml',
    buyerId: 'demo-buyer',
    customerId: 'C0001',
    operation: 'create',
    state: 'new',
    buyerCookie: '  cookie with spaces & <marks> é  ',
    returnUrl: 'https://buyer.example/return',
    returnFields: [
      ['~OkCode', 'ADDI'],
      ['sap-client', '100'],
    ],
    returnTarget: '_top',
    deploymentMode: 'production',
    user: 'jane@buyer.example',
    lines: [{ sku: 'SKU-00001', quantity: 2.5 }],
    createdAt: T0,
    startExpiresAt: T0 + START_TTL,
    expiresAt: T0 + START_TTL + SESSION_TTL,
    ...overrides,
  };
}

function link(orderId: string, overrides: Partial<PunchOutOrderLink> = {}): PunchOutOrderLink {
  return {
    orderId,
    buyerId: 'demo-buyer',
    buyerOrderId: `PO-${orderId}`,
    orderPayloadId: `${orderId}@buyer.example`,
    orderDate: '2026-11-23T05:00:00-05:00',
    confirmed: false,
    noticedShipments: [],
    attempts: 0,
    nextAttemptAt: T0,
    lastError: null,
    ...overrides,
  };
}

export type PunchOutStoreFactory = () => Promise<{ store: PunchOutStore; reopen?: () => Promise<PunchOutStore> }>;

/** Runs the contract against the adapter `create` makes. */
export function runPunchOutStoreContract(name: string, create: PunchOutStoreFactory): void {
  describe(`PunchOutStore contract: ${name}`, () => {
    it('a start token is redeemed once, for the session exactly as created, now active', async () => {
      const { store } = await create();
      await store.createSession(session('pos-a'), 'start-a');
      const redeemed = await store.redeemStartToken('start-a', 'access-a', T0 + 1000);
      expect(redeemed).toEqual({ ...session('pos-a'), state: 'active' });
      expect(await store.redeemStartToken('start-a', 'access-a2', T0 + 2000)).toBeNull();
      expect(await store.redeemStartToken('never-issued', 'access-x', T0)).toBeNull();
      expect(await store.sessionByAccessToken('access-a', T0 + 3000)).toEqual({ ...session('pos-a'), state: 'active' });
      expect(await store.sessionByAccessToken('access-a2', T0 + 3000)).toBeNull();
    });

    it('two concurrent redemptions of one start token: exactly one succeeds, and only its access token works', async () => {
      const { store } = await create();
      await store.createSession(session('pos-race'), 'start-race');
      const results = await Promise.all(['one', 'two', 'three'].map((who) => store.redeemStartToken('start-race', `access-${who}`, T0 + 10)));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      const winner = ['one', 'two', 'three'][results.findIndex((r) => r !== null)];
      for (const who of ['one', 'two', 'three']) {
        expect((await store.sessionByAccessToken(`access-${who}`, T0 + 20))?.id ?? null).toBe(who === winner ? 'pos-race' : null);
      }
    });

    it('a start token is refused from startExpiresAt on, and for a session that is no longer new', async () => {
      const { store } = await create();
      await store.createSession(session('pos-late'), 'start-late');
      expect(await store.redeemStartToken('start-late', 'access-late', T0 + START_TTL)).toBeNull();
      expect(await store.sessionByAccessToken('access-late', T0 + START_TTL)).toBeNull();

      await store.createSession(session('pos-returned'), 'start-returned');
      expect(await store.replaceSession(session('pos-returned', { state: 'returned' }), { state: 'new' }, T0)).toBe(true);
      expect(await store.redeemStartToken('start-returned', 'access-returned', T0 + 1)).toBeNull();
      expect(await store.sessionByAccessToken('access-returned', T0 + 2)).toBeNull();
    });

    it('an access token finds only an active, unexpired session', async () => {
      const { store } = await create();
      await store.createSession(session('pos-b'), 'start-b');
      await store.redeemStartToken('start-b', 'access-b', T0 + 1);
      const expiresAt = T0 + START_TTL + SESSION_TTL;
      expect((await store.sessionByAccessToken('access-b', expiresAt - 1))?.id).toBe('pos-b');
      expect(await store.sessionByAccessToken('access-b', expiresAt)).toBeNull();
      // The cart went back: the token stops working at once, though the session has not expired.
      expect(await store.replaceSession(session('pos-b', { state: 'returned' }), { state: 'active' }, T0 + 2)).toBe(true);
      expect(await store.sessionByAccessToken('access-b', T0 + 2)).toBeNull();
      expect(await store.sessionByAccessToken('unknown', T0 + 2)).toBeNull();
    });

    it('getSession returns a session until it expires; replaceSession replaces cart and state', async () => {
      const { store } = await create();
      await store.createSession(session('pos-c'), 'start-c');
      expect(await store.getSession('pos-c', T0)).toEqual(session('pos-c'));
      expect(await store.getSession('pos-c', T0 + START_TTL + SESSION_TTL)).toBeNull();
      expect(await store.getSession('pos-unknown', T0)).toBeNull();
      await store.redeemStartToken('start-c', 'access-c', T0 + 1);
      const changed = session('pos-c', {
        state: 'active',
        lines: [
          { sku: 'SKU-00002', quantity: 1 },
          { sku: 'SKU-00003', quantity: 40 },
        ],
      });
      expect(await store.replaceSession(changed, { state: 'active' }, T0 + 2)).toBe(true);
      expect(await store.getSession('pos-c', T0 + 2)).toEqual(changed);
      expect(await store.sessionByAccessToken('access-c', T0 + 2)).toEqual(changed);
      expect(await store.replaceSession({ ...changed, state: 'returned', lines: [] }, { state: 'active', lines: changed.lines }, T0 + 3)).toBe(true);
      expect(await store.getSession('pos-c', T0 + 3)).toMatchObject({ state: 'returned', lines: [] });
    });

    it('replaceSession does not resurrect a session that was never created, or one that expired', async () => {
      const { store } = await create();
      expect(await store.replaceSession(session('pos-ghost', { state: 'active' }), { state: 'new' }, T0)).toBe(false);
      expect(await store.getSession('pos-ghost', T0)).toBeNull();
      await store.createSession(session('pos-over'), 'start-over');
      await store.redeemStartToken('start-over', 'access-over', T0 + 1);
      const expiresAt = T0 + START_TTL + SESSION_TTL;
      expect(await store.replaceSession(session('pos-over', { state: 'returned' }), { state: 'active' }, expiresAt)).toBe(false);
      expect(await store.getSession('pos-over', expiresAt - 1)).toMatchObject({ state: 'active' });
    });

    it('a returned session is never made active again: a cart change read before the return, written after it, is refused', async () => {
      const { store } = await create();
      await store.createSession(session('pos-r'), 'start-r');
      const read = (await store.redeemStartToken('start-r', 'access-r', T0 + 1))!;
      // The return and a cart change both read the active session; the return writes first.
      expect(await store.replaceSession({ ...read, state: 'returned' }, { state: 'active', lines: read.lines }, T0 + 2)).toBe(true);
      expect(await store.replaceSession({ ...read, lines: [{ sku: 'SKU-00007', quantity: 1 }] }, { state: 'active' }, T0 + 3)).toBe(false);
      expect(await store.getSession('pos-r', T0 + 4)).toEqual({ ...read, state: 'returned' });
      expect(await store.sessionByAccessToken('access-r', T0 + 4)).toBeNull();
      // Nor does a second return (or any change expecting `active`) find it.
      expect(await store.replaceSession({ ...read, state: 'returned' }, { state: 'active', lines: read.lines }, T0 + 5)).toBe(false);
    });

    it('a return that priced a cart since changed writes nothing: the session stays active with the newer cart', async () => {
      const { store } = await create();
      await store.createSession(session('pos-p'), 'start-p');
      const priced = (await store.redeemStartToken('start-p', 'access-p', T0 + 1))!;
      const newer = {
        ...priced,
        lines: [
          { sku: 'SKU-00001', quantity: 2.5 },
          { sku: 'SKU-00002', quantity: 0.1 + 0.2 },
        ],
      };
      expect(await store.replaceSession(newer, { state: 'active' }, T0 + 2)).toBe(true);
      expect(await store.replaceSession({ ...priced, state: 'returned' }, { state: 'active', lines: priced.lines }, T0 + 3)).toBe(false);
      expect(await store.getSession('pos-p', T0 + 4)).toEqual(newer);
      // Priced again with the cart as it is now (exact quantities, 0.30000000000000004 included), it goes.
      expect(await store.replaceSession({ ...newer, state: 'returned' }, { state: 'active', lines: newer.lines }, T0 + 5)).toBe(true);
      expect(await store.getSession('pos-p', T0 + 6)).toEqual({ ...newer, state: 'returned' });
    });

    it('racing changes of one session: at most one return wins, and no cart change lands after it', async () => {
      const { store } = await create();
      await store.createSession(session('pos-x'), 'start-x');
      const read = (await store.redeemStartToken('start-x', 'access-x', T0 + 1))!;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0
            ? store.replaceSession({ ...read, state: 'returned' }, { state: 'active', lines: read.lines }, T0 + 2).then((ok) => ({ kind: 'return', ok }))
            : store
                .replaceSession({ ...read, lines: [{ sku: `SKU-0000${i % 10}`, quantity: i }] }, { state: 'active' }, T0 + 2)
                .then((ok) => ({ kind: 'cart', ok })),
        ),
      );
      const after = (await store.getSession('pos-x', T0 + 3))!;
      const returns = results.filter((r) => r.kind === 'return' && r.ok);
      // A cart change that won before any return makes every return (priced on the old cart) lose.
      expect(returns.length).toBeLessThanOrEqual(1);
      if (returns.length === 1) {
        expect(after).toEqual({ ...read, state: 'returned' });
      } else {
        expect(after.state).toBe('active');
      }
    });

    it('remembers an answer for its TTL, per exact key', async () => {
      const { store } = await create();
      const answer = { payloadHash: 'h1', code: 200, text: 'OK: order ord_1 SUBMITTED', orderId: 'ord_1' };
      expect(await store.answered('demo-buyer:p1', T0)).toBeNull();
      await store.rememberAnswer('demo-buyer:p1', answer, { now: T0, ttlMs: 60_000 });
      await store.rememberAnswer('demo-buyer:p10', { payloadHash: 'h2', code: 400, text: 'no', orderId: null }, { now: T0, ttlMs: 60_000 });
      expect(await store.answered('demo-buyer:p1', T0 + 59_999)).toEqual(answer);
      expect(await store.answered('demo-buyer:p10', T0)).toEqual({ payloadHash: 'h2', code: 400, text: 'no', orderId: null });
      expect(await store.answered('demo-buyer:p1', T0 + 60_000)).toBeNull();
      expect(await store.answered('other-buyer:p1', T0)).toBeNull();
    });

    it('linkOrder keeps the first link of an order; linkByBuyerOrder finds it by buyer and orderID only', async () => {
      const { store } = await create();
      await store.linkOrder(link('ord_1'));
      await store.linkOrder(link('ord_1', { buyerOrderId: 'PO-OTHER', confirmed: true }));
      expect(await store.linkByBuyerOrder('demo-buyer', 'PO-ord_1')).toEqual(link('ord_1'));
      expect(await store.linkByBuyerOrder('demo-buyer', 'PO-OTHER')).toBeNull();
      expect(await store.linkByBuyerOrder('other-buyer', 'PO-ord_1')).toBeNull();
      // Separators in ids do not make two pairs meet.
      await store.linkOrder(link('ord_2', { buyerId: 'a:b', buyerOrderId: 'c' }));
      expect(await store.linkByBuyerOrder('a', 'b:c')).toBeNull();
      expect((await store.linkByBuyerOrder('a:b', 'c'))?.orderId).toBe('ord_2');
    });

    it('dueOrderLinks: only due, unfinished links, most overdue first, at most limit, each claimed for leaseMs', async () => {
      const { store } = await create();
      await store.linkOrder(link('ord_later', { nextAttemptAt: T0 + 60_000 }));
      await store.linkOrder(link('ord_now', { nextAttemptAt: T0 }));
      await store.linkOrder(link('ord_old', { nextAttemptAt: T0 - 5000 }));
      await store.linkOrder(link('ord_older', { nextAttemptAt: T0 - 9000 }));
      expect((await store.dueOrderLinks(T0, 2, 30_000)).map((l) => l.orderId)).toEqual(['ord_older', 'ord_old']);
      // Claimed: another instance asking at the same moment gets the rest, not the same links.
      const rest = await store.dueOrderLinks(T0, 10, 30_000);
      expect(rest).toEqual([link('ord_now')]);
      expect(await store.dueOrderLinks(T0 + 29_999, 10, 30_000)).toEqual([]);
      // A claim nobody followed up (its holder died) runs out: the links are due again.
      expect((await store.dueOrderLinks(T0 + 60_000, 10, 30_000)).map((l) => l.orderId).sort()).toEqual(['ord_later', 'ord_now', 'ord_old', 'ord_older']);
    });

    it('saveOrderLink updates the delivery state; an unknown link is not created', async () => {
      const { store } = await create();
      await store.linkOrder(link('ord_s'));
      const [claimed] = await store.dueOrderLinks(T0, 10, 30_000);
      const progressed = {
        ...claimed!,
        confirmed: true,
        noticedShipments: ['SHP-1', 'SHP-2'],
        attempts: 3,
        nextAttemptAt: T0 + 1234.5,
        lastError: 'HTTP 503 from the buyer',
      };
      await store.saveOrderLink(progressed);
      expect(await store.linkByBuyerOrder('demo-buyer', 'PO-ord_s')).toEqual(progressed);
      expect(await store.dueOrderLinks(T0 + 1234, 10, 30_000)).toEqual([]);
      expect(await store.dueOrderLinks(T0 + 1235, 10, 30_000)).toEqual([progressed]);
      await store.saveOrderLink(link('ord_unknown'));
      expect(await store.linkByBuyerOrder('demo-buyer', 'PO-ord_unknown')).toBeNull();
      expect((await store.dueOrderLinks(T0 + 100_000, 10, 1)).map((l) => l.orderId)).toEqual(['ord_s']);
    });

    it('a finished link is never due again, is still found for retainMs, then forgotten; a late save does not revive it', async () => {
      const { store } = await create();
      await store.linkOrder(link('ord_f'));
      await store.linkOrder(link('ord_kept'));
      const final = { ...link('ord_f'), confirmed: true, noticedShipments: ['SHP-1'] };
      await store.finishOrderLink(final, { now: T0, retainMs: 150 });
      await store.finishOrderLink(link('ord_kept'), { now: T0, retainMs: 86_400_000 });
      await store.saveOrderLink({ ...final, nextAttemptAt: T0 });
      expect(await store.dueOrderLinks(T0 + 86_400_000, 10, 1000)).toEqual([]);
      expect(await store.linkByBuyerOrder('demo-buyer', 'PO-ord_f')).toEqual(final);
      // Some adapters forget on their own clock (Redis TTLs): let real time pass too.
      await sleep(400);
      await store.purgeExpired(T0 + 1000);
      expect(await store.linkByBuyerOrder('demo-buyer', 'PO-ord_f')).toBeNull();
      expect((await store.linkByBuyerOrder('demo-buyer', 'PO-ord_kept'))?.orderId).toBe('ord_kept');
    });

    it('purgeExpired forgets expired sessions and answers, and keeps live ones', async () => {
      const { store } = await create();
      await store.createSession(session('pos-old', { expiresAt: T0 + 100, startExpiresAt: T0 + 50 }), 'start-old');
      await store.createSession(session('pos-live'), 'start-live');
      await store.redeemStartToken('start-live', 'access-live', T0 + 1);
      await store.rememberAnswer('b:old', { payloadHash: 'h', code: 200, text: 'OK', orderId: null }, { now: T0, ttlMs: 100 });
      await store.rememberAnswer('b:live', { payloadHash: 'h', code: 200, text: 'OK', orderId: null }, { now: T0, ttlMs: 86_400_000 });
      // Purged by the caller's clock, or (Redis TTLs) by real time: let both pass. Then even a
      // caller whose clock lags does not see them any more.
      await sleep(300);
      await store.purgeExpired(T0 + 2000);
      expect(await store.getSession('pos-old', T0)).toBeNull();
      expect(await store.redeemStartToken('start-old', 'access-old', T0)).toBeNull();
      expect(await store.answered('b:old', T0)).toBeNull();
      expect((await store.sessionByAccessToken('access-live', T0 + 2000))?.id).toBe('pos-live');
      expect(await store.answered('b:live', T0 + 2000)).toMatchObject({ code: 200 });
    });

    it('survives closing and reopening: sessions, access tokens, start tokens, answers and links (durability)', async () => {
      const { store, reopen } = await create();
      if (!reopen) return;
      await store.createSession(session('pos-d1'), 'start-d1');
      await store.createSession(session('pos-d2'), 'start-d2');
      await store.redeemStartToken('start-d1', 'access-d1', T0 + 1);
      expect(await store.replaceSession(session('pos-d1', { state: 'active', lines: [{ sku: 'SKU-00009', quantity: 7 }] }), { state: 'active' }, T0 + 2)).toBe(
        true,
      );
      await store.rememberAnswer('demo-buyer:pd', { payloadHash: 'hd', code: 200, text: 'OK', orderId: 'ord_d' }, { now: T0, ttlMs: 86_400_000 });
      await store.linkOrder(link('ord_d', { nextAttemptAt: T0 + 5000 }));
      await store.linkOrder(link('ord_done'));
      await store.finishOrderLink(link('ord_done', { confirmed: true }), { now: T0, retainMs: 86_400_000 });
      await store.close();
      const again = await reopen();
      expect(await again.sessionByAccessToken('access-d1', T0 + 2)).toEqual(session('pos-d1', { state: 'active', lines: [{ sku: 'SKU-00009', quantity: 7 }] }));
      expect((await again.redeemStartToken('start-d2', 'access-d2', T0 + 3))?.id).toBe('pos-d2');
      expect(await again.answered('demo-buyer:pd', T0 + 4)).toMatchObject({ orderId: 'ord_d' });
      expect(await again.dueOrderLinks(T0 + 5000, 10, 1000)).toEqual([link('ord_d', { nextAttemptAt: T0 + 5000 })]);
      expect(await again.linkByBuyerOrder('demo-buyer', 'PO-ord_done')).toMatchObject({ confirmed: true });
      await again.close();
    });
  });
}
