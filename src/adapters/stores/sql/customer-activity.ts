/**
 * Customer activity in SQL, once, for a SQLite file (`sqlite/customer-activity.ts`) and a Durable
 * Object's storage (`durable-object/operations-store.ts`): who was acted for lately, so the price
 * sheet knows whose prices to keep, also after a restart.
 *
 * @module
 */
import type { CustomerActivityStore } from '../../../ports/customer-activity.ts';
import type { SqlEngine } from './engine.ts';

/** One migration per schema version: never edit one that shipped, append a new one. */
export const ACTIVITY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE customer_activity (customer_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL);
   CREATE INDEX customer_activity_seen ON customer_activity (seen_at);`,
];

/** The activity over `db`, whose schema is at {@link ACTIVITY_MIGRATIONS}' latest; `close` closes what holds it. */
export function createSqlCustomerActivity(db: SqlEngine, close: () => void): CustomerActivityStore {
  return {
    async touch(customerIds, at) {
      if (customerIds.length === 0) return;
      db.transaction(() => {
        for (const id of customerIds) {
          db.run(
            `INSERT INTO customer_activity (customer_id, seen_at) VALUES (?, ?)
             ON CONFLICT (customer_id) DO UPDATE SET seen_at = MAX(seen_at, excluded.seen_at)`,
            id,
            at,
          );
        }
      });
    },
    async seenSince(since) {
      return db
        .all<{ customer_id: string }>('SELECT customer_id FROM customer_activity WHERE seen_at >= ? ORDER BY customer_id', since)
        .map((row) => row.customer_id);
    },
    async forgetBefore(before) {
      return db.run('DELETE FROM customer_activity WHERE seen_at < ?', before);
    },
    async close() {
      close();
    },
  };
}
