/**
 * The figures the console shows that only the metrics hold (cache hits per domain, time spent
 * waiting for an ERP permit per priority, ERP calls by outcome), read from the metrics port's own
 * exposition: one source of truth, and no second set of counters to keep in step. This instance's
 * counters since it started.
 *
 * @module
 */
import type { Metrics } from '../../ports/metrics.ts';

/** One sample: the metric's name, its labels, its value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of a Prometheus text exposition (comments and malformed lines skipped). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (!Number.isFinite(value)) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(LABEL)) labels[label[1]!] = label[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

export interface CacheReading {
  /** hit, stale, miss, coalesced: lookups since start. */
  hit: number;
  stale: number;
  miss: number;
  coalesced: number;
}

export interface MetricReadings {
  /** By cache domain. */
  cache: Record<string, CacheReading>;
  /** Permits granted, and the seconds spent waiting for them, by priority. */
  budgetWaits: Record<string, { count: number; seconds: number }>;
  /** ERP calls by outcome (success, error, timeout, circuit_open, ...). */
  erpCalls: Record<string, number>;
}

/** Reads the figures from the metrics' exposition. */
export async function readMetrics(metrics: Metrics): Promise<MetricReadings> {
  const readings: MetricReadings = { cache: {}, budgetWaits: {}, erpCalls: {} };
  for (const { name, labels, value } of parseExposition(await metrics.render())) {
    if (name === 'erpfront_cache_requests_total' && labels.cache && labels.result) {
      const domain = (readings.cache[labels.cache] ??= { hit: 0, stale: 0, miss: 0, coalesced: 0 });
      if (labels.result in domain) domain[labels.result as keyof CacheReading] += value;
    } else if (name === 'erpfront_erp_budget_wait_seconds_count' && labels.priority) {
      (readings.budgetWaits[labels.priority] ??= { count: 0, seconds: 0 }).count += value;
    } else if (name === 'erpfront_erp_budget_wait_seconds_sum' && labels.priority) {
      (readings.budgetWaits[labels.priority] ??= { count: 0, seconds: 0 }).seconds += value;
    } else if (name === 'erpfront_erp_requests_total' && labels.outcome) {
      readings.erpCalls[labels.outcome] = (readings.erpCalls[labels.outcome] ?? 0) + value;
    }
  }
  return readings;
}

/** Served from the cache (fresh, stale or joined a fetch) over all lookups; `null` before any. */
export function hitRatio(reading: CacheReading): number | null {
  const total = reading.hit + reading.stale + reading.miss + reading.coalesced;
  return total === 0 ? null : (reading.hit + reading.stale + reading.coalesced) / total;
}
