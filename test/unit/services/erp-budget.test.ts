/**
 * The in-process ERP budget on moved time: exact rates and pauses without waiting for them, and
 * proof that it leaves no timer behind. (The contract suite checks the same promises on real time.)
 */
import { describe, expect, it } from 'vitest';
import { createMemoryErpBudget, type MemoryErpBudgetOptions } from '../../../src/adapters/stores/memory/erp-budget.ts';
import type { ErpPermit } from '../../../src/ports/erp-budget.ts';
import type { ErpPriority } from '../../../src/ports/erp-connector.ts';

/** A clock and timers that only move when told to. */
function fakeTime() {
  let now = 1_000_000;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    clock: { now: () => now },
    timers: {
      setTimeout(callback: () => void, ms: number) {
        const id = nextId++;
        timers.set(id, { at: now + ms, callback });
        return id;
      },
      clearTimeout(id: unknown) {
        timers.delete(id as number);
      },
    },
    pendingTimers: () => timers.size,
    now: () => now,
    /** Moves time forward by `ms`, firing due timers in order and letting promises settle. */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        let due: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= end && (due === undefined || entry[1].at < due[1].at)) due = entry;
        if (due === undefined) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
        await flush();
      }
      now = end;
      await flush();
    },
    flush,
  };
}

function setup(options: MemoryErpBudgetOptions) {
  const time = fakeTime();
  const budget = createMemoryErpBudget({ ...options, clock: time.clock, timers: time.timers });
  const granted: string[] = [];
  const acquire = (priority: ErpPriority, label: string, signal?: AbortSignal) =>
    budget.acquire(priority, signal).then((permit) => {
      granted.push(label);
      return permit;
    });
  return { budget, time, granted, acquire };
}

