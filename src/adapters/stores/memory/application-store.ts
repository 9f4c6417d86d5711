/**
 * The application store in this process's memory: for tests and the contract suite (nothing
 * durable; the embedded set keeps applications in SQLite).
 *
 * @module
 */
import type { ApplicationStore } from '../../../ports/application-store.ts';
import { dueAt, RecordApplicationStore, type ApplicationRecord, type ApplicationRecords } from '../application-records.ts';

export function createMemoryApplicationStore(): ApplicationStore {
  const records = new Map<string, ApplicationRecord>();
  let seq = 0;
  const copy = (r: ApplicationRecord) => structuredClone(r);
  const storage: ApplicationRecords = {
    async insert(build) {
      const record = build(++seq);
      records.set(record.id, copy(record));
      return copy(record);
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
    async list({ status, afterSeq, limit }) {
      return [...records.values()]
        .filter((r) => r.seq > afterSeq && (status === undefined || r.status === status))
        .slice(0, limit)
        .map(copy);
    },
    async listByApplicant(applicant, limit) {
      return [...records.values()]
        .filter((r) => r.applicant === applicant)
        .reverse()
        .slice(0, limit)
        .map(copy);
    },
    async due(now, limit) {
      return [...records.values()]
        .flatMap((r) => {
          const at = dueAt(r);
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
  return new RecordApplicationStore(storage);
}
