/**
 * Company applications in a SQLite file (`DATA_DIR/applications.sqlite`): the embedded set's. A
 * file of its own, so its schema versions independently of the orders'. Each record is kept whole
 * (JSON) beside the columns its reads look up by: status, applicant, when it is due, whether it is
 * leased, and its version, which every write checks.
 *
 * @module
 */
import type { ApplicationStore } from '../../../ports/application-store.ts';
import { dueAt, RecordApplicationStore, type ApplicationRecord, type ApplicationRecords } from '../application-records.ts';
import { openSqlite } from './database.ts';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE applications (
     id TEXT PRIMARY KEY,
     seq INTEGER NOT NULL UNIQUE,
     status TEXT NOT NULL,
     applicant TEXT NOT NULL,
     due_at INTEGER,
     leased INTEGER NOT NULL,
     version INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX applications_status ON applications (status, seq);
   CREATE INDEX applications_applicant ON applications (applicant, seq);
   CREATE INDEX applications_due ON applications (due_at) WHERE due_at IS NOT NULL;
   CREATE INDEX applications_leased ON applications (leased) WHERE leased = 1;`,
];

const parse = (row: { record: string }) => JSON.parse(row.record) as ApplicationRecord;

export function createSqliteApplicationStore(options: { path: string }): ApplicationStore {
  const { db, sql, transaction } = openSqlite({ path: options.path, name: 'applications.sqlite', migrations: MIGRATIONS });
  const records = (text: string, ...params: Array<string | number>) => (sql(text).all(...params) as unknown as Array<{ record: string }>).map(parse);

  const storage: ApplicationRecords = {
    async insert(build) {
      return transaction(() => {
        const { next } = sql('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM applications').get() as { next: number };
        const record = build(Number(next));
        sql('INSERT INTO applications (id, seq, status, applicant, due_at, leased, version, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
          record.id,
          record.seq,
          record.status,
          record.applicant,
          dueAt(record),
          record.lease ? 1 : 0,
          record.version,
          JSON.stringify(record),
        );
        return record;
      });
    },
    async get(id) {
      const row = sql('SELECT record FROM applications WHERE id = ?').get(id) as { record: string } | undefined;
      return row ? parse(row) : null;
    },
    async replace(next, expectedVersion) {
      const result = sql('UPDATE applications SET status = ?, due_at = ?, leased = ?, version = ?, record = ? WHERE id = ? AND version = ?').run(
        next.status,
        dueAt(next),
        next.lease ? 1 : 0,
        next.version,
        JSON.stringify(next),
        next.id,
        expectedVersion,
      );
      return Number(result.changes) === 1;
    },
    async list({ status, afterSeq, limit }) {
      return status === undefined
        ? records('SELECT record FROM applications WHERE seq > ? ORDER BY seq LIMIT ?', afterSeq, limit)
        : records('SELECT record FROM applications WHERE status = ? AND seq > ? ORDER BY seq LIMIT ?', status, afterSeq, limit);
    },
    async listByApplicant(applicant, limit) {
      return records('SELECT record FROM applications WHERE applicant = ? ORDER BY seq DESC LIMIT ?', applicant, limit);
    },
    async due(now, limit) {
      const rows = sql('SELECT id FROM applications WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, seq LIMIT ?').all(now, limit) as Array<{
        id: string;
      }>;
      return rows.map((r) => r.id);
    },
    async leased() {
      return (sql('SELECT id FROM applications WHERE leased = 1').all() as Array<{ id: string }>).map((r) => r.id);
    },
    async close() {
      db.close();
    },
  };
  return new RecordApplicationStore(storage);
}