describe('memory ERP budget', () => {
  it('starts with a full second of burst, then grants exactly at the rate', async () => {
    const { time, granted, acquire } = setup({ requestsPerSecond: 10, maxConcurrent: 100 });
    const permits = Array.from({ length: 25 }, (_, i) => acquire('read', `r${i}`));
    await time.flush();
    expect(granted).toHaveLength(10);
    // Each further token takes 100 ms: 15 more grants need 1.5 s, and not a millisecond less.
    await time.advance(1499);
    expect(granted).toHaveLength(24);
    await time.advance(1);
    expect(granted).toHaveLength(25);
    for (const permit of await Promise.all(permits)) permit.release();
    expect(time.pendingTimers()).toBe(0);
  });

  it('never exceeds maxConcurrent under a surge of 200, and waits on releases, not timers', async () => {
    const { budget, time } = setup({ requestsPerSecond: 1000, maxConcurrent: 15 });
    const priorities: ErpPriority[] = ['order', 'status', 'read', 'background'];
    let inFlight = 0;
    let peak = 0;
    const calls = Array.from({ length: 200 }, async (_, i) => {
      const permit = await budget.acquire(priorities[i % 4]!);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => time.timers.setTimeout(() => resolve(undefined), 1 + (i % 7)));
      inFlight -= 1;
      permit.release();
    });
    await time.flush();
    expect(budget.snapshot().inFlight).toBe(15);
    // Only the 15 holders' own timers: a full house arms none of its own.
    expect(time.pendingTimers()).toBe(15);
    await time.advance(1000);
    await Promise.all(calls);
    expect(peak).toBe(15);
    expect(budget.snapshot()).toEqual({ inFlight: 0, waiting: { order: 0, status: 0, read: 0, background: 0 }, pausedUntil: null });
    expect(time.pendingTimers()).toBe(0);
  });

  it('keeps strict priority even when a lower priority would fit: a read never passes a waiting order', async () => {
    const { time, granted, acquire } = setup({ requestsPerSecond: 1, maxConcurrent: 10 });
    const first = await acquire('background', 'b0');
    const read = acquire('read', 'r1');
    const order = acquire('order', 'o2');
    await time.advance(999);
    expect(granted).toEqual(['b0']);
    await time.advance(1);
    expect(granted).toEqual(['b0', 'o2']);
    await time.advance(1000);
    expect(granted).toEqual(['b0', 'o2', 'r1']);
    for (const permit of [first, await read, await order]) permit.release();
  });

  it('serves each priority first come, first served', async () => {
    const { time, granted, acquire } = setup({ requestsPerSecond: 100, maxConcurrent: 1 });
    const permits = new Map<string, Promise<ErpPermit>>([['hold', acquire('status', 'hold')]]);
    for (const [priority, label] of [
      ['read', 'r1'],
      ['status', 's1'],
      ['read', 'r2'],
      ['status', 's2'],
      ['read', 'r3'],
    ] as const) {
      permits.set(label, acquire(priority, label));
    }
    await time.flush();
    for (let i = 0; i < permits.size; i++) {
      (await permits.get(granted.at(-1)!)!).release();
      await time.advance(10);
    }
    expect(granted).toEqual(['hold', 's1', 's2', 'r1', 'r2', 'r3']);
  });

  it('drops an aborted waiter, cancels the timer it was waiting on, and never grants it', async () => {
    const { budget, time, granted, acquire } = setup({ requestsPerSecond: 1, maxConcurrent: 10 });
    (await acquire('read', 'r0')).release();
    const controller = new AbortController();
    const abandoned = acquire('read', 'r1', controller.signal);
    await time.flush();
    expect(time.pendingTimers()).toBe(1);
    controller.abort(new DOMException('gone', 'AbortError'));
    await expect(abandoned).rejects.toMatchObject({ name: 'AbortError' });
    expect(time.pendingTimers()).toBe(0);
    expect(budget.snapshot().waiting.read).toBe(0);
    await time.advance(5000);
    expect(granted).toEqual(['r0']);
  });

  it('pauses every grant until Retry-After has passed, then restarts the bucket empty', async () => {
    const { budget, time, granted, acquire } = setup({ requestsPerSecond: 10, maxConcurrent: 10 });
    budget.pauseFor(2000);
    expect(budget.snapshot().pausedUntil).toBe(time.now() + 2000);
    const permits = [acquire('order', 'o1'), acquire('read', 'r1')];
    await time.advance(1999);
    expect(granted).toEqual([]);
    // Resuming at the steady rate, not with a burst that would earn the next 429.
    await time.advance(101);
    expect(granted).toEqual(['o1']);
    await time.advance(100);
    expect(granted).toEqual(['o1', 'r1']);
    expect(budget.snapshot().pausedUntil).toBeNull();
    for (const permit of await Promise.all(permits)) permit.release();
    expect(time.pendingTimers()).toBe(0);
  });

  it('lengthens a pause but never shortens it', async () => {
    const { budget, time } = setup({ requestsPerSecond: 10, maxConcurrent: 10 });
    budget.pauseFor(1000);
    budget.pauseFor(300);
    expect(budget.snapshot().pausedUntil).toBe(time.now() + 1000);
    budget.pauseFor(3000);
    expect(budget.snapshot().pausedUntil).toBe(time.now() + 3000);
  });

  it('counts a permit released twice only once', async () => {
    const { budget, time, granted, acquire } = setup({ requestsPerSecond: 100, maxConcurrent: 1 });
    const first = await acquire('read', 'a');
    const second = acquire('read', 'b');
    const third = acquire('read', 'c');
    first.release();
    first.release();
    await time.advance(100);
    expect(granted).toEqual(['a', 'b']);
    expect(budget.snapshot().inFlight).toBe(1);
    (await second).release();
    (await third).release();
  });

  it('honours a burst smaller than a second of rate', async () => {
    const { time, granted, acquire } = setup({ requestsPerSecond: 10, maxConcurrent: 10, burst: 1 });
    const permits = [acquire('read', 'a'), acquire('read', 'b'), acquire('read', 'c')];
    await time.flush();
    expect(granted).toEqual(['a']);
    await time.advance(200);
    expect(granted).toEqual(['a', 'b', 'c']);
    for (const permit of await Promise.all(permits)) permit.release();
  });

  it('refuses limits that cannot work, saying what it got', () => {
    expect(() => createMemoryErpBudget({ requestsPerSecond: 0 })).toThrow('requestsPerSecond must be a positive number, but got: 0');
    expect(() => createMemoryErpBudget({ maxConcurrent: 1.5 })).toThrow('maxConcurrent must be a positive integer, but got: 1.5');
    expect(() => createMemoryErpBudget({ burst: 0.5 })).toThrow('burst must be at least 1');
  });
});
