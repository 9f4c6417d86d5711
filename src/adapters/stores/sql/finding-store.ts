/**
 * Reconciliation findings in SQL, once, for a SQLite file (`sqlite/finding-store.ts`) and a Durable
 * Object's storage (`durable-object/operations-store.ts`). At most one open finding per kind and
 * order is a partial unique index, not a promise of the code.
 *
 * @module
 */
import { findingId, noFindings, type Finding, type FindingKind, type FindingStore, type ReconciliationRunRecord } from '../../../ports/finding-store.ts';
import type { SqlEngine } from './engine.ts';

/** One migration per schema version: never edit one that shipped, append a new one. */
export const FINDING_MIGRATIONS: readonly string[] = [
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

/** The findings over `db`, whose schema is at {@link FINDING_MIGRATIONS}' latest; `close` closes what holds it. */
export function createSqlFindingStore(db: SqlEngine, close: () => void): FindingStore {
  const openOf = (kind: string, orderId: string) =>
    db.get<FindingRow>(`SELECT ${COLUMNS} FROM findings WHERE kind = ? AND order_id = ? AND resolved_at IS NULL`, kind, orderId);
  const rows = (text: string, ...params: Array<string | number>) => db.all<FindingRow>(text, ...params).map(toFinding);

  return {
    async report(report, now) {
      return db.transaction(() => {
        const current = openOf(report.kind, report.orderId);
        const differences = JSON.stringify(report.differences);
        if (current) {
          db.run(
            'UPDATE findings SET customer_id = ?, erp_order_number = ?, detail = ?, differences = ?, last_seen = ? WHERE id = ?',
            report.customerId,
            report.erpOrderNumber,
            report.detail,
            differences,
            now,
            current.id,
          );
        } else {
          db.run(
            `INSERT INTO findings (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
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
      return db.transaction(() => {
        const current = openOf(kind, orderId);
        if (!current) return null;
        db.run('UPDATE findings SET resolved_at = ? WHERE id = ?', now, current.id);
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
      for (const row of db.all<{ kind: FindingKind; n: number }>('SELECT kind, COUNT(*) AS n FROM findings WHERE resolved_at IS NULL GROUP BY kind')) {
        if (row.kind in counts) counts[row.kind] = Number(row.n);
      }
      return counts;
    },

    async purgeResolved(before) {
      return db.run('DELETE FROM findings WHERE resolved_at IS NOT NULL AND resolved_at < ?', before);
    },

    async recordRun(run) {
      db.run("INSERT INTO runs (name, record) VALUES ('last', ?) ON CONFLICT (name) DO UPDATE SET record = excluded.record", JSON.stringify(run));
    },

    async lastRun() {
      const row = db.get<{ record: string }>("SELECT record FROM runs WHERE name = 'last'");
      return row ? (JSON.parse(row.record) as ReconciliationRunRecord) : null;
    },

    async close() {
      close();
    },
  };
}
