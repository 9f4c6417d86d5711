/**
 * The nemesis: a seeded schedule of faults, and the executor that injects them while the clients
 * place orders. The same seed gives the same schedule (kinds, moments, durations, victims), so a
 * failing seed replays the same faults; where they land among the orders depends on timing, as it
 * does in production.
 *
 * Faults: ERP outages, lost replies (the ERP commits, the reply is lost), createOrder slower than
 * erpfront's ERP timeout but within the ERP's own request limit (the ERP commits after erpfront
 * gave up), `kill -9` of an instance then a restart, and Redis stopped (SIGTERM or `kill -9`) then
 * started. Each fault heals itself after its duration; two faults on one resource never overlap.
 *
 * @module
 */
import { rng, type Rng } from '../../src/sandbox-erp/prng.ts';
import type { Topology } from './topology.ts';

export type FaultKind = 'outage' | 'lostReplies' | 'slowCommit' | 'killInstance' | 'redisRestart';

export interface FaultEvent {
  /** Milliseconds after the campaign started. */
  at: number;
  kind: FaultKind;
  durationMs: number;
  /** lostReplies: how many; slowCommit: the createOrder latency; killInstance: which instance. */
  value: number;
  /** redisRestart: SIGTERM or SIGKILL. */
  signal?: 'SIGTERM' | 'SIGKILL';
}

export interface NemesisPlan {
  /** Instances the victims are chosen from. */
  instances: number;
  redis: boolean;
  /** The ERP takes sandbox fault controls (lost replies, latency). */
  sandboxFaults: boolean;
  /** erpfront's ERP timeout and the ERP's own request limit: slow commits fall between. */
  erpTimeoutMs: number;
  erpMaxRequestMs: number;
  /** Pause between two faults, drawn uniformly. */
  gapMs: [number, number];
}

const RESOURCE: Record<FaultKind, string> = {
  outage: 'erp',
  lostReplies: 'erp-replies',
  slowCommit: 'erp-latency',
  killInstance: 'instances',
  redisRestart: 'redis',
};

const WEIGHTS: Record<FaultKind, number> = { outage: 2, lostReplies: 2, slowCommit: 3, killInstance: 2, redisRestart: 1 };

/**
 * After a fault heals, its resource is left alone this long before the next fault on it: an
 * instance or Redis needs to start and serve, an ERP back from an outage needs to drain.
 */
const RECOVERY_MS: Record<FaultKind, number> = { outage: 3000, lostReplies: 0, slowCommit: 0, killInstance: 6000, redisRestart: 4000 };

/**
 * The endless schedule for `seed`: what the nemesis will do, and when. A fault drawn for a
 * resource still faulted or recovering is left out (the draws happen all the same, so the
 * schedule depends on the seed and the plan only).
 */
export function* faultSchedule(seed: number, plan: NemesisPlan): Generator<FaultEvent> {
  const random = rng(seed, 'nemesis');
  const kinds = (Object.keys(WEIGHTS) as FaultKind[])
    .filter((k) => (k !== 'lostReplies' && k !== 'slowCommit') || plan.sandboxFaults)
    .filter((k) => k !== 'redisRestart' || plan.redis);
  const bag = kinds.flatMap((k) => Array.from({ length: WEIGHTS[k] }, () => k));
  const busyUntil = new Map<string, number>();
  let at = 0;
  for (;;) {
    at += random.int(plan.gapMs[0], plan.gapMs[1]);
    const next = event(random, random.pick(bag), at, plan);
    const resource = RESOURCE[next.kind];
    if ((busyUntil.get(resource) ?? 0) > at) continue;
    busyUntil.set(resource, at + next.durationMs + RECOVERY_MS[next.kind]);
    yield next;
  }
}

function event(random: Rng, kind: FaultKind, at: number, plan: NemesisPlan): FaultEvent {
  switch (kind) {
    case 'outage':
      return { at, kind, durationMs: random.int(1000, 4000), value: 0 };
    case 'lostReplies':
      return { at, kind, durationMs: 0, value: random.int(1, 3) };
    case 'slowCommit':
      // Above erpfront's timeout (it gives up) and below the ERP's limit (the ERP still commits).
      return {
        at,
        kind,
        durationMs: random.int(1000, 4000),
        value: random.int(plan.erpTimeoutMs + 150, Math.max(plan.erpTimeoutMs + 150, plan.erpMaxRequestMs - 300)),
      };
    case 'killInstance':
      return { at, kind, durationMs: random.int(300, 3000), value: random.int(0, plan.instances - 1) };
    case 'redisRestart':
      return { at, kind, durationMs: random.int(300, 2000), value: 0, signal: random.chance(0.5) ? 'SIGTERM' : 'SIGKILL' };
  }
}

