/**
 * Event-loop delay on Node, counting only the delay the process causes itself: a timer beats every
 * `resolutionMs`; a beat that comes late measures the delay, and the CPU time the process used in
 * the meantime says how much of that lateness was its own work.
 *
 * Why not `perf_hooks.monitorEventLoopDelay`: it measures wall-clock lateness, which on a shared
 * machine includes the time the process was not scheduled at all. Measured on this 2-core machine
 * with other test suites running (load average 8), under a calm load (20 pages and 5 orders a
 * second, erpfront about 10% busy): shedding on its p99 (and the wall-clock stall under way)
 * refused 27 and 38 of 150 pages in two runs, without making anything faster; on the process's
 * own delay, none (its largest reading 23–31 ms). Late because busy is saturation; late because
 * descheduled is not. (prom-client's `nodejs_eventloop_lag_*` metrics still show the wall-clock
 * view.)
 *
 * Two readings:
 * - the turn under way: how long since the last beat, in CPU time used since. A surge arrives as
 *   one stall: hundreds of connections become readable at once, libuv hands them over in one poll
 *   phase, and a warm page is served without leaving that phase (its awaits are all resolved
 *   promises). Measured: without this reading 400 pages were admitted in one 1.8 s stall;
 * - how long turns have been lately: the 90th percentile of the delays of the beats of the last
 *   second (`windowMs`), or the turn under way if longer. A percentile, not the longest: a loop
 *   that is mostly free beats a hundred times a second, and one long garbage collection is not
 *   saturation (measured: with the longest, the throughput bench's one client on 10 connections
 *   had 14% of its pages shed at a 50 ms threshold); a saturated loop beats a few times, all
 *   late. A surge stops counting within a second of its end.
 *
 * @module
 */
import type { EventLoopDelay } from '../../ports/event-loop-delay.ts';

export interface EventLoopDelayMonitorOptions {
  /** Period of the beat, ms (default 10). */
  resolutionMs?: number;
  /** How far back "lately" goes, ms (default 1000). */
  windowMs?: number;
  /** The percentile of the window's beats that stands for it (default 90). */
  percentile?: number;
}

export interface EventLoopDelayMonitor {
  /** The delay beyond the beat's period that the process's own work caused: the turn under way, and the longest lately. */
  read: EventLoopDelay;
  /** Stops the beat. */
  stop(): void;
}

/** The `p`th percentile of `values` (at most a window's beats: 50 by default). */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)]!;
}

/**
 * CPU time used by the event loop's thread, ms: the work that delays the loop is the loop's own.
 * `process.threadCpuUsage` (Node 23.9+) asks for this one thread's time; `process.cpuUsage` sums
 * every thread of the process under a lock, which cost 3–5% of a response-cache hit (profiled:
 * it is read on each request while the loop runs late).
 */
const threadCpu = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.bind(process) ?? (() => process.cpuUsage());
function cpuMs(): number {
  const { user, system } = threadCpu();
  return (user + system) / 1000;
}

/** Starts measuring the event loop's delay. */
export function startEventLoopDelayMonitor(options: EventLoopDelayMonitorOptions = {}): EventLoopDelayMonitor {
  const resolutionMs = options.resolutionMs ?? 10;
  const windowMs = options.windowMs ?? 1000;
  const p = options.percentile ?? 90;
  let beatAt = performance.now();
  let cpuAtBeat = cpuMs();
  // The beats of the last window, oldest first: when each came, and its delay.
  const beats: Array<{ at: number; delay: number }> = [];
  let recent = 0;
  // The wall time since the last beat, counted only as far as the loop's thread was on a CPU
  // (never more than the wall time, which the smaller of the two guarantees).
  const ownDelay = (now: number, cpu: number) => Math.max(0, Math.min(now - beatAt, cpu - cpuAtBeat) - resolutionMs);

  const beat = setInterval(() => {
    const now = performance.now();
    const cpu = cpuMs();
    const delay = ownDelay(now, cpu);
    beatAt = now;
    cpuAtBeat = cpu;
    beats.push({ at: now, delay });
    while (beats[0]!.at < now - windowMs) beats.shift();
    // At most a hundred values sorted a hundred times a second, only while the loop is free enough to beat that often.
    recent = percentile(
      beats.map((b) => b.delay),
      p,
    );
  }, resolutionMs);
  beat.unref();

  // Which turn: the number changes in the check phase that follows every poll phase in which it
  // was read, so requests handed over in one poll phase (one batch of readable sockets) share it,
  // and a client's next request, sent after the last answer, never does.
  let turn = 0;
  let turnEnding = false;
  const endTurn = () => {
    turn++;
    turnEnding = false;
  };

  return {
    read() {
      if (!turnEnding) {
        turnEnding = true;
        setImmediate(endTurn);
      }
      const now = performance.now();
      // The CPU clock is a system call: read only when the beat is late at all.
      const turnMs = now - beatAt - resolutionMs > 1 ? ownDelay(now, cpuMs()) : 0;
      return { turnMs, recentMs: Math.max(recent, turnMs), turn };
    },
    stop: () => clearInterval(beat),
  };
}
