/**
 * Reconciliation findings in a SQLite file (`DATA_DIR/reconciliation.sqlite`): the embedded set's.
 * A file of its own, so its schema versions independently of the orders'. The store itself is
 * `../sql/finding-store.ts`, shared with the Durable Object backend.
 *
 * @module
 */
import type { FindingStore } from '../../../ports/finding-store.ts';
import { createSqlFindingStore, FINDING_MIGRATIONS } from '../sql/finding-store.ts';
import { openSqlite } from './database.ts';

export function createSqliteFindingStore(options: { path: string }): FindingStore {
  const { db, engine } = openSqlite({ path: options.path, name: 'reconciliation.sqlite', migrations: FINDING_MIGRATIONS });
  return createSqlFindingStore(engine, () => db.close());
}
