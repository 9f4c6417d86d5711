/**
 * The audit log in SQL, once, for a SQLite file (`sqlite/audit-log.ts`) and a Durable Object's
 * storage (`durable-object/operations-store.ts`). Entries are kept (an audit trail is not purged by
 * erpfront); the row id gives the order of appending.
 *
 * @module
 */
import type { AuditEntry, AuditLog, AuditResult } from '../../../ports/audit-log.ts';
import type { SqlEngine } from './engine.ts';

/** One migration per schema version: never edit one that shipped, append a new one. */
export const AUDIT_MIGRATIONS: readonly string[] = [
  `CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     target TEXT,
     result TEXT NOT NULL,
     detail TEXT NOT NULL
   );
   CREATE INDEX audit_target ON audit (target, id);`,
];

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  result: string;
  detail: string;
}

const toEntry = (row: AuditRow): AuditEntry => ({
  id: String(row.id),
  at: row.at,
  actor: row.actor,
  action: row.action,
  target: row.target,
  result: row.result as AuditResult,
  detail: row.detail,
});

/** The audit log over `db`, whose schema is at {@link AUDIT_MIGRATIONS}' latest; `close` closes what holds it. */
export function createSqlAuditLog(db: SqlEngine, close: () => void): AuditLog {
  const rows = (text: string, ...params: Array<string | number>) => db.all<AuditRow>(text, ...params).map(toEntry);
  return {
    async append(record) {
      const { id } = db.get<{ id: number }>(
        'INSERT INTO audit (at, actor, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
        record.at,
        record.actor,
        record.action,
        record.target,
        record.result,
        record.detail,
      )!;
      return { ...record, id: String(id) };
    },
    async listRecent(limit) {
      return rows('SELECT * FROM audit ORDER BY id DESC LIMIT ?', Math.max(0, limit));
    },
    async listByTarget(target, limit) {
      return rows('SELECT * FROM audit WHERE target = ? ORDER BY id DESC LIMIT ?', target, Math.max(0, limit));
    },
    async close() {
      close();
    },
  };
}
