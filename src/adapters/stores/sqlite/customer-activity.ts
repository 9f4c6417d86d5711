/**
 * Customer activity in a SQLite file (`DATA_DIR/activity.sqlite`): the embedded set's, so a
 * restart still knows who bought last week and the price sheet does not start from nobody. The
 * store itself is `../sql/customer-activity.ts`, shared with the Durable Object backend.
 *
 * @module
 */
import type { CustomerActivityStore } from '../../../ports/customer-activity.ts';
import { ACTIVITY_MIGRATIONS, createSqlCustomerActivity } from '../sql/customer-activity.ts';
import { openSqlite } from './database.ts';

export function createSqliteCustomerActivity(options: { path: string }): CustomerActivityStore {
  const { db, engine } = openSqlite({ path: options.path, name: 'activity.sqlite', migrations: ACTIVITY_MIGRATIONS });
  return createSqlCustomerActivity(engine, () => db.close());
}