/** A fault as the report names it, e.g. `killInstance` or `redisRestart SIGKILL`. */
export function faultLabel(e: FaultEvent): string {
  return e.kind === 'redisRestart' ? `${e.kind} ${e.signal}` : e.kind;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface NemesisOptions {
  /** The sandbox takes `orderLatencyMs` (latency on POST /orders only); else `latencyMs` is used. */
  orderLatency: boolean;
  log?: (line: string) => void;
}

/** Runs a schedule against a topology until stopped, then heals everything. */
export class Nemesis {
  readonly #topology: Topology;
  readonly #schedule: Iterator<FaultEvent>;
  readonly #options: NemesisOptions;
  readonly #locks = new Map<string, Promise<void>>();
  readonly #running = new Set<Promise<void>>();
  #stopped = false;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  /** Faults injected, by label. */
  readonly counts: Record<string, number> = {};
  /** What went wrong injecting or healing (a restart that failed): the campaign reports it. */
  readonly errors: string[] = [];
  readonly #started = Date.now();

  constructor(topology: Topology, schedule: Iterator<FaultEvent>, options: NemesisOptions) {
    this.#topology = topology;
    this.#schedule = schedule;
    this.#options = options;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Stops injecting, waits for the faults under way to heal, and heals what is left. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
    await Promise.all(this.#running);
    await this.heal();
  }

  /** Every fault off: the ERP answering promptly, every instance and Redis running. */
  async heal(): Promise<void> {
    const t = this.#topology;
    if (t.erp.kind === 'sandbox') {
      const names = await t.erp.faultNames();
      const patch: Record<string, unknown> = { outage: false, latencyMs: 0, jitterMs: 0, dropResponseAfterCommit: false };
      if (names.has('orderLatencyMs')) patch.orderLatencyMs = 0;
      await t.erp.faults(patch);
    }
    if (t.redis && t.redis.pid() === undefined) await t.redis.start();
    for (let i = 0; i < t.instanceCount; i++) if (!t.alive(i)) await this.#restart(i);
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const next = this.#schedule.next();
      if (next.done) return;
      const event = next.value;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, this.#started + event.at - Date.now()));
        this.#wake = done;
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
      if (this.#stopped) return;
      this.#launch(event);
    }
  }

  #launch(event: FaultEvent): void {
    const resource = RESOURCE[event.kind];
    const previous = this.#locks.get(resource) ?? Promise.resolve();
    const task: Promise<void> = previous
      .then(() => this.#inject(event))
      .catch((error: unknown) => void this.errors.push(`${faultLabel(event)} at +${event.at} ms: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.#running.delete(task));
    this.#locks.set(resource, task);
    this.#running.add(task);
  }

  async #inject(event: FaultEvent): Promise<void> {
    const t = this.#topology;
    const label = faultLabel(event);
    this.counts[label] = (this.counts[label] ?? 0) + 1;
    this.#options.log?.(
      `+${((Date.now() - this.#started) / 1000).toFixed(1)}s ${label} ${event.kind === 'slowCommit' ? `${event.value} ms ` : event.kind === 'killInstance' ? `#${event.value} ` : event.kind === 'lostReplies' ? `×${event.value} ` : ''}for ${event.durationMs} ms`,
    );
    switch (event.kind) {
      case 'outage':
        if (t.erp.kind === 'tryton') {
          await t.erp.stop();
          await sleep(event.durationMs);
          await t.erp.start();
        } else {
          await t.erp.faults({ outage: true });
          await sleep(event.durationMs);
          await t.erp.faults({ outage: false });
        }
        return;
      case 'lostReplies':
        await t.erp.faults({ dropResponseAfterCommit: event.value });
        return;
      case 'slowCommit': {
        // Without orderLatencyMs (older sandbox), every request is slowed: lookups are as slow as
        // creations, so doubles show only at the window's edges.
        const field = this.#options.orderLatency ? 'orderLatencyMs' : 'latencyMs';
        await t.erp.faults({ [field]: event.value });
        await sleep(event.durationMs);
        await t.erp.faults({ [field]: 0 });
        return;
      }
      case 'killInstance':
        await t.kill(event.value);
        await sleep(event.durationMs);
        await this.#restart(event.value);
        return;
      case 'redisRestart':
        await t.redis!.stop(event.signal);
        await sleep(event.durationMs);
        await t.redis!.start();
        return;
    }
  }

  /** Starts an instance again; erpfront refuses to start while Redis is away, so it tries again. */
  async #restart(i: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#topology.start(i);
        return;
      } catch (error) {
        if (attempt >= 30) throw error;
        await sleep(1000);
      }
    }
  }
}
