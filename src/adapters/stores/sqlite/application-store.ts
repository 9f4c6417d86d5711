/**
 * Company applications in a SQLite file (`DATA_DIR/applications.sqlite`): the embedded set's. A
 * file of its own, so its schema versions independently of the orders'. The store itself is
 * `../sql/application-store.ts`, shared with the Durable Object backend.
 *
 * @module
 */
import type { ApplicationStore } from '../../../ports/application-store.ts';
import { APPLICATION_MIGRATIONS, createSqlApplicationStore } from '../sql/application-store.ts';
import { openSqlite } from './database.ts';

export function createSqliteApplicationStore(options: { path: string }): ApplicationStore {
  const { db, engine } = openSqlite({ path: options.path, name: 'applications.sqlite', migrations: APPLICATION_MIGRATIONS });
  return createSqlApplicationStore(engine, () => db.close());
}
