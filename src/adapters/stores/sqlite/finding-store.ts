/**
 * Reconciliation findings in a SQLite file (`DATA_DIR/reconciliation.sqlite`): the embedded set's.
 * A file of its own, so its schema versions independently of the orders'. At most one open
 * finding per kind and order is a partial unique index, not a promise of the code.
 *
 * @module
 */
import { findingId, noFindings, type Finding, type FindingKind, type FindingStore, type ReconciliationRunRecord } from '../../../ports/finding-store.ts';
import { openSqlite } from './database.ts';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE findings (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     order_id TEXT NOT NULL,
     customer_id TEXT NOT NULL,
     erp_order_number TEXT,
     detail TEXT NOT NULL,
     differences TEXT NOT NULL,
     first_seen INTEGER NOT NULL,
     last_seen INTEGER NOT NULL,
     resolved_at INTEGER
   );
   CREATE UNIQUE INDEX findings_open ON findings (kind, order_id) WHERE resolved_at IS NULL;
   CREATE INDEX findings_resolved ON findings (resolved_at);
   CREATE TABLE runs (name TEXT PRIMARY KEY, record TEXT NOT NULL);`,
];

const COLUMNS = 'id, kind, order_id, customer_id, erp_order_number, detail, differences, first_seen, last_seen, resolved_at';

interface FindingRow {
  id: string;
  kind: string;
  order_id: string;
  customer_id: string;
  erp_order_number: string | null;
  detail: string;
  differences: string;
  first_seen: number;
  last_seen: number;
  resolved_at: number | null;
}

const iso = (ms: number) => new Date(Number(ms)).toISOString();

function toFinding(row: FindingRow): Finding {
  return {
    id: row.id,
    kind: row.kind as FindingKind,
    orderId: row.order_id,
    customerId: row.customer_id,
    erpOrderNumber: row.erp_order_number,
    detail: row.detail,
    differences: JSON.parse(row.differences) as Finding['differences'],
    firstSeenAt: iso(row.first_seen),
    lastSeenAt: iso(row.last_seen),
    resolvedAt: row.resolved_at === null ? null : iso(row.resolved_at),
  };
}

export function createSqliteFindingStore(options: { path: string }): FindingStore {
  const { db, sql, transaction } = openSqlite({ path: options.path, name: 'reconciliation.sqlite', migrations: MIGRATIONS });
  const openOf = (kind: string, orderId: string) =>
    sql(`SELECT ${COLUMNS} FROM findings WHERE kind = ? AND order_id = ? AND resolved_at IS NULL`).get(kind, orderId) as FindingRow | undefined;
  const rows = (text: string, ...params: Array<string | number>) => (sql(text).all(...params) as unknown as FindingRow[]).map(toFinding);

  return {
    async report(report, now) {
      return transaction(() => {
        const current = openOf(report.kind, report.orderId);
        const differences = JSON.stringify(report.differences);
        if (current) {
          sql('UPDATE findings SET customer_id = ?, erp_order_number = ?, detail = ?, differences = ?, last_seen = ? WHERE id = ?').run(
            report.customerId,
            report.erpOrderNumber,
            report.detail,
            differences,
            now,
            current.id,
          );
        } else {
          sql(`INSERT INTO findings (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`).run(
            findingId(report.kind, report.orderId, now),
            report.kind,
            report.orderId,
            report.customerId,
            report.erpOrderNumber,
            report.detail,
            differences,
            now,
            now,
          );
        }
        return { finding: toFinding(openOf(report.kind, report.orderId)!), opened: current === undefined };
      });
    },

    async resolve(kind, orderId, now) {
      return transaction(() => {
        const current = openOf(kind, orderId);
        if (!current) return null;
        sql('UPDATE findings SET resolved_at = ? WHERE id = ?').run(now, current.id);
        return toFinding({ ...current, resolved_at: now });
      });
    },

    async listOpen() {
      return rows(`SELECT ${COLUMNS} FROM findings WHERE resolved_at IS NULL ORDER BY first_seen, id`);
    },

    async list({ open, limit }) {
      const opened = open === false ? [] : rows(`SELECT ${COLUMNS} FROM findings WHERE resolved_at IS NULL ORDER BY first_seen, id LIMIT ?`, limit);
      const room = limit - opened.length;
      const closed =
        open === true || room <= 0 ? [] : rows(`SELECT ${COLUMNS} FROM findings WHERE resolved_at IS NOT NULL ORDER BY resolved_at DESC, id LIMIT ?`, room);
      return [...opened, ...closed];
    },

    async openCounts() {
      const counts = noFindings();
      for (const row of sql('SELECT kind, COUNT(*) AS n FROM findings WHERE resolved_at IS NULL GROUP BY kind').all() as Array<{
        kind: FindingKind;
        n: number;
      }>) {
        if (row.kind in counts) counts[row.kind] = Number(row.n);
      }
      return counts;
    },

    async purgeResolved(before) {
      return Number(sql('DELETE FROM findings WHERE resolved_at IS NOT NULL AND resolved_at < ?').run(before).changes);
    },

    async recordRun(run) {
      sql("INSERT INTO runs (name, record) VALUES ('last', ?) ON CONFLICT (name) DO UPDATE SET record = excluded.record").run(JSON.stringify(run));
    },

    async lastRun() {
      const row = sql("SELECT record FROM runs WHERE name = 'last'").get() as { record: string } | undefined;
      return row ? (JSON.parse(row.record) as ReconciliationRunRecord) : null;
    },

    async close() {
      db.close();
    },
  };
}
