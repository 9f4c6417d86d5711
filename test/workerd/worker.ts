/**
 * The Worker the workerd tests run in (vitest.config.ts's `workerd` project): wrangler.toml's
 * bindings and Durable Object classes without the HTTP API, whose bundle the store tests do not need.
 */
import { DurableObject, type DurableObjectState } from 'cloudflare:workers';
import { createAlarmScheduler, type AlarmScheduler } from '../../src/adapters/scheduler/alarm-scheduler.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import type { JobHandle } from '../../src/ports/scheduler.ts';

export { OrderStoreObject } from '../../src/adapters/stores/durable-object/order-store.ts';
export { OutboxStoreObject } from '../../src/adapters/stores/durable-object/outbox-store.ts';
export { ErpBudgetObject } from '../../src/adapters/stores/durable-object/erp-budget.ts';
export { PunchOutStoreObject } from '../../src/adapters/stores/durable-object/punchout-store.ts';
export { CompanyStoreObject } from '../../src/adapters/stores/durable-object/company-store.ts';
export { ApplicationStoreObject } from '../../src/adapters/stores/durable-object/application-store.ts';
export { OperationsStoreObject } from '../../src/adapters/stores/durable-object/operations-store.ts';
export { ThrottleBucketObject } from '../../src/adapters/stores/durable-object/throttle-store.ts';
export { CacheInvalidationObject } from '../../src/adapters/stores/workers-cache/invalidation-log.ts';

/**
 * wrangler.toml's `JOBS` class stands in empty: the real one composes the whole app, which the
 * store tests do not need (test/workers/worker-orders.test.ts runs it, in the Worker as it ships).
 */
export class JobsObject extends DurableObject {}

export default {
  fetch(): Response {
    return new Response('erpfront workerd tests: no HTTP API here', { status: 404 });
  },
};

/**
 * A Durable Object with jobs on its alarm, for the alarm scheduler's tests: `count` ticks every
 * minute and records each tick in storage; `eager` asks for every 100 ms (the floor is 30 s);
 * `flaky` throws when told to; `backlog` asks to run again at once while it has work left.
 */
export class SchedulerProbeObject extends DurableObject {
  readonly #scheduler: AlarmScheduler;
  readonly #count: JobHandle;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec('CREATE TABLE IF NOT EXISTS ticks (job TEXT NOT NULL, at INTEGER NOT NULL)');
    sql.exec('CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value INTEGER NOT NULL)');
    const setting = (name: string) => sql.exec<{ value: number }>('SELECT value FROM settings WHERE name = ?', name).toArray()[0]?.value ?? 0;
    const record = (job: string) => sql.exec('INSERT INTO ticks (job, at) VALUES (?, ?)', job, Date.now());
    this.#scheduler = createAlarmScheduler({ storage: ctx.storage, logger: silentLogger, minDelayMs: 30_000 });
    this.#count = this.#scheduler.add({ name: 'count', intervalMs: 60_000, tick: async () => void record('count') });
    // Asks for a tick every 100 ms: held to the scheduler's 30 s floor.
    this.#scheduler.add({ name: 'eager', intervalMs: 100, tick: async () => void record('eager') });
    this.#scheduler.add({
      name: 'flaky',
      intervalMs: 120_000,
      tick: async () => {
        record('flaky');
        if (setting('fail')) throw new Error('the ERP is down');
        return undefined;
      },
    });
    this.#scheduler.add({
      name: 'backlog',
      intervalMs: 300_000,
      tick: async () => {
        record('backlog');
        const left = setting('backlog');
        if (left > 0) sql.exec("UPDATE settings SET value = value - 1 WHERE name = 'backlog'");
        return left > 1 ? 0 : undefined;
      },
    });
  }

  alarm(): Promise<void> {
    return this.#scheduler.alarm();
  }

  /** Ticks so far, by job. */
  ticks(): Record<string, number> {
    const rows = this.ctx.storage.sql.exec<{ job: string; n: number }>('SELECT job, COUNT(*) AS n FROM ticks GROUP BY job').toArray();
    return Object.fromEntries(rows.map((r) => [r.job, r.n]));
  }

  set(name: string, value: number): void {
    this.ctx.storage.sql.exec('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value', name, value);
  }

  runCountNow(): void {
    this.#count.runNow();
  }

  nextAlarm(): Promise<number | null> {
    return this.ctx.storage.getAlarm();
  }
}
