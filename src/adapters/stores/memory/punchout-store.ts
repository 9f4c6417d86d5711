/**
 * The in-memory PunchOut store: one process, nothing survives a restart. Sessions and start
 * tokens are minutes-to-hours things; answered documents are kept for their TTL so a re-sent
 * OrderRequest gets the same answer (the order itself is de-duplicated durably by the order
 * store's idempotency key, so a restart never doubles an order).
 *
 * @module
 */
import type { PunchOutSession } from '../../../domain/punchout/session.ts';
import type { AnsweredDocument, PunchOutOrderLink, PunchOutStore } from '../../../ports/punchout-store.ts';

export interface MemoryPunchOutStoreOptions {
  /** At most this many sessions are kept; the oldest go first (a bound against floods). */
  maxSessions?: number;
}

export function createMemoryPunchOutStore(options: MemoryPunchOutStoreOptions = {}): PunchOutStore {
  const maxSessions = options.maxSessions ?? 50_000;
  const sessions = new Map<string, PunchOutSession>();
  const startTokens = new Map<string, string>();
  const accessTokens = new Map<string, string>();
  const answers = new Map<string, { answer: AnsweredDocument; until: number }>();
  const links = new Map<string, PunchOutOrderLink>();
  const clone = <T>(value: T): T => structuredClone(value);

  const sweep = (now: number) => {
    for (const [hash, id] of startTokens) if ((sessions.get(id)?.startExpiresAt ?? 0) <= now) startTokens.delete(hash);
    for (const [hash, id] of accessTokens) if ((sessions.get(id)?.expiresAt ?? 0) <= now) accessTokens.delete(hash);
    for (const [id, s] of sessions) if (s.expiresAt <= now) sessions.delete(id);
    for (const [key, a] of answers) if (a.until <= now) answers.delete(key);
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
    async saveSession(session) {
      if (sessions.has(session.id)) sessions.set(session.id, clone(session));
    },
    async answered(key, now) {
      const hit = answers.get(key);
      return hit && hit.until > now ? clone(hit.answer) : null;
    },
    async rememberAnswer(key, answer, { now, ttlMs }) {
      answers.set(key, { answer: clone(answer), until: now + ttlMs });
    },
    async linkOrder(link) {
      if (!links.has(link.orderId)) links.set(link.orderId, clone(link));
    },
    async linkByBuyerOrder(buyerId, buyerOrderId) {
      const link = [...links.values()].find((l) => l.buyerId === buyerId && l.buyerOrderId === buyerOrderId);
      return link ? clone(link) : null;
    },
    async dueOrderLinks(now, limit) {
      return [...links.values()].filter((l) => l.nextAttemptAt <= now).slice(0, limit).map(clone);
    },
    async saveOrderLink(link) {
      links.set(link.orderId, clone(link));
    },
    async close() {
      sessions.clear();
      startTokens.clear();
      accessTokens.clear();
      answers.clear();
      links.clear();
    },
  };
}
