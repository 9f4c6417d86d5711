/**
 * The scheduler port: periodic work (order dispatch, PunchOut order notices, purges, the duplicate
 * order check; later reconciliation and ERP change polling) is declared as jobs, and a scheduler
 * runs them: timers on Node, Durable Object alarms on Workers. Tests call `tick()` directly.
 *
 * @module
 */

/** One piece of periodic work. */
export interface Job {
  /** Unique among the running jobs; shown in logs. */
  readonly name: string;
  /** Time from the end of one tick to the start of the next, in ms. */
  readonly intervalMs: number;
  /**
   * One round of the work. A scheduler never runs two ticks of the same job at once, and logs a
   * tick that throws (the next one runs on time). Resolves to the ms until the next tick when the
   * job knows better than its interval (work left over: 0; a pause asked for by the ERP: longer).
   */
  tick(): Promise<number | undefined>;
  /** Given the job's handle when it is scheduled: a job that learns of new work calls `runNow`. */
  scheduled?(handle: JobHandle): void;
  /** After the scheduler stopped: waits for work a tick started and did not await (in-flight submissions). */
  drain?(): Promise<void>;
}

/** A scheduled job's handle. */
export interface JobHandle {
  /** Ask for a tick as soon as possible (after the running one, if any): new work just arrived. */
  runNow(): void;
}

/** Runs jobs until stopped. */
export interface Scheduler {
  /** Starts running `job`; its first tick comes at once. */
  add(job: Job): JobHandle;
  /** Stops every job: no new ticks; waits for the running ones, then for each job's `drain`. */
  stop(): Promise<void>;
}
