/**
 * The reconciliation's metrics (runs, findings opened and open, orders queued again), defined in
 * the app's Prometheus registry with the part of the `Metrics` port that records them. The open
 * findings are read from the store once per scrape.
 *
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Metrics } from '../../ports/metrics.ts';

/** Registers the reconciliation's metrics in `registry`; returns the port's methods that feed them. */
export function reconciliationMetrics(registry: Registry): Pick<Metrics, 'reconciliationRun' | 'findingOpened' | 'ordersRequeued' | 'observeReconciliation'> {
  const reconciliationRuns = new Counter({
    name: 'erpfront_reconciliation_runs_total',
    help: "Reconciliation runs (erpfront's orders compared with the ERP's), by outcome: completed, failed.",
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const reconciliationDuration = new Histogram({
    name: 'erpfront_reconciliation_run_duration_seconds',
    help: 'Duration of reconciliation runs.',
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900],
    registers: [registry],
  });
  const findingsOpened = new Counter({
    name: 'erpfront_reconciliation_findings_total',
    help: 'Reconciliation findings opened (drift between erpfront and the ERP first seen), by kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const requeued = new Counter({
    name: 'erpfront_reconciliation_requeued_total',
    help: 'Orders the ERP no longer held, queued again by reconciliation.',
    registers: [registry],
  });
  let readReconciliation: (() => Promise<{ open: Record<string, number>; lastRunAt: number | null }>) | null = null;
  let reconciliationReading: Promise<{ open: Record<string, number>; lastRunAt: number | null } | null> | null = null;
  // One read of the findings per scrape serves both gauges; a store that does not answer reads as nothing.
  const readFindings = async () => {
    reconciliationReading ??= (readReconciliation ? readReconciliation().catch(() => null) : Promise.resolve(null)).finally(() =>
      setTimeout(() => (reconciliationReading = null), 0),
    );
    return reconciliationReading;
  };
  new Gauge({
    name: 'erpfront_reconciliation_findings_open',
    help: 'Reconciliation findings open now, by kind: MISSING_IN_ERP, LINES_DIFFER, TOTAL_DIFFERS, DUPLICATE_IN_ERP.',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const read = await readFindings();
      if (read) for (const [kind, count] of Object.entries(read.open)) this.set({ kind }, count);
    },
  });
  new Gauge({
    name: 'erpfront_reconciliation_last_run_timestamp_seconds',
    help: 'When the last reconciliation run ended (Unix time); 0 before the first.',
    registers: [registry],
    async collect() {
      const read = await readFindings();
      this.set(read?.lastRunAt ? read.lastRunAt / 1000 : 0);
    },
  });

  return {
    reconciliationRun(outcome, seconds) {
      reconciliationRuns.inc({ outcome });
      reconciliationDuration.observe(seconds);
    },
    findingOpened: (kind) => findingsOpened.inc({ kind }),
    ordersRequeued: (count) => requeued.inc(count),
    observeReconciliation(read) {
      readReconciliation = read;
    },
  };
}
