/**
 * The ERP-write outbox in a SQLite file (`DATA_DIR/outbox.sqlite`): the embedded set's. A file of
 * its own, so its schema versions independently of the orders'. Each record is kept whole (JSON)
 * beside the columns its reads look up by: kind and customer, when it is due, whether it is leased,
 * and its version, which every write checks.
 *
 * @module
 */
import type { OutboxStore } from '../../../ports/outbox-store.ts';
import { outboxDueAt, RecordOutboxStore, type OutboxRecord, type OutboxRecords } from '../outbox-records.ts';
import { openSqlite } from './database.ts';

const MIGRATIONS: readonly string[] = [
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

export function createSqliteOutboxStore(options: { path: string }): OutboxStore {
  const { db, sql, transaction } = openSqlite({ path: options.path, name: 'outbox.sqlite', migrations: MIGRATIONS });

  const storage: OutboxRecords = {
    async insert(id, build) {
      return transaction(() => {
        const existing = sql('SELECT record FROM outbox WHERE id = ?').get(id) as { record: string } | undefined;
        if (existing) return { record: parse(existing), created: false };
        const { next } = sql('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM outbox').get() as { next: number };
        const record = build(Number(next));
        sql('INSERT INTO outbox (id, seq, kind, customer_id, status, due_at, leased, version, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
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
      const row = sql('SELECT record FROM outbox WHERE id = ?').get(id) as { record: string } | undefined;
      return row ? parse(row) : null;
    },
    async replace(next, expectedVersion) {
      const result = sql('UPDATE outbox SET status = ?, due_at = ?, leased = ?, version = ?, record = ? WHERE id = ? AND version = ?').run(
        next.status,
        outboxDueAt(next),
        next.lease ? 1 : 0,
        next.version,
        JSON.stringify(next),
        next.id,
        expectedVersion,
      );
      return Number(result.changes) === 1;
    },
    async listByCustomer(kind, customerId, beforeSeq, limit) {
      const rows = sql('SELECT record FROM outbox WHERE kind = ? AND customer_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?').all(
        kind,
        customerId,
        beforeSeq,
        limit,
      ) as unknown as Array<{ record: string }>;
      return rows.map(parse);
    },
    async due(now, limit) {
      const rows = sql('SELECT id FROM outbox WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, seq LIMIT ?').all(now, limit) as Array<{ id: string }>;
      return rows.map((r) => r.id);
    },
    async leased() {
      return (sql('SELECT id FROM outbox WHERE leased = 1').all() as Array<{ id: string }>).map((r) => r.id);
    },
    async close() {
      db.close();
    },
  };
  return new RecordOutboxStore(storage);
}
