/**
 * Company applications in SQL, once, for a SQLite file (`sqlite/application-store.ts`) and a
 * Durable Object's SQLite storage (`durable-object/application-store.ts`). Each record is kept
 * whole (JSON) beside the columns its reads look up by: status, applicant, when it is due, whether
 * it is leased, and its version, which every write checks (the rules are `../application-records.ts`').
 *
 * @module
 */
import type { ApplicationStore } from '../../../ports/application-store.ts';
import { dueAt, RecordApplicationStore, type ApplicationRecord, type ApplicationRecords } from '../application-records.ts';
import type { SqlEngine } from './engine.ts';

/** One migration per schema version: never edit one that shipped, append a new one. */
export const APPLICATION_MIGRATIONS: readonly string[] = [
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

/** The applications over `db`, whose schema is at {@link APPLICATION_MIGRATIONS}' latest; `close` closes what holds it. */
export function createSqlApplicationStore(db: SqlEngine, close: () => void): ApplicationStore {
  const records = (text: string, ...params: Array<string | number>) => db.all<{ record: string }>(text, ...params).map(parse);

  const storage: ApplicationRecords = {
    async insert(build) {
      return db.transaction(() => {
        const { next } = db.get<{ next: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM applications')!;
        const record = build(Number(next));
        db.run(
          'INSERT INTO applications (id, seq, status, applicant, due_at, leased, version, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
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
      const row = db.get<{ record: string }>('SELECT record FROM applications WHERE id = ?', id);
      return row ? parse(row) : null;
    },
    async replace(next, expectedVersion) {
      const changed = db.run(
        'UPDATE applications SET status = ?, due_at = ?, leased = ?, version = ?, record = ? WHERE id = ? AND version = ?',
        next.status,
        dueAt(next),
        next.lease ? 1 : 0,
        next.version,
        JSON.stringify(next),
        next.id,
        expectedVersion,
      );
      return changed === 1;
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
      return db
        .all<{ id: string }>('SELECT id FROM applications WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, seq LIMIT ?', now, limit)
        .map((r) => r.id);
    },
    async leased() {
      return db.all<{ id: string }>('SELECT id FROM applications WHERE leased = 1').map((r) => r.id);
    },
    async close() {
      close();
    },
  };
  return new RecordApplicationStore(storage);
}
