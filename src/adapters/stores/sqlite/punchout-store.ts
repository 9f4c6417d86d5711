/**
 * The embedded PunchOut store: SQLite (`punchout.sqlite` under DATA_DIR) through `node:sqlite`,
 * WAL, synchronous commits. What it buys over memory: an order link recorded when erpfront
 * accepted a buyer's OrderRequest survives a restart or a crash, so the buyer still gets its
 * ConfirmationRequest and ShipNoticeRequests; open sessions survive too. The store itself is
 * `../sql/punchout-store.ts`, shared with the Durable Object backend.
 *
 * A file of its own, not a table in `orders.sqlite`: the two schemas version independently.
 * One process owns it (the DATA_DIR lock), so claims on order links (`dueOrderLinks`) left by a
 * crashed predecessor are dropped when the store opens: its pending documents go out at once
 * rather than after the claim would have run out.
 *
 * @module
 */
import type { PunchOutStore } from '../../../ports/punchout-store.ts';
import { createSqlPunchOutStore } from '../sql/punchout-store.ts';
import { openSqlite } from './database.ts';
import { PUNCHOUT_MIGRATIONS } from './punchout-schema.ts';

export interface SqlitePunchOutStoreOptions {
  /** The database file (`<DATA_DIR>/punchout.sqlite`), or `:memory:` for tests. */
  path: string;
}

/** Opens (creating or upgrading) the database at `options.path`. */
export function createSqlitePunchOutStore(options: SqlitePunchOutStoreOptions): PunchOutStore {
  const { db, engine } = openSqlite({ path: options.path, name: 'punchout.sqlite', migrations: PUNCHOUT_MIGRATIONS });
  // One process owns the file: claims left by a crashed predecessor would only delay its notices.
  db.exec('UPDATE order_links SET claimed_until = NULL WHERE claimed_until IS NOT NULL');
  return createSqlPunchOutStore(engine, () => {
    if (db.isOpen) db.close();
  });
}
