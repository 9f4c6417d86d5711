/**
 * The ERP-write outbox in a SQLite file (`DATA_DIR/outbox.sqlite`): the embedded set's. A file of
 * its own, so its schema versions independently of the orders'. The store itself is
 * `../sql/outbox-store.ts`, shared with the Durable Object backend.
 *
 * @module
 */
import type { OutboxStore } from '../../../ports/outbox-store.ts';
import { createSqlOutboxStore, OUTBOX_MIGRATIONS } from '../sql/outbox-store.ts';
import { openSqlite } from './database.ts';

export function createSqliteOutboxStore(options: { path: string }): OutboxStore {
  const { db, engine } = openSqlite({ path: options.path, name: 'outbox.sqlite', migrations: OUTBOX_MIGRATIONS });
  return createSqlOutboxStore(engine, () => db.close());
}
