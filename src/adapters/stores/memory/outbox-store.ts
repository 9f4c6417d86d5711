/**
 * The ERP-write outbox in this process's memory: for tests and the contract suite (nothing
 * durable; the embedded set keeps it in SQLite).
 *
 * @module
 */
import type { OutboxStore } from '../../../ports/outbox-store.ts';
import { outboxDueAt, RecordOutboxStore, type OutboxRecord, type OutboxRecords } from '../outbox-records.ts';

export function createMemoryOutboxStore(): OutboxStore {
  const records = new Map<string, OutboxRecord>();
  let seq = 0;
  const copy = (r: OutboxRecord) => structuredClone(r);
  const storage: OutboxRecords = {
    async insert(id, build) {
      const existing = records.get(id);
      if (existing) return { record: copy(existing), created: false };
      const record = build(++seq);
      records.set(id, copy(record));
      return { record: copy(record), created: true };
    },
    async get(id) {
      const record = records.get(id);
      return record ? copy(record) : null;
    },
    async replace(next, expectedVersion) {
      if (records.get(next.id)?.version !== expectedVersion) return false;
      records.set(next.id, copy(next));
      return true;
    },
    async listByCustomer(kind, customerId, beforeSeq, limit) {
      return [...records.values()]
        .filter((r) => r.kind === kind && r.customerId === customerId && r.seq < beforeSeq)
        .sort((a, b) => b.seq - a.seq)
        .slice(0, limit)
        .map(copy);
    },
    async due(now, limit) {
      return [...records.values()]
        .flatMap((r) => {
          const at = outboxDueAt(r);
          return at !== null && at <= now ? [{ id: r.id, at, seq: r.seq }] : [];
        })
        .sort((a, b) => a.at - b.at || a.seq - b.seq)
        .slice(0, limit)
        .map((r) => r.id);
    },
    async leased() {
      return [...records.values()].filter((r) => r.lease !== null).map((r) => r.id);
    },
    async close() {},
  };
  return new RecordOutboxStore(storage);
}
