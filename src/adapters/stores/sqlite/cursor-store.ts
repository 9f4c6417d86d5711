/**
 * Feed cursors in a SQLite file (`DATA_DIR/cursors.sqlite`): the embedded set's. One process owns
 * DATA_DIR (its lock), so the lease is kept only for the port's sake; the cursor is what matters:
 * synced to disk with every write, so a restart goes on where the last poll ended.
 *
 * @module
 */
import type { CursorStore } from '../../../ports/cursor-store.ts';
import { openSqlite } from './database.ts';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE cursors (feed TEXT PRIMARY KEY, cursor TEXT NOT NULL);
   CREATE TABLE leases (feed TEXT PRIMARY KEY, holder TEXT NOT NULL, until INTEGER NOT NULL);`,
];

export function createSqliteCursorStore(options: { path: string; now?: () => number }): CursorStore {
  const now = options.now ?? Date.now;
  const { db, sql, transaction } = openSqlite({ path: options.path, name: 'cursors.sqlite', migrations: MIGRATIONS });
  return {
    async get(feed) {
      const row = sql('SELECT cursor FROM cursors WHERE feed = ?').get(feed) as { cursor: string } | undefined;
      return row?.cursor ?? null;
    },
    async set(feed, cursor) {
      sql('INSERT INTO cursors (feed, cursor) VALUES (?, ?) ON CONFLICT (feed) DO UPDATE SET cursor = excluded.cursor').run(feed, cursor);
    },
    async lease(feed, holder, ttlMs) {
      return transaction(() => {
        const row = sql('SELECT holder, until FROM leases WHERE feed = ?').get(feed) as { holder: string; until: number } | undefined;
        if (row && row.holder !== holder && row.until > now()) return false;
        sql('INSERT INTO leases (feed, holder, until) VALUES (?, ?, ?) ON CONFLICT (feed) DO UPDATE SET holder = excluded.holder, until = excluded.until').run(
          feed,
          holder,
          now() + ttlMs,
        );
        return true;
      });
    },
    async close() {
      db.close();
    },
  };
}
