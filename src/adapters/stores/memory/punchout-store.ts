/**
 * The in-memory PunchOut store: one process, nothing survives a restart (the Workers entry and
 * tests use it; Node uses SQLite or Redis). Sessions and start tokens are minutes-to-hours
 * things; answered documents are kept for their TTL so a re-sent OrderRequest gets the same
 * answer (the order itself is de-duplicated durably by the order store's idempotency key, so a
 * restart never doubles an order).
 *
 * @module
 */
import { sameLines, type PunchOutSession } from '../../../features/punchout/domain/session.ts';
import type { AnsweredDocument, PunchOutOrderLink, PunchOutStore } from '../../../ports/punchout-store.ts';

export interface MemoryPunchOutStoreOptions {
  /** At most this many sessions are kept; the oldest go first (a bound against floods). */
  maxSessions?: number;
}

/** Creates an empty store. */
export function createMemoryPunchOutStore(options: MemoryPunchOutStoreOptions = {}): PunchOutStore {
  const maxSessions = options.maxSessions ?? 50_000;
  const sessions = new Map<string, PunchOutSession>();
  const startTokens = new Map<string, string>();
  const accessTokens = new Map<string, string>();
  const answers = new Map<string, { answer: AnsweredDocument; until: number }>();
  /** Unfinished links (the notifier's work) apart from finished ones (kept for delete requests). */
  const open = new Map<string, PunchOutOrderLink>();
  const finished = new Map<string, { link: PunchOutOrderLink; forgetAt: number }>();
  /** buyer id + buyer order id → order id, the latest link. */
  const byBuyerOrder = new Map<string, string>();
  const buyerKey = (buyerId: string, buyerOrderId: string) => JSON.stringify([buyerId, buyerOrderId]);
  const clone = <T>(value: T): T => structuredClone(value);

  const sweep = (now: number) => {
    let gone = 0;
    for (const [hash, id] of startTokens) if ((sessions.get(id)?.startExpiresAt ?? 0) <= now) startTokens.delete(hash), gone++;
    for (const [hash, id] of accessTokens) if ((sessions.get(id)?.expiresAt ?? 0) <= now) accessTokens.delete(hash), gone++;
    for (const [id, s] of sessions) if (s.expiresAt <= now) sessions.delete(id), gone++;
    for (const [key, a] of answers) if (a.until <= now) answers.delete(key), gone++;
    for (const [id, f] of finished) {
      if (f.forgetAt > now) continue;
      finished.delete(id);
      const key = buyerKey(f.link.buyerId, f.link.buyerOrderId);
      if (byBuyerOrder.get(key) === id) byBuyerOrder.delete(key);
      gone++;
    }
    return gone;
  };

  return {
    async createSession(session, startTokenHash) {
      sweep(session.createdAt);
      while (sessions.size >= maxSessions) sessions.delete(sessions.keys().next().value!);
      sessions.set(session.id, clone(session));
      startTokens.set(startTokenHash, session.id);
    },
    async redeemStartToken(startTokenHash, accessTokenHash, now) {
      const id = startTokens.get(startTokenHash);
      // Forgotten before anything else: a token is good for one try, whatever happens next.
      startTokens.delete(startTokenHash);
      const session = id ? sessions.get(id) : undefined;
      if (!session || session.state !== 'new' || session.startExpiresAt <= now || session.expiresAt <= now) return null;
      session.state = 'active';
      accessTokens.set(accessTokenHash, session.id);
      return clone(session);
    },
    async sessionByAccessToken(accessTokenHash, now) {
      const id = accessTokens.get(accessTokenHash);
      const session = id ? sessions.get(id) : undefined;
      return session && session.expiresAt > now && session.state === 'active' ? clone(session) : null;
    },
    async getSession(id, now) {
      const session = sessions.get(id);
      return session && session.expiresAt > now ? clone(session) : null;
    },
    async replaceSession(next, expected, now) {
      // No await between the check and the write: atomic within the process, which is all there is.
      const stored = sessions.get(next.id);
      if (!stored || stored.expiresAt <= now || stored.state !== expected.state) return false;
      if (expected.lines && !sameLines(stored.lines, expected.lines)) return false;
      sessions.set(next.id, { ...stored, state: next.state, lines: clone(next.lines) });
      return true;
    },
    async answered(key, now) {
      const hit = answers.get(key);
      return hit && hit.until > now ? clone(hit.answer) : null;
    },
    async rememberAnswer(key, answer, { now, ttlMs }) {
      answers.set(key, { answer: clone(answer), until: now + ttlMs });
    },
    async linkOrder(link) {
      if (open.has(link.orderId) || finished.has(link.orderId)) return;
      open.set(link.orderId, clone(link));
      byBuyerOrder.set(buyerKey(link.buyerId, link.buyerOrderId), link.orderId);
    },
    async linkByBuyerOrder(buyerId, buyerOrderId) {
      const id = byBuyerOrder.get(buyerKey(buyerId, buyerOrderId));
      const link = id ? (open.get(id) ?? finished.get(id)?.link) : undefined;
      return link ? clone(link) : null;
    },
    async dueOrderLinks(now, limit, leaseMs) {
      const due = [...open.values()]
        .filter((l) => l.nextAttemptAt <= now)
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt)
        .slice(0, limit);
      const claimed = due.map(clone);
      for (const link of due) link.nextAttemptAt = now + leaseMs;
      return claimed;
    },
    async saveOrderLink(link) {
      if (open.has(link.orderId)) open.set(link.orderId, clone(link));
    },
    async finishOrderLink(link, { now, retainMs }) {
      if (!open.delete(link.orderId)) return;
      finished.set(link.orderId, { link: clone(link), forgetAt: now + retainMs });
    },
    async purgeExpired(now) {
      return sweep(now);
    },
    async close() {
      sessions.clear();
      startTokens.clear();
      accessTokens.clear();
      answers.clear();
      open.clear();
      finished.clear();
      byBuyerOrder.clear();
    },
  };
}
