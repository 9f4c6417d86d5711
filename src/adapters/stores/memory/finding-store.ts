/**
 * Reconciliation findings in this process only (the memory backends, tests): nothing survives a
 * restart. Resolved findings are bounded by count as well as purged by age, so a process that is
 * never purged cannot grow without end.
 *
 * @module
 */
import { findingId, noFindings, type Finding, type FindingStore, type ReconciliationRunRecord } from '../../../ports/finding-store.ts';

export interface MemoryFindingStoreOptions {
  /** Most resolved findings kept; the longest resolved go first (default 10,000). */
  maxResolved?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const openKey = (kind: string, orderId: string) => `${kind}\u0000${orderId}`;

export function createMemoryFindingStore(options: MemoryFindingStoreOptions = {}): FindingStore {
  const maxResolved = options.maxResolved ?? 10_000;
  const open = new Map<string, Finding>();
  /** Oldest resolved first. */
  let resolved: Finding[] = [];
  let last: ReconciliationRunRecord | null = null;
  const copy = (finding: Finding): Finding => structuredClone(finding);

  return {
    async report(report, now) {
      const key = openKey(report.kind, report.orderId);
      const current = open.get(key);
      const finding: Finding = current
        ? { ...current, ...structuredClone(report), lastSeenAt: iso(now) }
        : { ...structuredClone(report), id: findingId(report.kind, report.orderId, now), firstSeenAt: iso(now), lastSeenAt: iso(now), resolvedAt: null };
      open.set(key, finding);
      return { finding: copy(finding), opened: current === undefined };
    },

    async resolve(kind, orderId, now) {
      const key = openKey(kind, orderId);
      const current = open.get(key);
      if (!current) return null;
      open.delete(key);
      const finding = { ...current, resolvedAt: iso(now) };
      resolved.push(finding);
      if (resolved.length > maxResolved) resolved = resolved.slice(resolved.length - maxResolved);
      return copy(finding);
    },

    async listOpen() {
      return [...open.values()].sort(byFirstSeen).map(copy);
    },

    async list({ open: wanted, limit }) {
      const opened = wanted === false ? [] : [...open.values()].sort(byFirstSeen);
      const closed = wanted === true ? [] : [...resolved].reverse();
      return [...opened, ...closed].slice(0, limit).map(copy);
    },

    async openCounts() {
      const counts = noFindings();
      for (const finding of open.values()) counts[finding.kind]++;
      return counts;
    },

    async purgeResolved(before) {
      const kept = resolved.filter((f) => Date.parse(f.resolvedAt!) >= before);
      const purged = resolved.length - kept.length;
      resolved = kept;
      return purged;
    },

    async recordRun(run) {
      last = structuredClone(run);
    },

    async lastRun() {
      return last && structuredClone(last);
    },

    async close() {},
  };
}

function byFirstSeen(a: Finding, b: Finding): number {
  return a.firstSeenAt.localeCompare(b.firstSeenAt) || a.id.localeCompare(b.id);
}
