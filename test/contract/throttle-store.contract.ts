/**
 * The ThrottleStore conformance suite: what every store of per-caller buckets promises, the
 * in-process one and the Redis one alike (see `src/ports/throttle-store.ts`). Time is passed in
 * (`now`), so restoring is checked to the point, without waiting.
 *
 * Usage: `runThrottleStoreContract('memory', () => ({ store: createMemoryThrottleStore() }))`.
 * `create` is called once per scenario and must return an empty store (its own keys, for Redis).
 *
 * @module
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ThrottleStore } from '../../src/ports/throttle-store.ts';

export interface ThrottleStoreUnderTest {
  store: ThrottleStore;
  teardown?(): Promise<void>;
}

const T0 = 1_800_000_000_000;
/** 100 points, 10 restored a second: one point every 100 ms. */
const at = (now: number) => ({ capacity: 100, restorePerSecond: 10, now });

export function runThrottleStoreContract(name: string, create: () => Promise<ThrottleStoreUnderTest> | ThrottleStoreUnderTest): void {
  describe(`ThrottleStore contract: ${name}`, () => {
    const teardowns: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const teardown of teardowns.splice(0)) await teardown();
    });
    async function fresh(): Promise<ThrottleStore> {
      const under = await create();
      if (under.teardown) teardowns.push(() => under.teardown!());
      return under.store;
    }

    it('a caller never seen starts with a full bucket', async () => {
      const store = await fresh();
      expect(await store.peek('new', at(T0))).toEqual({ available: 100, capacity: 100, restoreRate: 10 });
      expect(await store.take('new', 30, at(T0))).toEqual({ allowed: true, available: 70, capacity: 100, restoreRate: 10, retryAfterMs: 0 });
      expect((await store.peek('new', at(T0))).available).toBe(70);
    });

    it('refuses a take that does not fit, deducts nothing, and says when it would', async () => {
      const store = await fresh();
      await store.take('k', 95, at(T0));
      const refused = await store.take('k', 20, at(T0));
      expect(refused).toEqual({ allowed: false, available: 5, capacity: 100, restoreRate: 10, retryAfterMs: 1500 });
      expect((await store.peek('k', at(T0))).available).toBe(5);
      // Exactly when it said: 1.5 s later 15 points were restored, and the take fits.
      expect((await store.take('k', 20, at(T0 + 1499))).allowed).toBe(false);
      expect(await store.take('k', 20, at(T0 + 1500))).toMatchObject({ allowed: true, available: 0 });
    });

    it('restores at the rate, never above capacity', async () => {
      const store = await fresh();
      await store.take('k', 100, at(T0));
      expect((await store.peek('k', at(T0 + 250))).available).toBeCloseTo(2.5, 9);
      expect((await store.peek('k', at(T0 + 4000))).available).toBeCloseTo(40, 9);
      expect((await store.peek('k', at(T0 + 60_000))).available).toBe(100);
      expect(await store.take('k', 100, at(T0 + 60_000))).toMatchObject({ allowed: true, available: 0 });
    });

    it('a take of more than the capacity can never fit: no retry time, nothing deducted', async () => {
      const store = await fresh();
      expect(await store.take('k', 101, at(T0))).toEqual({ allowed: false, available: 100, capacity: 100, restoreRate: 10, retryAfterMs: null });
      expect((await store.peek('k', at(T0))).available).toBe(100);
    });

    it('a refund gives points back, never above capacity', async () => {
      const store = await fresh();
      await store.take('k', 60, at(T0));
      expect(await store.refund('k', 25, at(T0))).toEqual({ available: 65, capacity: 100, restoreRate: 10 });
      expect(await store.refund('k', 500, at(T0 + 1000))).toEqual({ available: 100, capacity: 100, restoreRate: 10 });
      expect((await store.peek('k', at(T0 + 1000))).available).toBe(100);
      // A refund to a caller never seen (its bucket forgotten) leaves it full.
      expect((await store.refund('other', 5, at(T0))).available).toBe(100);
    });

    it('keeps one bucket per key', async () => {
      const store = await fresh();
      await store.take('flooder', 100, at(T0));
      expect((await store.take('flooder', 1, at(T0))).allowed).toBe(false);
      expect(await store.take('neighbour', 1, at(T0))).toMatchObject({ allowed: true, available: 99 });
    });

    it('concurrent takes never spend the same points twice', async () => {
      const store = await fresh();
      const results = await Promise.all(Array.from({ length: 40 }, () => store.take('k', 7, at(T0))));
      expect(results.filter((r) => r.allowed)).toHaveLength(14);
      expect((await store.peek('k', at(T0))).available).toBe(2);
    });

    it('takes fractions of points, and applies the limits of each call', async () => {
      const store = await fresh();
      expect((await store.take('k', 0.5, at(T0))).available).toBe(99.5);
      // The caller's limits changed (configuration): the next call uses the new ones.
      const bigger = { capacity: 1000, restorePerSecond: 100, now: T0 + 1000 };
      expect(await store.take('k', 200, bigger)).toEqual({ allowed: false, available: 199.5, capacity: 1000, restoreRate: 100, retryAfterMs: 5 });
      expect((await store.peek('k', { ...bigger, now: T0 + 10_000 })).available).toBe(1000);
      // A smaller capacity caps what is there at once.
      expect((await store.peek('k', { capacity: 10, restorePerSecond: 1, now: T0 + 10_000 })).available).toBe(10);
    });

    it('a clock that steps back restores nothing and takes nothing back', async () => {
      const store = await fresh();
      await store.take('k', 50, at(T0));
      expect((await store.peek('k', at(T0 - 5000))).available).toBe(50);
      expect(await store.take('k', 10, at(T0 - 5000))).toMatchObject({ allowed: true, available: 40 });
    });

    it('refuses nonsense points and limits with a TypeError naming them', async () => {
      const store = await fresh();
      await expect(store.take('k', 0, at(T0))).rejects.toThrow(/points must be a positive number, but got: 0/);
      await expect(store.take('k', Number.NaN, at(T0))).rejects.toThrow(TypeError);
      await expect(store.refund('k', -1, at(T0))).rejects.toThrow(/points/);
      await expect(store.take('k', 1, { capacity: 0, restorePerSecond: 1, now: T0 })).rejects.toThrow(/capacity must be a positive number/);
      await expect(store.peek('k', { capacity: 10, restorePerSecond: Number.POSITIVE_INFINITY, now: T0 })).rejects.toThrow(/restorePerSecond/);
    });
  });
}
