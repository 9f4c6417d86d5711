/**
 * The audit log in a SQLite file (`DATA_DIR/audit.sqlite`): the embedded set's. A file of its own,
 * so its schema versions independently of the orders'. The log itself is `../sql/audit-log.ts`,
 * shared with the Durable Object backend.
 *
 * @module
 */
import type { AuditLog } from '../../../ports/audit-log.ts';
import { AUDIT_MIGRATIONS, createSqlAuditLog } from '../sql/audit-log.ts';
import { openSqlite } from './database.ts';

export function createSqliteAuditLog(options: { path: string }): AuditLog {
  const { db, engine } = openSqlite({ path: options.path, name: 'audit.sqlite', migrations: AUDIT_MIGRATIONS });
  return createSqlAuditLog(engine, () => db.close());
}
