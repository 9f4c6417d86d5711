/**
 * The embedded PunchOut store: SQLite (`punchout.sqlite` under DATA_DIR) through `node:sqlite`,
 * WAL, synchronous commits. What it buys over memory: an order link recorded when erpfront
 * accepted a buyer's OrderRequest survives a restart or a crash, so the buyer still gets its
 * ConfirmationRequest and ShipNoticeRequests; open sessions survive too.
 *
 * A file of its own, not a table in `orders.sqlite`: the two schemas version independently.
 * One process owns it (the DATA_DIR lock), so claims on order links (`dueOrderLinks`) left by a
 * crashed predecessor are dropped when the store opens: its pending documents go out at once
 * rather than after the claim would have run out.
 * Expired sessions and answers, and finished links past their retention, are deleted by
 * `purgeExpired` and, at most once a minute, lazily on writes.
 *
 * @module
 */
import { sameLines, type PunchOutSession } from '../../../features/punchout/domain/session.ts';
import type { AnsweredDocument, PunchOutOrderLink, PunchOutStore } from '../../../ports/punchout-store.ts';
import { openSqlite } from './database.ts';
import { PUNCHOUT_MIGRATIONS } from './punchout-schema.ts';

export interface SqlitePunchOutStoreOptions {
  /** The database file (`<DATA_DIR>/punchout.sqlite`), or `:memory:` for tests. */
  path: string;
}

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

/** Opens (creating or upgrading) the database at `options.path`. */
export function createSqlitePunchOutStore(options: SqlitePunchOutStoreOptions): PunchOutStore {
  const { db, sql, transaction } = openSqlite({ path: options.path, name: 'punchout.sqlite', migrations: PUNCHOUT_MIGRATIONS });
  // One process owns the file: claims left by a crashed predecessor would only delay its notices.
  db.exec('UPDATE order_links SET claimed_until = NULL WHERE claimed_until IS NOT NULL');

  const purge = (now: number): number =>
    transaction(
      () =>
        Number(sql('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes) +
        Number(sql('DELETE FROM answers WHERE expires_at <= ?').run(now).changes) +
        Number(sql('DELETE FROM order_links WHERE forget_at <= ?').run(now).changes),
    );
  let lastPurge = -Infinity;
  /** Keeps the file from growing between the entry's hourly purges, without a DELETE per write. */
  const purgeLazily = (now: number) => {
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    purge(now);
  };

  return {
    async createSession(session, startTokenHash) {
      purgeLazily(session.createdAt);
      sql(`INSERT INTO sessions (id, data, state, start_token_hash, access_token_hash, start_expires_at, expires_at)
           VALUES (?, ?, ?, ?, NULL, ?, ?)`).run(session.id, JSON.stringify(session), session.state, startTokenHash, session.startExpiresAt, session.expiresAt);
    },

    async redeemStartToken(startTokenHash, accessTokenHash, now) {
      return transaction(() => {
        const row = sql('SELECT id, data, state, start_expires_at, expires_at FROM sessions WHERE start_token_hash = ?').get(startTokenHash) as
          | (SessionRow & { id: string; start_expires_at: number; expires_at: number })
          | undefined;
        if (!row) return null;
        // Forgotten before anything else: a token is good for one try, whatever happens next.
        sql('UPDATE sessions SET start_token_hash = NULL WHERE id = ?').run(row.id);
        if (row.state !== 'new' || row.start_expires_at <= now || row.expires_at <= now) return null;
        sql("UPDATE sessions SET state = 'active', access_token_hash = ? WHERE id = ?").run(accessTokenHash, row.id);
        return toSession({ data: row.data, state: 'active' });
      });
    },

    async sessionByAccessToken(accessTokenHash, now) {
      const row = sql("SELECT data, state FROM sessions WHERE access_token_hash = ? AND state = 'active' AND expires_at > ?").get(accessTokenHash, now) as
        | SessionRow
        | undefined;
      return row ? toSession(row) : null;
    },

    async getSession(id, now) {
      const row = sql('SELECT data, state FROM sessions WHERE id = ? AND expires_at > ?').get(id, now) as SessionRow | undefined;
      return row ? toSession(row) : null;
    },

    async replaceSession(next, expected, now) {
      // node:sqlite is synchronous: read, compare and write run in one transaction, uninterrupted.
      return transaction(() => {
        const row = sql('SELECT data, state FROM sessions WHERE id = ? AND expires_at > ?').get(next.id, now) as SessionRow | undefined;
        if (!row || row.state !== expected.state) return false;
        const stored = toSession(row);
        if (expected.lines && !sameLines(stored.lines, expected.lines)) return false;
        const changed = sql('UPDATE sessions SET data = ?, state = ? WHERE id = ? AND state = ?').run(
          JSON.stringify({ ...stored, state: next.state, lines: next.lines }),
          next.state,
          next.id,
          expected.state,
        ).changes;
        return Number(changed) === 1;
      });
    },

    async answered(key, now) {
      const row = sql('SELECT answer FROM answers WHERE key = ? AND expires_at > ?').get(key, now) as { answer: string } | undefined;
      return row ? (JSON.parse(row.answer) as AnsweredDocument) : null;
    },

    async rememberAnswer(key, answer, { now, ttlMs }) {
      purgeLazily(now);
      sql(
        'INSERT INTO answers (key, answer, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET answer = excluded.answer, expires_at = excluded.expires_at',
      ).run(key, JSON.stringify(answer), now + ttlMs);
    },

    async linkOrder(link) {
      sql(`INSERT INTO order_links (order_id, buyer_id, buyer_order_id, data, next_attempt_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (order_id) DO NOTHING`).run(link.orderId, link.buyerId, link.buyerOrderId, JSON.stringify(link), link.nextAttemptAt);
    },

    async linkByBuyerOrder(buyerId, buyerOrderId) {
      const row = sql('SELECT data, next_attempt_at FROM order_links WHERE buyer_id = ? AND buyer_order_id = ? ORDER BY seq DESC LIMIT 1').get(
        buyerId,
        buyerOrderId,
      ) as LinkRow | undefined;
      return row ? toLink(row) : null;
    },

    async dueOrderLinks(now, limit, leaseMs) {
      return transaction(() => {
        const rows = sql(`SELECT order_id, data, next_attempt_at FROM order_links
                          WHERE forget_at IS NULL AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
                          ORDER BY next_attempt_at, seq LIMIT ?`).all(now, now, limit) as unknown as Array<LinkRow & { order_id: string }>;
        // The claim is kept apart from next_attempt_at, so dropping it (at open) leaves the link as it was.
        const claim = sql('UPDATE order_links SET claimed_until = ? WHERE order_id = ?');
        for (const row of rows) claim.run(now + leaseMs, row.order_id);
        return rows.map(toLink);
      });
    },

    async saveOrderLink(link) {
      sql('UPDATE order_links SET data = ?, next_attempt_at = ?, claimed_until = NULL WHERE order_id = ? AND forget_at IS NULL').run(
        JSON.stringify(link),
        link.nextAttemptAt,
        link.orderId,
      );
    },

    async finishOrderLink(link, { now, retainMs }) {
      sql('UPDATE order_links SET data = ?, next_attempt_at = ?, claimed_until = NULL, forget_at = ? WHERE order_id = ? AND forget_at IS NULL').run(
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
      if (db.isOpen) db.close();
    },
  };
}
