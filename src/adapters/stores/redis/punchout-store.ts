/**
 * The PunchOut store on Redis, shared by every instance: a PunchOutSetupRequest answered by one
 * instance gives a start URL any instance can redeem, the cart lives in Redis whichever instance
 * the storefront reaches, and order links (ConfirmationRequest / ShipNoticeRequest still to send)
 * are claimed by one instance at a time. Implements the {@link PunchOutStore} contract, like the
 * memory and SQLite stores; see `punchout-scripts.ts` for the data model.
 *
 * Redis forgets expired sessions, tokens, answers and finished links itself (PEXPIRE), so
 * `purgeExpired` has nothing to do. Links are as durable as Redis is configured
 * (`checkOrderDurability` requires appendonly with fsync for the order queue on the same Redis).
 *
 * When Redis is unreachable every call fails with `PUNCHOUT_STORE_UNAVAILABLE` (cXML buyers get
 * a 500 and retry; the storefront gets a 503).
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { PunchOutSession } from '../../../features/punchout/domain/session.ts';
import type { AnsweredDocument, PunchOutOrderLink, PunchOutStore } from '../../../ports/punchout-store.ts';
import { StoreUnavailableError } from '../../../ports/store-error.ts';
import type { LuaScript } from './connection.ts';
import {
  claimDueScript,
  createSessionScript,
  finishLinkScript,
  linkOrderScript,
  redeemScript,
  replaceSessionScript,
  saveLinkScript,
} from './punchout-scripts.ts';

export interface RedisPunchOutStoreOptions {
  client: Redis;
  /** The store's key base (`keys.punchout`). */
  base: string;
}

/** A TTL Redis accepts: whole milliseconds, at least 1 (a record already expired goes at once). */
const ttl = (ms: number) => String(Math.max(1, Math.ceil(ms)));
/** The buyer-order index suffix: URI-encoded so `a:b`+`c` and `a`+`b:c` never meet. */
const buyerOrder = (buyerId: string, buyerOrderId: string) => `${encodeURIComponent(buyerId)}:${encodeURIComponent(buyerOrderId)}`;

function toSession(data: string, state: string): PunchOutSession {
  return { ...(JSON.parse(data) as PunchOutSession), state: state as PunchOutSession['state'] };
}
function toLink(data: string, next: string): PunchOutOrderLink {
  return { ...(JSON.parse(data) as PunchOutOrderLink), nextAttemptAt: Number(next) };
}

/** Creates the store. Nothing is read or written until the first call. */
export function createRedisPunchOutStore(options: RedisPunchOutStoreOptions): PunchOutStore {
  const { client, base } = options;

  /** Runs a Redis call; a connection failure becomes `PUNCHOUT_STORE_UNAVAILABLE`. */
  async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // A script or type error is a bug, not an outage: let it show as itself.
      if (error instanceof Error && /^(ERR|WRONGTYPE)/.test(error.message)) throw error;
      throw new StoreUnavailableError(
        'PUNCHOUT_STORE_UNAVAILABLE',
        `The PunchOut store (Redis) is unreachable (${operation}). Retry shortly; PunchOut sessions and order notices resume once Redis answers.`,
        { cause: error },
      );
    }
  }
  const run = (operation: string, script: LuaScript, args: ReadonlyArray<string | number>) => guarded(operation, () => script.run(client, [base], args));

  return {
    async createSession(session, startTokenHash) {
      await run('create session', createSessionScript, [
        session.id,
        JSON.stringify(session),
        session.state,
        session.startExpiresAt,
        session.expiresAt,
        startTokenHash,
        ttl(session.expiresAt - session.createdAt),
        ttl(session.startExpiresAt - session.createdAt),
      ]);
    },

    async redeemStartToken(startTokenHash, accessTokenHash, now) {
      const data = (await run('redeem start token', redeemScript, [startTokenHash, accessTokenHash, now])) as string | null;
      return data ? toSession(data, 'active') : null;
    },

    sessionByAccessToken: (accessTokenHash, now) =>
      guarded('read session', async () => {
        const id = await client.get(`${base}at:${accessTokenHash}`);
        if (!id) return null;
        const [data, state, expiresAt] = await client.hmget(`${base}s:${id}`, 'data', 'state', 'expiresAt');
        return data && state === 'active' && Number(expiresAt) > now ? toSession(data, state) : null;
      }),

    getSession: (id, now) =>
      guarded('read session', async () => {
        const [data, state, expiresAt] = await client.hmget(`${base}s:${id}`, 'data', 'state', 'expiresAt');
        return data && state && Number(expiresAt) > now ? toSession(data, state) : null;
      }),

    async replaceSession(next, expected, now) {
      const written = await run('change session', replaceSessionScript, [
        next.id,
        expected.state,
        expected.lines ? JSON.stringify(expected.lines) : '',
        now,
        next.state,
        JSON.stringify(next),
      ]);
      return written === 1;
    },

    answered: (key, now) =>
      guarded('read answer', async () => {
        const stored = await client.get(`${base}a:${key}`);
        if (!stored) return null;
        const { answer, until } = JSON.parse(stored) as { answer: AnsweredDocument; until: number };
        return until > now ? answer : null;
      }),

    async rememberAnswer(key, answer, { now, ttlMs }) {
      await guarded('remember answer', () => client.set(`${base}a:${key}`, JSON.stringify({ answer, until: now + ttlMs }), 'PX', ttl(ttlMs)));
    },

    async linkOrder(link) {
      await run('link order', linkOrderScript, [link.orderId, JSON.stringify(link), link.nextAttemptAt, buyerOrder(link.buyerId, link.buyerOrderId)]);
    },

    linkByBuyerOrder: (buyerId, buyerOrderId) =>
      guarded('read order link', async () => {
        const orderId = await client.get(`${base}bo:${buyerOrder(buyerId, buyerOrderId)}`);
        if (!orderId) return null;
        const [data, next] = await client.hmget(`${base}l:${orderId}`, 'data', 'next');
        return data && next ? toLink(data, next) : null;
      }),

    async dueOrderLinks(now, limit, leaseMs) {
      const flat = (await run('claim due order links', claimDueScript, [now, limit, now + leaseMs])) as string[];
      const links: PunchOutOrderLink[] = [];
      for (let i = 0; i < flat.length; i += 2) links.push(toLink(flat[i]!, flat[i + 1]!));
      return links;
    },

    async saveOrderLink(link) {
      await run('save order link', saveLinkScript, [link.orderId, JSON.stringify(link), link.nextAttemptAt]);
    },

    async finishOrderLink(link, { retainMs }) {
      await run('finish order link', finishLinkScript, [
        link.orderId,
        JSON.stringify(link),
        link.nextAttemptAt,
        ttl(retainMs),
        buyerOrder(link.buyerId, link.buyerOrderId),
      ]);
    },

    async purgeExpired() {
      // Every record that expires carries a TTL: Redis has already forgotten it.
      return 0;
    },

    async close() {
      // The connection belongs to whoever made it (several stores share one).
    },
  };
}
