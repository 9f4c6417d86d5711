/**
 * The embedded company store: SQLite through `node:sqlite`, like the order store (WAL, synchronous
 * commits): a directory change or an approval acknowledged to a person is on disk. A file of its
 * own under DATA_DIR (`company.sqlite`), so its schema versions independently of the orders'. The
 * store itself is `../sql/company-store.ts`, shared with the Durable Object backend.
 *
 * @module
 */
import type { CompanyStore } from '../../../ports/company-store.ts';
import { COMPANY_MIGRATIONS, createSqlCompanyStore } from '../sql/company-store.ts';
import { openSqlite } from './database.ts';

export interface SqliteCompanyStoreOptions {
  /** The database file, or `:memory:` for tests. */
  path: string;
}

export function createSqliteCompanyStore(options: SqliteCompanyStoreOptions): CompanyStore {
  const { db, engine } = openSqlite({ path: options.path, name: 'company.sqlite', migrations: COMPANY_MIGRATIONS });
  return createSqlCompanyStore(engine, () => db.close());
}
