/**
 * Feed cursors in SQL, once, for a SQLite file (`sqlite/cursor-store.ts`) and a Durable Object's
 * storage (`durable-object/operations-store.ts`). The cursor is what matters: written with every
 * `set`, so a restart goes on where the last poll ended. The lease says who polls: in a file one
 * process owns anyway, in a Durable Object the one isolate (the jobs object) that holds it.
 *
 * @module
 */
import type { CursorStore } from '../../../ports/cursor-store.ts';
import type { SqlEngine } from './engine.ts';

/** One migration per schema version: never edit one that shipped, append a new one. */
export const CURSOR_MIGRATIONS: readonly string[] = [
  `CREATE TABLE cursors (feed TEXT PRIMARY KEY, cursor TEXT NOT NULL);
   CREATE TABLE leases (feed TEXT PRIMARY KEY, holder TEXT NOT NULL, until INTEGER NOT NULL);`,
];

/** The cursors over `db`, whose schema is at {@link CURSOR_MIGRATIONS}' latest; `close` closes what holds it. */
export function createSqlCursorStore(db: SqlEngine, close: () => void, now: () => number = Date.now): CursorStore {
  return {
    async get(feed) {
      return db.get<{ cursor: string }>('SELECT cursor FROM cursors WHERE feed = ?', feed)?.cursor ?? null;
    },
    async set(feed, cursor) {
      db.run('INSERT INTO cursors (feed, cursor) VALUES (?, ?) ON CONFLICT (feed) DO UPDATE SET cursor = excluded.cursor', feed, cursor);
    },
    async lease(feed, holder, ttlMs) {
      return db.transaction(() => {
        const row = db.get<{ holder: string; until: number }>('SELECT holder, until FROM leases WHERE feed = ?', feed);
        if (row && row.holder !== holder && row.until > now()) return false;
        db.run(
          'INSERT INTO leases (feed, holder, until) VALUES (?, ?, ?) ON CONFLICT (feed) DO UPDATE SET holder = excluded.holder, until = excluded.until',
          feed,
          holder,
          now() + ttlMs,
        );
        return true;
      });
    },
    async release(feed, holder) {
      db.run('DELETE FROM leases WHERE feed = ? AND holder = ?', feed, holder);
    },
    async close() {
      close();
    },
  };
}
