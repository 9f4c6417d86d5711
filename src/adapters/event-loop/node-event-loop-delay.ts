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
 * - the longest turns lately: the 90th percentile of the beats' delays over the last window and
 *   the current one (`windowMs`), or the turn under way if longer. A percentile, not the longest:
 *   a loop that is mostly free has dozens of beats a window, and one long garbage collection or
 *   one moment without the CPU is not saturation; a saturated loop has few beats, all of them
 *   late. A surge stops counting one to two windows after it ends.
 *
 * @module
 */
import type { EventLoopDelay } from '../../ports/event-loop-delay.ts';

export interface EventLoopDelayMonitorOptions {
  /** Period of the beat, ms (default 10). */
  resolutionMs?: number;
  /** Length of one window, ms (default 500). */
  windowMs?: number;
  /** The percentile of a window's beats that stands for it (default 90). */
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

/** CPU time used by the process, ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Starts measuring the event loop's delay. */
export function startEventLoopDelayMonitor(options: EventLoopDelayMonitorOptions = {}): EventLoopDelayMonitor {
  const resolutionMs = options.resolutionMs ?? 10;
  const windowMs = options.windowMs ?? 500;
  let beatAt = performance.now();
  let cpuAtBeat = cpuMs();
  let windowStart = beatAt;
  let lastWindow = 0;
  let thisWindow = 0;
  const beats: number[] = [];
  // The wall time since the last beat, counted only as far as the process was on a CPU: other
  // threads (GC, libuv's pool) may use CPU while the loop waits idle, hence the smaller of the two.
  const ownDelay = (now: number, cpu: number) => Math.max(0, Math.min(now - beatAt, cpu - cpuAtBeat) - resolutionMs);

  const beat = setInterval(() => {
    const now = performance.now();
    const cpu = cpuMs();
    const delay = ownDelay(now, cpu);
    beatAt = now;
    cpuAtBeat = cpu;
    if (now - windowStart >= windowMs) {
      lastWindow = thisWindow;
      beats.length = 0;
      windowStart = now;
    }
    beats.push(delay);
    thisWindow = percentile(beats, options.percentile ?? 90);
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
      return { turnMs, recentMs: Math.max(lastWindow, thisWindow, turnMs), turn };
    },
    stop: () => clearInterval(beat),
  };
}
