/**
 * When reconciliation runs, and where: every RECONCILE_EVERY_MINUTES and on demand (operations'
 * `runReconciliation`), one run at a time across every instance.
 *
 * - One instance at a time: a run holds the `reconciliation` lease in the cursor store (shared in
 *   scale-out), renews it between pages and gives it up when done. An instance that finds it taken
 *   does not run; its caller is told so.
 * - One run per process at a time: asking while this process runs one joins that run.
 * - The schedule is shared: each instance's job looks at when the last run (anyone's) ended and
 *   runs when that is an interval ago. Before the very first run, the interval counts from when the
 *   schedule was first seen, kept in the cursor store, so frequent restarts do not put it off.
 *
 * @module
 */
import type { AuditLog } from '../../ports/audit-log.ts';
import type { Clock } from '../../ports/clock.ts';
import type { CursorStore } from '../../ports/cursor-store.ts';
import type { FindingStore, ReconciliationRunRecord } from '../../ports/finding-store.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { Job } from '../../ports/scheduler.ts';
import { loggableError } from '../../domain/loggable-error.ts';
import { auditAction } from '../../services/ops-audit.ts';

/** The lease's name in the cursor store. */
export const RECONCILIATION_LEASE = 'reconciliation';
/** Where the schedule's start is kept until the first run (cursor store). */
const SCHEDULE_START = 'reconciliation-schedule';

/** What asking for a run gave: the run, or why there was none. */
export type RunOutcome = { ran: true; run: ReconciliationRunRecord } | { ran: false; startedAt: string; skipped: string };

export interface ReconciliationRunsOptions {
  /** One run, start to end; `keepGoing` renews the lease (false: lost). */
  run: (keepGoing: () => Promise<boolean>) => Promise<ReconciliationRunRecord>;
  findings: FindingStore;
  cursors: CursorStore;
  /** Who holds the lease. */
  instanceId: string;
  clock: Clock;
  metrics: Pick<Metrics, 'reconciliationRun'>;
  logger: Logger;
  /** RECONCILE_EVERY_MINUTES in ms; 0: on demand only. */
  everyMs: number;
  /** How long the lease lasts unless renewed (default 5 min): a run that died frees it by then. */
  leaseMs?: number;
  /** Where runs a person asked for are recorded (`runFor`). */
  audit: AuditLog;
}

export class ReconciliationRuns {
  readonly #o: Required<ReconciliationRunsOptions>;
  #running: Promise<RunOutcome> | null = null;

  constructor(options: ReconciliationRunsOptions) {
    this.#o = { leaseMs: 5 * 60_000, ...options };
  }

  /** Runs now, unless another instance is running one; joins this process's run if one is under way. */
  runNow(): Promise<RunOutcome> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /**
   * A run a person asked for (GraphQL's `runReconciliation`, the ops console): `runNow`, written to
   * the audit log with who asked and how it ended.
   */
  async runFor(actor: string): Promise<RunOutcome> {
    const { audit, clock, logger } = this.#o;
    const record = (result: 'ok' | 'refused' | 'failed', detail: string) =>
      auditAction(audit, { at: new Date(clock.now()).toISOString(), actor, action: 'reconciliation.run', target: null, result, detail }, logger);
    let outcome: RunOutcome;
    try {
      outcome = await this.runNow();
    } catch (error) {
      await record('failed', 'The run failed before it was done (see the log); findings stay as they were.');
      throw error;
    }
    if (!outcome.ran) {
      await record('refused', outcome.skipped);
    } else {
      const { ordersChecked, ordersUnchecked, findingsOpened, findingsResolved, requeued } = outcome.run;
      await record(
        'ok',
        `${ordersChecked} orders checked (${ordersUnchecked} unanswered), ${findingsOpened} findings opened, ${findingsResolved} resolved, ${requeued.length} orders queued again.`,
      );
    }
    return outcome;
  }

  /** The scheduled job; `null` when reconciliation runs on demand only. */
  job(): Job | null {
    const { everyMs } = this.#o;
    if (everyMs <= 0) return null;
    return {
      name: 'reconciliation',
      intervalMs: everyMs,
      tick: async () => {
        const wait = await this.#untilDue();
        if (wait > 0) return wait;
        const outcome = await this.runNow();
        // Another instance is running it: look again soon, its record then sets the next time.
        return outcome.ran ? everyMs : Math.min(everyMs, 60_000);
      },
    };
  }

  async #run(): Promise<RunOutcome> {
    const { cursors, instanceId, leaseMs, clock, metrics, logger } = this.#o;
    const started = clock.now();
    if (!(await cursors.lease(RECONCILIATION_LEASE, instanceId, leaseMs))) {
      return {
        ran: false,
        startedAt: new Date(started).toISOString(),
        skipped: 'Another instance is running reconciliation now; its findings show in `reconciliation` once it is done.',
      };
    }
    try {
      const run = await this.#o.run(() => cursors.lease(RECONCILIATION_LEASE, instanceId, leaseMs));
      await this.#o.findings.recordRun(run);
      metrics.reconciliationRun('completed', (clock.now() - started) / 1000);
      const { requeued, ...counts } = run;
      logger.info('reconciliation run done', { ...counts, requeued: requeued.length });
      return { ran: true, run };
    } catch (error) {
      metrics.reconciliationRun('failed', (clock.now() - started) / 1000);
      logger.error('reconciliation run failed', { err: loggableError(error) });
      throw error;
    } finally {
      // Done (or failed): another instance may run the next one at once, not when the lease expires.
      await cursors.release(RECONCILIATION_LEASE, instanceId).catch(() => {});
    }
  }

  /** Ms until the next run is due (0: now). */
  async #untilDue(): Promise<number> {
    const { findings, cursors, clock, everyMs } = this.#o;
    const now = clock.now();
    const last = await findings.lastRun();
    let from: number;
    if (last) {
      from = Date.parse(last.finishedAt);
    } else {
      const start = await cursors.get(SCHEDULE_START);
      if (start === null) await cursors.set(SCHEDULE_START, new Date(now).toISOString());
      from = start === null ? now : Date.parse(start);
    }
    return Math.max(0, from + everyMs - now);
  }
}
