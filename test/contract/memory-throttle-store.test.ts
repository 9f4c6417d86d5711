/** The in-process throttle store against the ThrottleStore conformance suite, then its bound. */
import { describe, expect, it } from 'vitest';
import { createMemoryThrottleStore } from '../../src/adapters/stores/memory/throttle-store.ts';
import { runThrottleStoreContract } from './throttle-store.contract.ts';

runThrottleStoreContract('memory', () => ({ store: createMemoryThrottleStore() }));

describe('memory throttle store: bounded', () => {
  const limits = { capacity: 10, restorePerSecond: 1, now: 1_000 };

  it('forgets the least recently used bucket past maxBuckets, which leaves that caller full', async () => {
    const store = createMemoryThrottleStore({ maxBuckets: 1000 });
    await store.take('flooder', 10, limits);
    // A million callers pass once each; the flooder keeps coming back.
    for (let i = 0; i < 1_000_000; i++) {
      store.takeNow(`caller-${i}`, 1, limits);
      if (i % 500 === 0) expect(store.takeNow('flooder', 1, limits).allowed).toBe(false);
    }
    // The flooder was used recently all along: still empty.
    expect((await store.peek('flooder', limits)).available).toBe(0);
    // The first callers were forgotten: full again, the only loss the contract allows.
    expect((await store.peek('caller-0', limits)).available).toBe(10);
    expect((await store.peek('caller-999999', limits)).available).toBe(9);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => createMemoryThrottleStore({ maxBuckets: 0 })).toThrow(/maxBuckets must be a positive integer, but got: 0/);
  });
});
