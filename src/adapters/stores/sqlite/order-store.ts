/**
 * The embedded order store: SQLite through Node's own `node:sqlite`, in WAL mode, synchronous
 * commits (`synchronous=FULL`): an order acknowledged to the buyer is on disk, and survives
 * `kill -9` and a power cut. The store itself is `../sql/order-store.ts`, shared with the Durable
 * Object backend.
 *
 * One erpfront process owns a database (see `lockDataDir`); several instances share Redis instead.
 *
 * @module
 */
import type { OrderStore } from '../../../ports/order-store.ts';
import { createSqlOrderStore } from '../sql/order-store.ts';
import { openSqlite } from './database.ts';
import { ORDER_MIGRATIONS } from './schema.ts';

export { exposureMicros } from '../sql/order-store.ts';

export interface SqliteOrderStoreOptions {
  /** The database file, or `:memory:` for tests. */
  path: string;
}

export function createSqliteOrderStore(options: SqliteOrderStoreOptions): OrderStore {
  const { db, engine } = openSqlite({ path: options.path, name: 'orders.sqlite', migrations: ORDER_MIGRATIONS, pragmas: ['foreign_keys = ON'] });
  return createSqlOrderStore(engine, () => db.close());
}
