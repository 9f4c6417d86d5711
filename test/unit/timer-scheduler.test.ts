/**
 * The Node scheduler runs each job's ticks one at a time, on its interval, sooner when asked, and
 * stops cleanly: what the order dispatcher, the notices and the purges rely on.
 */
import { describe, expect, it } from 'vitest';
import { createTimerScheduler } from '../../src/adapters/scheduler/timer-scheduler.ts';
import type { Logger } from '../../src/ports/logger.ts';
import type { Job, JobHandle } from '../../src/ports/scheduler.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recordingLogger() {
  const lines: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (m) => void lines.push(m),
    error: (m) => void lines.push(m),
    child: () => logger,
  };
  return { lines, logger };
}

describe('timer scheduler', () => {
  it('ticks at once, then every interval, never two ticks of one job at once', async () => {
    const { logger } = recordingLogger();
    const scheduler = createTimerScheduler({ logger });
    let running = 0;
    let overlapped = false;
    let ticks = 0;
    scheduler.add({
      name: 'slow',
      intervalMs: 5,
      async tick() {
        running++;
        overlapped ||= running > 1;
        ticks++;
        await sleep(20);
        running--;
      },
    });
    await sleep(150);
    await scheduler.stop();
    expect(overlapped).toBe(false);
    expect(ticks).toBeGreaterThanOrEqual(3);
    const after = ticks;
    await sleep(50);
    expect(ticks).toBe(after);
  });

  it('runNow cuts a long interval short; a tick may ask for its next one sooner', async () => {
    const { logger } = recordingLogger();
    const scheduler = createTimerScheduler({ logger });
    let ticks = 0;
    let handle: JobHandle | undefined;
    scheduler.add({ name: 'hourly', intervalMs: 3_600_000, tick: async () => void ticks++, scheduled: (h) => void (handle = h) });
    await sleep(20);
    expect(ticks).toBe(1);
    handle!.runNow();
    await sleep(20);
    expect(ticks).toBe(2);
    let eager = 0;
    scheduler.add({ name: 'eager', intervalMs: 3_600_000, tick: async () => (++eager < 3 ? 0 : undefined) });
    await sleep(50);
    expect(eager).toBe(3);
    await scheduler.stop();
  });

  it('logs a failing tick and runs the job again; stop waits for the running tick, then drains', async () => {
    const { lines, logger } = recordingLogger();
    const scheduler = createTimerScheduler({ logger });
    let attempts = 0;
    scheduler.add({
      name: 'flaky',
      intervalMs: 5,
      tick: async () => {
        if (++attempts === 1) throw new Error('ERP down');
      },
    });
    const order: string[] = [];
    let longStarted = false;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const job: Job = {
      name: 'long',
      intervalMs: 1000,
      tick: async () => {
        longStarted = true;
        await released;
        order.push('tick done');
      },
      drain: async () => void order.push('drained'),
    };
    scheduler.add(job);
    // Polled, not a fixed sleep: on a busy machine timers fire late.
    for (let waited = 0; !(longStarted && attempts >= 2); waited += 2) {
      if (waited > 5000) throw new Error(`jobs did not run: long started ${longStarted}, flaky attempts ${attempts}`);
      await sleep(2);
    }
    // stop() while the long tick is still running: it must wait for it, then drain.
    const stopped = scheduler.stop();
    await sleep(20);
    expect(order).toEqual([]);
    release();
    await stopped;
    expect(order).toEqual(['tick done', 'drained']);
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(lines.some((l) => l.includes('job flaky failed'))).toBe(true);
  });

  it('refuses two jobs of one name: their ticks would overlap', () => {
    const scheduler = createTimerScheduler({ logger: recordingLogger().logger });
    const job: Job = { name: 'twice', intervalMs: 1000, tick: async () => {} };
    scheduler.add(job);
    expect(() => scheduler.add(job)).toThrow(/already scheduled/);
    return scheduler.stop();
  });
});
