/**
 * The campaign's report: what ran (seed, mode, sizes, wall times), what the nemesis did (faults by
 * kind), what held (each invariant, with the first cases that broke it), and what buyers saw
 * (time to a definite answer, answers by code, the longest run of one transient answer per key).
 *
 * @module
 */
import type { OrderRecord } from './clients.ts';
import type { InvariantResult } from './invariants.ts';

export interface Availability {
  /** Milliseconds from an order's first attempt to its definite answer. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Definite answers: order statuses and definite refusals. */
  definite: Record<string, number>;
  /** Transient answers, retried with the same key. */
  transient: Record<string, number>;
  /** Per transient code, the longest a key kept getting it, and which key. */
  longestStreak: Record<string, { ms: number; key: string }>;
  /** Keys that were answered IDEMPOTENCY_KEY_IN_USE at least once. */
  keysInUse: number;
}

export interface CampaignReport {
  seed: number;
  mode: string;
  orders: number;
  instances: number;
  clients: number;
  /** Orders started per second at most. */
  rate: number;
  /** How the sandbox and erpfront were configured (the knobs that shape the faults). */
  settings: Record<string, string>;
  wallMs: { setup: number; run: number; heal: number; total: number };
  faults: Record<string, number>;
  nemesisErrors: string[];
  invariants: InvariantResult[];
  availability: Availability;
  /** erpfront_erp_duplicate_orders_total summed over the instances, where erpfront has it. */
  duplicatesMetric: number | null;
  replay: string;
  ok: boolean;
  /** The last lines each instance printed, kept when something failed. */
  instanceLogs: string[];
  /** Every order: its key, every answer (time, instance, code), its outcome (`--out` writes them). */
  records: OrderRecord[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const bump = (counts: Record<string, number>, code: string) => void (counts[code] = (counts[code] ?? 0) + 1);

export function availability(records: OrderRecord[]): Availability {
  const times = records
    .map((r) => r.elapsedMs)
    .filter((t): t is number => t !== null)
    .sort((a, b) => a - b);
  const definite: Record<string, number> = {};
  const transient: Record<string, number> = {};
  const longestStreak: Availability['longestStreak'] = {};
  let keysInUse = 0;
  for (const record of records) {
    if (record.answers.some((a) => a.code === 'IDEMPOTENCY_KEY_IN_USE')) keysInUse++;
    record.answers.forEach((answer, i) => {
      bump(answer.transient ? transient : definite, answer.code);
      // A streak: from the first of a run of one transient code to the next different answer.
      if (!answer.transient || record.answers[i - 1]?.code === answer.code) return;
      let end = i;
      while (record.answers[end + 1]?.code === answer.code) end++;
      const until = record.answers[end + 1]?.at ?? record.answers[end]!.at;
      const ms = until - answer.at;
      if (ms > (longestStreak[answer.code]?.ms ?? -1)) longestStreak[answer.code] = { ms, key: record.spec.key };
    });
  }
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), maxMs: times.at(-1) ?? 0, definite, transient, longestStreak, keysInUse };
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const counts = (c: Record<string, number>) =>
  Object.entries(c)
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

/** The report as text, for a terminal or a bench log. */
export function formatReport(r: CampaignReport): string {
  const lines = [
    `## Fault campaign: mode ${r.mode}, seed ${r.seed}, ${r.orders} orders, ${r.instances} instance(s), ${r.clients} clients, at most ${r.rate} orders/s`,
    `settings: ${Object.entries(r.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
    `wall time: setup ${s(r.wallMs.setup)}, orders under faults ${s(r.wallMs.run)}, heal and drain ${s(r.wallMs.heal)}, total ${s(r.wallMs.total)}`,
    `faults injected: ${counts(r.faults)}`,
    ...r.nemesisErrors.map((e) => `  nemesis error: ${e}`),
    'invariants:',
  ];
  for (const inv of r.invariants) {
    lines.push(`  ${inv.violations.length === 0 ? 'ok  ' : 'FAIL'} ${inv.name}${inv.violations.length ? ` (${inv.violations.length})` : ''}`);
    for (const v of inv.violations.slice(0, 10)) lines.push(`       ${v}`);
    if (inv.violations.length > 10) lines.push(`       … ${inv.violations.length - 10} more`);
  }
  const a = r.availability;
  lines.push(
    `time to a definite answer: p50 ${s(a.p50Ms)}, p99 ${s(a.p99Ms)}, max ${s(a.maxMs)}`,
    `definite answers: ${counts(a.definite)}`,
    `transient answers (retried with the same key): ${counts(a.transient)}`,
    `longest run of one transient answer for a key: ${
      Object.entries(a.longestStreak)
        .sort(([, x], [, y]) => y.ms - x.ms)
        .map(([code, v]) => `${code} ${s(v.ms)} (${v.key})`)
        .join(', ') || 'none'
    }`,
    `keys answered IDEMPOTENCY_KEY_IN_USE at least once: ${a.keysInUse}`,
    `erpfront_erp_duplicate_orders_total: ${r.duplicatesMetric === null ? 'not exported by this erpfront' : r.duplicatesMetric}`,
    `${r.ok ? 'PASS' : 'FAIL'}; replay: ${r.replay}`,
  );
  r.instanceLogs.forEach((log, i) => lines.push(`--- instance ${i}, last lines ---`, log.trim()));
  return lines.join('\n');
}
