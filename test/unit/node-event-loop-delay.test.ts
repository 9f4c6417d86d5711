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

describe('the Node event-loop delay monitor', () => {
  it('reads the turn under way while the loop computes, by the CPU time it used', async () => {
    monitor = startEventLoopDelayMonitor({ resolutionMs: 10, windowMs: 200 });
    await pause(50);
    expect(monitor.read().turnMs).toBeLessThan(10);
    // 120 ms of CPU, however long the machine takes to give it.
    const until = cpuMs() + 120;
    while (cpuMs() < until);
    const during = monitor.read();
    expect(during.turnMs).toBeGreaterThan(80);
    expect(during.recentMs).toBeGreaterThanOrEqual(during.turnMs);
    await pause(30);
    expect(monitor.read().turnMs).toBeLessThan(10); // the turn is over
    expect(monitor.read().recentMs).toBeGreaterThan(80); // but it was lately
    await pause(600); // two windows later
    expect(monitor.read().recentMs).toBeLessThan(40);
  });

  it('a turn blocked without using the CPU is not delay caused by erpfront', async () => {
    monitor = startEventLoopDelayMonitor({ resolutionMs: 10, windowMs: 200 });
    await pause(50);
    // The thread sleeps 150 ms, as it would while the machine gives the CPU to another process.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
    expect(monitor.read().turnMs).toBeLessThan(40);
    await pause(30);
    expect(monitor.read().recentMs).toBeLessThan(40);
  });
});
