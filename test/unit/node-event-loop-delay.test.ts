/**
 * The event-loop delay the load shedder decides on counts erpfront's own work only: a turn spent
 * computing is delay, a turn spent without the CPU (another process had it) is not, and a long
 * turn stops counting soon after it ends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEventLoopDelayMonitor, type EventLoopDelayMonitor } from '../../src/adapters/event-loop/node-event-loop-delay.ts';

let monitor: EventLoopDelayMonitor | undefined;
afterEach(() => monitor?.stop());

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Keeps the loop busy for `ms` of CPU time. */
function spin(ms: number): void {
  const until = cpuMs() + ms;
  while (cpuMs() < until);
}

describe('the Node event-loop delay monitor', () => {
  it('reads the turn under way while the loop computes, by the CPU time it used', async () => {
    monitor = startEventLoopDelayMonitor({ resolutionMs: 10, windowMs: 300 });
    await pause(50);
    expect(monitor.read().turnMs).toBeLessThan(10);
    // 120 ms of CPU, however long the machine takes to give it.
    spin(120);
    const during = monitor.read();
    expect(during.turnMs).toBeGreaterThan(80);
    expect(during.recentMs).toBeGreaterThanOrEqual(during.turnMs);
    await pause(30);
    expect(monitor.read().turnMs).toBeLessThan(10); // the turn is over
  });

  it('reads how long turns have been lately: high while most turns are long, low a window after', async () => {
    monitor = startEventLoopDelayMonitor({ resolutionMs: 10, windowMs: 300 });
    await pause(50);
    // A saturated loop: turn after turn of 60 ms of CPU, the timers getting a look in between.
    for (let i = 0; i < 8; i++) {
      spin(60);
      await pause(0);
    }
    expect(monitor.read().recentMs).toBeGreaterThan(30);
    await pause(600); // a window later, free beats again
    expect(monitor.read().recentMs).toBeLessThan(30);
  });

  it('a turn blocked without using the CPU is not delay caused by erpfront', async () => {
    monitor = startEventLoopDelayMonitor({ resolutionMs: 10, windowMs: 300 });
    await pause(50);
    // The thread sleeps 150 ms, as it would while the machine gives the CPU to another process.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
    expect(monitor.read().turnMs).toBeLessThan(40);
    await pause(30);
    expect(monitor.read().recentMs).toBeLessThan(40);
  });
});
