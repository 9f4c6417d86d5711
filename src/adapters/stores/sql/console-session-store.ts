/**
 * Ops console sessions in SQL (`durable-object/operations-store.ts` runs it), under the SHA-256 key
 * the console hands in (see the port). A session is unknown from its `expiresAt` on, by the
 * reader's clock or the store's own, whichever is later, and expired rows are purged as sessions
 * are written.
 *
 * @module
 */
import type { ConsoleSession, ConsoleSessionStore } from '../../../ports/console-session-store.ts';
import type { SqlEngine } from './engine.ts';

/** One migration per schema version: never edit one that shipped, append a new one. */
export const CONSOLE_SESSION_MIGRATIONS: readonly string[] = [
  `CREATE TABLE console_sessions (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, session TEXT NOT NULL);
   CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);`,
];

/** The sessions over `db`, whose schema is at {@link CONSOLE_SESSION_MIGRATIONS}' latest. */
export function createSqlConsoleSessionStore(db: SqlEngine, close: () => void, clock: () => number = Date.now): ConsoleSessionStore {
  return {
    async put(key, session) {
      db.transaction(() => {
        db.run('DELETE FROM console_sessions WHERE expires_at <= ?', clock());
        db.run(
          'INSERT INTO console_sessions (key, expires_at, session) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at, session = excluded.session',
          key,
          session.expiresAt,
          JSON.stringify(session),
        );
      });
    },
    async get(key, now) {
      const row = db.get<{ session: string }>('SELECT session FROM console_sessions WHERE key = ? AND expires_at > ?', key, Math.max(now, clock()));
      return row ? (JSON.parse(row.session) as ConsoleSession) : null;
    },
    async delete(key) {
      db.run('DELETE FROM console_sessions WHERE key = ?', key);
    },
    async close() {
      close();
    },
  };
}
