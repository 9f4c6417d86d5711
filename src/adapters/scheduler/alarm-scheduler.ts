/**
 * The scheduler on Cloudflare: jobs run on a Durable Object's alarm. An object has one alarm, so
 * the scheduler keeps each job's next tick and sets the alarm for the soonest; the object's
 * `alarm()` handler calls {@link AlarmScheduler.alarm}, which runs every job that is due (never
 * two ticks of one job at once) and sets the alarm again.
 *
 * The alarm is durable: it fires whether or not a request arrives, and after the object was
 * evicted or its isolate restarted (the object is then built again, adds its jobs, and the alarm
 * runs them). So an order queued while the ERP is down is dispatched when the ERP is back, with
 * nothing else to wake the Worker.
 *
 * @module
 */
import { loggableError } from '../../domain/loggable-error.ts';
import { systemClock, type Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Job, JobHandle, Scheduler } from '../../ports/scheduler.ts';

/** The part of a Durable Object's storage the scheduler uses. */
export interface AlarmStorage {
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number): Promise<void>;
  deleteAlarm(): Promise<void>;
}

export interface AlarmScheduler extends Scheduler {
  /** The object's `alarm()` handler: runs the jobs that are due, then sets the alarm for the next. */
  alarm(): Promise<void>;
}

interface Runner {
  job: Job;
  /** When the next tick is due (epoch ms). */
  dueAt: number;
  running: Promise<void> | null;
  /** `runNow` arrived during a tick: due again right after it. */
  again: boolean;
}

export interface AlarmSchedulerOptions {
  storage: AlarmStorage;
  logger: Logger;
  clock?: Clock;
  /**
   * The shortest wait between two ticks of a job that asked to wait at all (default 0): a job that
   * polls every 250 ms on Node (order dispatch, when idle) would otherwise wake the object four
   * times a second for ever, each alarm a storage write. A job with work left (0) still runs at once,
   * and `runNow` (an order was queued) is never held back.
   */
  minDelayMs?: number;
}

export function createAlarmScheduler(options: AlarmSchedulerOptions): AlarmScheduler {
  const { storage, logger } = options;
  const clock = options.clock ?? systemClock;
  const minDelayMs = options.minDelayMs ?? 0;
  const runners: Runner[] = [];
  let stopped = false;
  /** The alarm this scheduler last set and that has not fired yet; `null`: none known. */
  let alarmAt: number | null = null;

  /** Sets the alarm for the soonest idle job's tick, unless one set earlier covers it. */
  const arm = async () => {
    if (stopped) return;
    const idle = runners.filter((r) => !r.running);
    if (idle.length === 0) return;
    const at = Math.min(...idle.map((r) => r.dueAt));
    if (alarmAt !== null && alarmAt <= at) return;
    alarmAt = at;
    await storage.setAlarm(at);
  };

  const run = async (runner: Runner) => {
    runner.again = false;
    let next: number;
    try {
      const asked = await runner.job.tick();
      next = typeof asked === 'number' ? asked : runner.job.intervalMs;
    } catch (error) {
      logger.error(`job ${runner.job.name} failed; it runs again in ${runner.job.intervalMs} ms`, { job: runner.job.name, err: loggableError(error) });
      next = runner.job.intervalMs;
    }
    runner.dueAt = clock.now() + (runner.again || next <= 0 ? 0 : Math.max(minDelayMs, next));
  };

  return {
    add(job) {
      if (runners.some((r) => r.job.name === job.name)) throw new Error(`A job named ${job.name} is already scheduled.`);
      const runner: Runner = { job, dueAt: clock.now(), running: null, again: false };
      runners.push(runner);
      void arm();
      const handle: JobHandle = {
        runNow() {
          if (runner.running) runner.again = true;
          else {
            runner.dueAt = Math.min(runner.dueAt, clock.now());
            void arm();
          }
        },
      };
      job.scheduled?.(handle);
      return handle;
    },

    async alarm() {
      // The alarm that called this has fired: whatever comes next is set anew below.
      alarmAt = null;
      if (stopped) return;
      const now = clock.now();
      const due = runners.filter((r) => !r.running && r.dueAt <= now);
      await Promise.all(
        due.map(
          (runner) =>
            (runner.running = run(runner).finally(() => {
              runner.running = null;
            })),
        ),
      );
      await arm();
    },

    async stop() {
      stopped = true;
      await storage.deleteAlarm();
      await Promise.all(runners.map((r) => r.running));
      await Promise.all(runners.map((r) => r.job.drain?.()));
    },
  };
}
