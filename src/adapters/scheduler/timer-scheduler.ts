/**
 * The scheduler on a long-lived process (Node): one timer per job, never two ticks of a job at
 * once, `runNow` to cut a wait short. Timers are unref'd: jobs never keep a process alive.
 *
 * @module
 */
import { loggableError } from '../../domain/loggable-error.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Job, JobHandle, Scheduler } from '../../ports/scheduler.ts';

interface Runner {
  job: Job;
  timer: ReturnType<typeof setTimeout> | null;
  running: Promise<void> | null;
  /** `runNow` arrived during a tick: run again right after it. */
  again: boolean;
}

export function createTimerScheduler(options: { logger: Logger }): Scheduler {
  const runners: Runner[] = [];
  let stopped = false;

  const arm = (runner: Runner, delayMs: number) => {
    if (stopped) return;
    if (runner.timer) clearTimeout(runner.timer);
    runner.timer = setTimeout(() => run(runner), Math.max(0, delayMs));
    (runner.timer as { unref?: () => void }).unref?.();
  };

  const run = (runner: Runner) => {
    runner.timer = null;
    if (stopped || runner.running) return;
    runner.again = false;
    runner.running = runner.job
      .tick()
      .then(
        (next) => (typeof next === 'number' ? next : runner.job.intervalMs),
        (error: unknown) => {
          options.logger.error(`job ${runner.job.name} failed; it runs again in ${runner.job.intervalMs} ms`, {
            job: runner.job.name,
            err: loggableError(error),
          });
          return runner.job.intervalMs;
        },
      )
      .then((next) => {
        runner.running = null;
        arm(runner, runner.again ? 0 : next);
      });
  };

  return {
    add(job) {
      if (runners.some((r) => r.job.name === job.name)) throw new Error(`A job named ${job.name} is already scheduled.`);
      const runner: Runner = { job, timer: null, running: null, again: false };
      runners.push(runner);
      arm(runner, 0);
      const handle: JobHandle = {
        runNow() {
          if (runner.running) runner.again = true;
          else arm(runner, 0);
        },
      };
      job.scheduled?.(handle);
      return handle;
    },
    async stop() {
      stopped = true;
      for (const runner of runners) if (runner.timer) clearTimeout(runner.timer);
      await Promise.all(runners.map((r) => r.running));
      await Promise.all(runners.map((r) => r.job.drain?.()));
    },
  };
}
