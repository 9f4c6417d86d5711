/**
 * The ErpBudget conformance suite: what every budget promises, the in-process one and a shared
 * (Redis, Durable Object) one alike. It runs on real time with small numbers, since a shared
 * budget keeps time in its store, not in a clock the test can move.
 *
 * Usage: `runErpBudgetContract('memory', (limits) => createMemoryErpBudget(limits))`. `create` is
 * called once per scenario and must return a fresh, empty budget (its own keys, for a store).
 *
 * @module
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ErpBudget, ErpPermit } from '../../src/ports/erp-budget.ts';
import type { ErpPriority } from '../../src/ports/erp-connector.ts';

/** The limits a scenario asks for; the bucket holds one second's worth (`requestsPerSecond`). */
export interface ErpBudgetLimits {
  requestsPerSecond: number;
  maxConcurrent: number;
}

export interface ErpBudgetUnderTest {
  budget: ErpBudget;
  /** Drops what the budget holds (store keys, connections). */
  teardown?(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Lets granted permits' promise callbacks run. */
const settle = () => sleep(5);

/** Registers the suite for one budget implementation. */
export function runErpBudgetContract(name: string, create: (limits: ErpBudgetLimits) => Promise<ErpBudgetUnderTest> | ErpBudgetUnderTest): void {
  describe(`ErpBudget contract: ${name}`, () => {
    const teardowns: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const teardown of teardowns.splice(0)) await teardown();
    });
    async function budgetWith(limits: ErpBudgetLimits): Promise<ErpBudget> {
      const under = await create(limits);
      if (under.teardown) teardowns.push(() => under.teardown!());
      return under.budget;
    }

    /** Acquires in order and records the order in which permits are granted. */
    function queue(budget: ErpBudget, priorities: ErpPriority[], granted: string[], signal?: AbortSignal) {
      return priorities.map((priority, i) =>
        budget.acquire(priority, signal).then((permit) => {
          granted.push(`${priority}${i}`);
          return permit;
        }),
      );
    }

    it('grants at once while idle, and counts what is in flight', async () => {
      const budget = await budgetWith({ requestsPerSecond: 100, maxConcurrent: 3 });
      const a = await budget.acquire('read');
      const b = await budget.acquire('background');
      expect(budget.snapshot()).toEqual({ inFlight: 2, waiting: { order: 0, status: 0, read: 0, background: 0 }, pausedUntil: null });
      a.release();
      b.release();
      expect(budget.snapshot().inFlight).toBe(0);
    });

    it('never has more than maxConcurrent permits out under a surge of 200 acquires', async () => {
      const budget = await budgetWith({ requestsPerSecond: 1000, maxConcurrent: 5 });
      let inFlight = 0;
      let peak = 0;
      const priorities: ErpPriority[] = ['order', 'status', 'read', 'background'];
      await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const permit = await budget.acquire(priorities[i % 4]!);
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await sleep(1);
          inFlight -= 1;
          permit.release();
        }),
      );
      expect(peak).toBe(5);
      expect(budget.snapshot().inFlight).toBe(0);
    });

    it('grants no faster than the rate once the burst is spent', async () => {
      const rps = 100;
      const budget = await budgetWith({ requestsPerSecond: rps, maxConcurrent: 1000 });
      const n = 130;
      const started = performance.now();
      const permits = await Promise.all(Array.from({ length: n }, () => budget.acquire('read')));
      const seconds = (performance.now() - started) / 1000;
      for (const permit of permits) permit.release();
      // A burst of up to one second's worth goes at once; the rest come at the rate. Timers may
      // fire a millisecond early, hence a little tolerance below; above, a loaded CI machine.
      expect(seconds).toBeGreaterThanOrEqual(((n - rps) / rps) * 0.9);
      expect(seconds).toBeLessThan(((n - rps) / rps) * 4 + 0.5);
    });

    it('serves a waiting order before reads that queued earlier, and each priority first come first served', async () => {
      const budget = await budgetWith({ requestsPerSecond: 1000, maxConcurrent: 1 });
      const granted: string[] = [];
      const permits = new Map<string, Promise<ErpPermit>>();
      const enqueue = (priorities: ErpPriority[], from: number) =>
        priorities.forEach((priority, i) => {
          const label = `${priority}${i + from}`;
          permits.set(
            label,
            budget.acquire(priority).then((permit) => (granted.push(label), permit)),
          );
        });
      enqueue(['read'], 0);
      await settle();
      enqueue(['read', 'read', 'read'], 1);
      await settle();
      enqueue(['background', 'order', 'status', 'order'], 4);
      await settle();
      expect(budget.snapshot().waiting).toEqual({ order: 2, status: 1, read: 3, background: 1 });
      // Hand the single slot on, one release at a time, and see who gets it.
      for (let i = 0; i < 8; i++) {
        const before = granted.length;
        (await permits.get(granted.at(-1)!)!).release();
        for (let tries = 0; granted.length === before && tries < 100; tries++) await settle();
      }
      expect(granted).toEqual(['read0', 'order5', 'order7', 'status6', 'read1', 'read2', 'read3', 'background4']);
      expect(budget.snapshot().inFlight).toBe(0);
    });

    it('lets an aborted waiter leave the queue with the signal reason, without ever granting it', async () => {
      const budget = await budgetWith({ requestsPerSecond: 1000, maxConcurrent: 1 });
      const holder = await budget.acquire('order');
      const controller = new AbortController();
      const granted: string[] = [];
      const [abandoned] = queue(budget, ['read'], granted, controller.signal);
      const [next] = queue(budget, ['background'], granted);
      await settle();
      const reason = new Error('the buyer left');
      controller.abort(reason);
      await expect(abandoned).rejects.toBe(reason);
      expect(budget.snapshot().waiting).toEqual({ order: 0, status: 0, read: 0, background: 1 });
      holder.release();
      (await next!).release();
      expect(granted).toEqual(['background0']);
      expect(budget.snapshot().inFlight).toBe(0);
    });

    it('rejects at once with an already-aborted signal', async () => {
      const budget = await budgetWith({ requestsPerSecond: 1000, maxConcurrent: 1 });
      const reason = new Error('too late');
      await expect(budget.acquire('order', AbortSignal.abort(reason))).rejects.toBe(reason);
      expect(budget.snapshot().inFlight).toBe(0);
    });

    it('holds every grant, orders included, while paused after a 429', async () => {
      const budget = await budgetWith({ requestsPerSecond: 1000, maxConcurrent: 10 });
      const started = performance.now();
      budget.pauseFor(200);
      const pausedUntil = budget.snapshot().pausedUntil;
      expect(pausedUntil).not.toBeNull();
      expect(pausedUntil! - Date.now()).toBeGreaterThan(100);
      const permit = await budget.acquire('order');
      expect(performance.now() - started).toBeGreaterThanOrEqual(180);
      expect(budget.snapshot().pausedUntil).toBeNull();
      permit.release();
    });

    it('does not shorten a running pause', async () => {
      const budget = await budgetWith({ requestsPerSecond: 1000, maxConcurrent: 10 });
      budget.pauseFor(300);
      const first = budget.snapshot().pausedUntil!;
      budget.pauseFor(50);
      expect(budget.snapshot().pausedUntil).toBe(first);
      const started = performance.now();
      (await budget.acquire('order')).release();
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    });

    it('counts a permit released twice only once', async () => {
      const budget = await budgetWith({ requestsPerSecond: 1000, maxConcurrent: 1 });
      const first = await budget.acquire('read');
      const granted: string[] = [];
      const [second, third] = queue(budget, ['read', 'read'], granted);
      first.release();
      first.release();
      await second;
      await settle();
      expect(granted).toEqual(['read0']);
      expect(budget.snapshot().inFlight).toBe(1);
      (await second!).release();
      (await third!).release();
      expect(budget.snapshot().inFlight).toBe(0);
    });
  });
}
