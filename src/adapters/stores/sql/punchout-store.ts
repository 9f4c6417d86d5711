/**
 * The PunchOut store in SQL, once, for every SQLite that erpfront keeps PunchOut state in: a file
 * through `node:sqlite` (the embedded set, `sqlite/punchout-store.ts`) and a Durable Object's own
 * SQLite storage (the Workers set, `durable-object/punchout-store.ts`). The schema is
 * `sqlite/punchout-schema.ts`'s; each caller brings it up to date before handing the engine over.
 *
 * Every method is synchronous SQL (in a transaction where it reads before it writes), so a step is
 * atomic on both: node:sqlite's `BEGIN IMMEDIATE`, a Durable Object's `transactionSync`.
 * Expired sessions and answers, and finished links past their retention, are deleted by
 * `purgeExpired` and, at most once a minute, lazily on writes.
 *
 * @module
 */
import { sameLines, type PunchOutSession } from '../../../features/punchout/domain/session.ts';
import type { AnsweredDocument, PunchOutOrderLink, PunchOutStore } from '../../../ports/punchout-store.ts';
import type { SqlEngine } from './engine.ts';

interface SessionRow {
  data: string;
  state: string;
}
interface LinkRow {
  data: string;
  next_attempt_at: number;
}

const PURGE_EVERY_MS = 60_000;
const toSession = (row: SessionRow): PunchOutSession => ({ ...(JSON.parse(row.data) as PunchOutSession), state: row.state as PunchOutSession['state'] });
const toLink = (row: LinkRow): PunchOutOrderLink => ({ ...(JSON.parse(row.data) as PunchOutOrderLink), nextAttemptAt: row.next_attempt_at });

/** The PunchOut store over `db`, whose schema is at `PUNCHOUT_MIGRATIONS`' latest; `close` closes what holds it. */
export function createSqlPunchOutStore(db: SqlEngine, close: () => void): PunchOutStore {
  const { transaction } = db;
  const purge = (now: number): number =>
    transaction(
      () =>
        db.run('DELETE FROM sessions WHERE expires_at <= ?', now) +
        db.run('DELETE FROM answers WHERE expires_at <= ?', now) +
        db.run('DELETE FROM order_links WHERE forget_at <= ?', now),
    );
  let lastPurge = -Infinity;
  /** Keeps the database from growing between the hourly purges, without a DELETE per write. */
  const purgeLazily = (now: number) => {
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    purge(now);
  };

  return {
    async createSession(session, startTokenHash) {
      purgeLazily(session.createdAt);
      db.run(
        `INSERT INTO sessions (id, data, state, start_token_hash, access_token_hash, start_expires_at, expires_at)
         VALUES (?, ?, ?, ?, NULL, ?, ?)`,
        session.id,
        JSON.stringify(session),
        session.state,
        startTokenHash,
        session.startExpiresAt,
        session.expiresAt,
      );
    },

    async redeemStartToken(startTokenHash, accessTokenHash, now) {
      return transaction(() => {
        const row = db.get<SessionRow & { id: string; start_expires_at: number; expires_at: number }>(
          'SELECT id, data, state, start_expires_at, expires_at FROM sessions WHERE start_token_hash = ?',
          startTokenHash,
        );
        if (!row) return null;
        // Forgotten before anything else: a token is good for one try, whatever happens next.
        db.run('UPDATE sessions SET start_token_hash = NULL WHERE id = ?', row.id);
        if (row.state !== 'new' || row.start_expires_at <= now || row.expires_at <= now) return null;
        db.run("UPDATE sessions SET state = 'active', access_token_hash = ? WHERE id = ?", accessTokenHash, row.id);
        return toSession({ data: row.data, state: 'active' });
      });
    },

    async sessionByAccessToken(accessTokenHash, now) {
      const row = db.get<SessionRow>(
        "SELECT data, state FROM sessions WHERE access_token_hash = ? AND state = 'active' AND expires_at > ?",
        accessTokenHash,
        now,
      );
      return row ? toSession(row) : null;
    },

    async getSession(id, now) {
      const row = db.get<SessionRow>('SELECT data, state FROM sessions WHERE id = ? AND expires_at > ?', id, now);
      return row ? toSession(row) : null;
    },

    async replaceSession(next, expected, now) {
      // Read, compare and write run in one transaction, uninterrupted (the SQL is synchronous).
      return transaction(() => {
        const row = db.get<SessionRow>('SELECT data, state FROM sessions WHERE id = ? AND expires_at > ?', next.id, now);
        if (!row || row.state !== expected.state) return false;
        const stored = toSession(row);
        if (expected.lines && !sameLines(stored.lines, expected.lines)) return false;
        const changed = db.run(
          'UPDATE sessions SET data = ?, state = ? WHERE id = ? AND state = ?',
          JSON.stringify({ ...stored, state: next.state, lines: next.lines }),
          next.state,
          next.id,
          expected.state,
        );
        return changed === 1;
      });
    },

    async answered(key, now) {
      const row = db.get<{ answer: string }>('SELECT answer FROM answers WHERE key = ? AND expires_at > ?', key, now);
      return row ? (JSON.parse(row.answer) as AnsweredDocument) : null;
    },

    async rememberAnswer(key, answer, { now, ttlMs }) {
      purgeLazily(now);
      db.run(
        'INSERT INTO answers (key, answer, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET answer = excluded.answer, expires_at = excluded.expires_at',
        key,
        JSON.stringify(answer),
        now + ttlMs,
      );
    },

    async linkOrder(link) {
      db.run(
        `INSERT INTO order_links (order_id, buyer_id, buyer_order_id, data, next_attempt_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (order_id) DO NOTHING`,
        link.orderId,
        link.buyerId,
        link.buyerOrderId,
        JSON.stringify(link),
        link.nextAttemptAt,
      );
    },

    async linkByBuyerOrder(buyerId, buyerOrderId) {
      const row = db.get<LinkRow>(
        'SELECT data, next_attempt_at FROM order_links WHERE buyer_id = ? AND buyer_order_id = ? ORDER BY seq DESC LIMIT 1',
        buyerId,
        buyerOrderId,
      );
      return row ? toLink(row) : null;
    },

    async dueOrderLinks(now, limit, leaseMs) {
      return transaction(() => {
        const rows = db.all<LinkRow & { order_id: string }>(
          `SELECT order_id, data, next_attempt_at FROM order_links
           WHERE forget_at IS NULL AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
           ORDER BY next_attempt_at, seq LIMIT ?`,
          now,
          now,
          limit,
        );
        // The claim is kept apart from next_attempt_at, so dropping it leaves the link as it was.
        for (const row of rows) db.run('UPDATE order_links SET claimed_until = ? WHERE order_id = ?', now + leaseMs, row.order_id);
        return rows.map(toLink);
      });
    },

    async saveOrderLink(link) {
      db.run(
        'UPDATE order_links SET data = ?, next_attempt_at = ?, claimed_until = NULL WHERE order_id = ? AND forget_at IS NULL',
        JSON.stringify(link),
        link.nextAttemptAt,
        link.orderId,
      );
    },

    async finishOrderLink(link, { now, retainMs }) {
      db.run(
        'UPDATE order_links SET data = ?, next_attempt_at = ?, claimed_until = NULL, forget_at = ? WHERE order_id = ? AND forget_at IS NULL',
        JSON.stringify(link),
        link.nextAttemptAt,
        now + retainMs,
        link.orderId,
      );
    },

    async purgeExpired(now) {
      lastPurge = now;
      return purge(now);
    },

    async close() {
      close();
    },
  };
}
