/**
 * The delivery log in SQL (`durable-object/operations-store.ts` runs it): webhook delivery ids
 * already acted on, each kept until its `until`. A claim decides in one statement whether the id is
 * new, so two isolates claiming one delivery at once cannot both act on it. Expired ids are
 * claimable again and are purged a few at a time by later claims, so the table stays as large as
 * the deliveries of the retention window.
 *
 * @module
 */
import type { DeliveryLog } from '../../../ports/delivery-log.ts';
import type { SqlEngine } from './engine.ts';

/** One migration per schema version: never edit one that shipped, append a new one. */
export const DELIVERY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE deliveries (id TEXT PRIMARY KEY, until INTEGER NOT NULL);
   CREATE INDEX deliveries_until ON deliveries (until);`,
];

/** Expired ids removed by each claim, at most: a claim's cost stays small after a quiet spell. */
const PURGE_PER_CLAIM = 100;

/** The delivery log over `db`, whose schema is at {@link DELIVERY_MIGRATIONS}' latest. */
export function createSqlDeliveryLog(db: SqlEngine, now: () => number = Date.now): DeliveryLog {
  return {
    async claim(id, retainMs) {
      const at = now();
      return db.transaction(() => {
        db.run('DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE until <= ? LIMIT ?)', at, PURGE_PER_CLAIM);
        // An expired row of this id was just purged, or is older than the purge's share: replaced.
        const changed = db.run(
          'INSERT INTO deliveries (id, until) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET until = excluded.until WHERE deliveries.until <= ?',
          id,
          at + retainMs,
          at,
        );
        return changed === 1;
      });
    },
    async release(id) {
      db.run('DELETE FROM deliveries WHERE id = ?', id);
    },
  };
}
