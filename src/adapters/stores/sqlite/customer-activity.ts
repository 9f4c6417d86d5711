/**
 * Customer activity in a SQLite file (`DATA_DIR/activity.sqlite`): the embedded set's, so a
 * restart still knows who bought last week and the price sheet does not start from nobody.
 *
 * @module
 */
import type { CustomerActivityStore } from '../../../ports/customer-activity.ts';
import { openSqlite } from './database.ts';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE customer_activity (customer_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL);
   CREATE INDEX customer_activity_seen ON customer_activity (seen_at);`,
];

export function createSqliteCustomerActivity(options: { path: string }): CustomerActivityStore {
  const { db, sql, transaction } = openSqlite({ path: options.path, name: 'activity.sqlite', migrations: MIGRATIONS });
  return {
    async touch(customerIds, at) {
      if (customerIds.length === 0) return;
      const upsert = sql(
        `INSERT INTO customer_activity (customer_id, seen_at) VALUES (?, ?)
         ON CONFLICT (customer_id) DO UPDATE SET seen_at = MAX(seen_at, excluded.seen_at)`,
      );
      transaction(() => {
        for (const id of customerIds) upsert.run(id, at);
      });
    },
    async seenSince(since) {
      const rows = sql('SELECT customer_id FROM customer_activity WHERE seen_at >= ? ORDER BY customer_id').all(since) as Array<{ customer_id: string }>;
      return rows.map((row) => row.customer_id);
    },
    async forgetBefore(before) {
      return Number(sql('DELETE FROM customer_activity WHERE seen_at < ?').run(before).changes);
    },
    async close() {
      db.close();
    },
  };
}
