/**
 * The audit log in a SQLite file (`DATA_DIR/audit.sqlite`): the embedded set's. A file of its own,
 * so its schema versions independently of the orders'. Entries are kept (an audit trail is not
 * purged by erpfront); the row id gives the order of appending.
 *
 * @module
 */
import type { AuditEntry, AuditLog, AuditResult } from '../../../ports/audit-log.ts';
import { openSqlite } from './database.ts';

const MIGRATIONS: readonly string[] = [
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

export function createSqliteAuditLog(options: { path: string }): AuditLog {
  const { db, sql } = openSqlite({ path: options.path, name: 'audit.sqlite', migrations: MIGRATIONS });
  const rows = (text: string, ...params: Array<string | number>) => (sql(text).all(...params) as unknown as AuditRow[]).map(toEntry);
  return {
    async append(record) {
      const { lastInsertRowid } = sql('INSERT INTO audit (at, actor, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?)').run(
        record.at,
        record.actor,
        record.action,
        record.target,
        record.result,
        record.detail,
      );
      return { ...record, id: String(lastInsertRowid) };
    },
    async listRecent(limit) {
      return rows('SELECT * FROM audit ORDER BY id DESC LIMIT ?', Math.max(0, limit));
    },
    async listByTarget(target, limit) {
      return rows('SELECT * FROM audit WHERE target = ? ORDER BY id DESC LIMIT ?', target, Math.max(0, limit));
    },
    async close() {
      db.close();
    },
  };
}
