/**
 * Feed cursors in a SQLite file (`DATA_DIR/cursors.sqlite`): the embedded set's. One process owns
 * DATA_DIR (its lock), so the lease is kept only for the port's sake; the cursor is what matters:
 * synced to disk with every write, so a restart goes on where the last poll ended. The store itself
 * is `../sql/cursor-store.ts`, shared with the Durable Object backend.
 *
 * @module
 */
import type { CursorStore } from '../../../ports/cursor-store.ts';
import { createSqlCursorStore, CURSOR_MIGRATIONS } from '../sql/cursor-store.ts';
import { openSqlite } from './database.ts';

export function createSqliteCursorStore(options: { path: string; now?: () => number }): CursorStore {
  const { db, engine } = openSqlite({ path: options.path, name: 'cursors.sqlite', migrations: CURSOR_MIGRATIONS });
  return createSqlCursorStore(engine, () => db.close(), options.now);
}
