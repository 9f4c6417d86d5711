/**
 * The ERP-write outbox in SQL, once, for a SQLite file (`sqlite/outbox-store.ts`) and a Durable
 * Object's SQLite storage (`durable-object/outbox-store.ts`). Each record is kept whole (JSON)
 * beside the columns its reads look up by: kind and customer, when it is due, whether it is
 * leased, and its version, which every write checks (the rules are `../outbox-records.ts`').
 *
 * @module
 */
import type { OutboxStore } from '../../../ports/outbox-store.ts';
import { outboxDueAt, RecordOutboxStore, type OutboxRecord, type OutboxRecords } from '../outbox-records.ts';
import type { SqlEngine } from './engine.ts';

/** One migration per schema version: never edit one that shipped, append a new one. */
export const OUTBOX_MIGRATIONS: readonly string[] = [
  `CREATE TABLE outbox (
     id TEXT PRIMARY KEY,
     seq INTEGER NOT NULL UNIQUE,
     kind TEXT NOT NULL,
     customer_id TEXT,
     status TEXT NOT NULL,
     due_at INTEGER,
     leased INTEGER NOT NULL,
     version INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX outbox_customer ON outbox (kind, customer_id, seq);
   CREATE INDEX outbox_due ON outbox (due_at) WHERE due_at IS NOT NULL;
   CREATE INDEX outbox_leased ON outbox (leased) WHERE leased = 1;`,
];

const parse = (row: { record: string }) => JSON.parse(row.record) as OutboxRecord;

/** The outbox over `db`, whose schema is at {@link OUTBOX_MIGRATIONS}' latest; `close` closes what holds it. */
export function createSqlOutboxStore(db: SqlEngine, close: () => void): OutboxStore {
  const storage: OutboxRecords = {
    async insert(id, build) {
      return db.transaction(() => {
        const existing = db.get<{ record: string }>('SELECT record FROM outbox WHERE id = ?', id);
        if (existing) return { record: parse(existing), created: false };
        const { next } = db.get<{ next: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM outbox')!;
        const record = build(Number(next));
        db.run(
          'INSERT INTO outbox (id, seq, kind, customer_id, status, due_at, leased, version, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          record.id,
          record.seq,
          record.kind,
          record.customerId,
          record.status,
          outboxDueAt(record),
          record.lease ? 1 : 0,
          record.version,
          JSON.stringify(record),
        );
        return { record, created: true };
      });
    },
    async get(id) {
      const row = db.get<{ record: string }>('SELECT record FROM outbox WHERE id = ?', id);
      return row ? parse(row) : null;
    },
    async replace(next, expectedVersion) {
      const changed = db.run(
        'UPDATE outbox SET status = ?, due_at = ?, leased = ?, version = ?, record = ? WHERE id = ? AND version = ?',
        next.status,
        outboxDueAt(next),
        next.lease ? 1 : 0,
        next.version,
        JSON.stringify(next),
        next.id,
        expectedVersion,
      );
      return changed === 1;
    },
    async listByCustomer(kind, customerId, beforeSeq, limit) {
      return db
        .all<{ record: string }>(
          'SELECT record FROM outbox WHERE kind = ? AND customer_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
          kind,
          customerId,
          beforeSeq,
          limit,
        )
        .map(parse);
    },
    async due(now, limit) {
      return db.all<{ id: string }>('SELECT id FROM outbox WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, seq LIMIT ?', now, limit).map((r) => r.id);
    },
    async leased() {
      return db.all<{ id: string }>('SELECT id FROM outbox WHERE leased = 1').map((r) => r.id);
    },
    async close() {
      close();
    },
  };
  return new RecordOutboxStore(storage);
}
