/**
 * The audit log in this process only (the memory backends, tests): bounded, oldest dropped first,
 * and gone at restart.
 *
 * @module
 */
import type { AuditEntry, AuditLog } from '../../../ports/audit-log.ts';

export function createMemoryAuditLog(options: { maxEntries?: number } = {}): AuditLog {
  const max = options.maxEntries ?? 10_000;
  const entries: AuditEntry[] = [];
  let sequence = 0;
  return {
    async append(record) {
      const entry: AuditEntry = { ...record, id: String(++sequence) };
      entries.push(entry);
      if (entries.length > max) entries.splice(0, entries.length - max);
      return { ...entry };
    },
    async listRecent(limit) {
      if (limit <= 0) return [];
      return entries
        .slice(Math.max(0, entries.length - limit))
        .reverse()
        .map((e) => ({ ...e }));
    },
    async listByTarget(target, limit) {
      const found: AuditEntry[] = [];
      for (let i = entries.length - 1; i >= 0 && found.length < limit; i--) if (entries[i]!.target === target) found.push({ ...entries[i]! });
      return found;
    },
    async close() {},
  };
}
