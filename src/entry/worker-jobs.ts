/**
 * erpfront's jobs on Workers (order dispatch, the duplicate check, purges, notices): one global
 * Durable Object (`JobsObject`, wrangler.toml's `JOBS`, named `jobs`) composes the core as the
 * isolates do and runs every feature's jobs on its alarm (`adapters/scheduler/alarm-scheduler.ts`).
 * An isolate that queues an order wakes the dispatch job here (`wake`); otherwise the alarm alone
 * keeps the jobs going, so an order queued while the ERP was down goes as soon as it is back.
 *
 * It is the only dispatcher: at start it releases the leases its predecessor (an evicted or
 * restarted object) held, as the embedded set does at open, instead of waiting for them to expire.
 *
 * @module
 */
import type { BackgroundWork } from '../services/background-work.ts';
import { DurableObject, type DurableObjectNamespace, type DurableObjectState } from 'cloudflare:workers';
import { createAlarmScheduler, type AlarmScheduler } from '../adapters/scheduler/alarm-scheduler.ts';
import type { JobHandle, Scheduler } from '../ports/scheduler.ts';
import { composeOnWorkers, readWorkerConfig, type WorkerEnv } from './worker-core.ts';

export class JobsObject extends DurableObject<WorkerEnv> {
  readonly #scheduler: AlarmScheduler | null = null;
  readonly #handles = new Map<string, JobHandle>();
  /** Takes in other isolates' cache invalidations (the jobs read through the cache too). */
  #catchUpInvalidations: () => Promise<void> = async () => {};

  constructor(ctx: DurableObjectState, env: WorkerEnv) {
    super(ctx, env);
    const config = readWorkerConfig(env);
    if (!config.env) {
      // The isolates answer every request with these problems; here nothing runs until they are fixed.
      console.error(`erpfront jobs: invalid configuration, no job runs:\n${config.problems.map((p) => `  - ${p}`).join('\n')}`);
      return;
    }
    const { erpfront, backends, logger } = composeOnWorkers(config, env);
    this.#catchUpInvalidations = backends.catchUpInvalidations;
    // An idle dispatcher looks for due orders every second, not every 250 ms: isolates wake it when
    // they queue one, so only retries wait for the poll.
    const scheduler = createAlarmScheduler({ storage: ctx.storage, logger, minDelayMs: 1000 });
    const recording: Scheduler = {
      add: (job) => {
        const handle = scheduler.add(job);
        this.#handles.set(job.name, handle);
        return handle;
      },
      stop: () => scheduler.stop(),
    };
    void ctx.blockConcurrencyWhile(async () => {
      const released = (await backends.orders?.releaseLeases(Date.now())) ?? 0;
      if (released > 0) logger.warn(`released ${released} order leases of the previous jobs object (in doubt where it had begun sending)`, { released });
      await backends.outbox?.releaseLeases(Date.now());
      await erpfront.start(recording);
    });
    this.#scheduler = scheduler;
  }

  /** Runs the jobs that are due. */
  async alarm(): Promise<void> {
    await this.#catchUpInvalidations();
    await this.#scheduler?.alarm();
  }

  /** Asks job `name` for a tick now (RPC from an isolate: an order was just queued). */
  wake(name: string): void {
    this.#handles.get(name)?.runNow();
  }
}

/**
 * The scheduler of an isolate that serves HTTP: it runs no job (the jobs object does), and a
 * job's `runNow` (the dispatcher's, when an order was queued) wakes the job there. The wake is
 * kept track of in `background`, so the request's answer does not cancel it.
 */
export function remoteScheduler(namespace: DurableObjectNamespace, background: BackgroundWork): Scheduler {
  const jobs = () => namespace.get(namespace.idFromName('jobs')) as { wake(name: string): Promise<void> };
  return {
    add(job) {
      return {
        runNow: () =>
          background.track(
            jobs()
              .wake(job.name)
              .catch((error: unknown) => console.error(`erpfront: could not wake job ${job.name}`, error)),
          ),
      };
    },
    async stop() {},
  };
}

/** Makes sure the jobs object runs (it sets its alarm when built): once per isolate. */
export function startJobs(namespace: DurableObjectNamespace): Promise<void> {
  const jobs = namespace.get(namespace.idFromName('jobs')) as { wake(name: string): Promise<void> };
  return jobs.wake('order-dispatch');
}
