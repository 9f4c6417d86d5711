/**
 * The leaky bucket behind PunchOut's failed-login throttling, on a hand-moved clock: full after
 * `maxFailures`, one more try per `windowMs / maxFailures`, empty after a quiet window; refunds
 * for logins that succeeded; bounded memory.
 */
import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../src/features/punchout/services/login-throttle.ts';

describe('LoginThrottle', () => {
  it('refuses a key after maxFailures, then lets one try through per windowMs / maxFailures', () => {
    const throttle = new LoginThrottle({ maxFailures: 5, windowMs: 50_000 });
    for (let i = 0; i < 4; i++) throttle.failed(['k'], 0);
    expect(throttle.retryAfterMs(['k'], 0)).toBe(0);
    throttle.failed(['k'], 0);
    expect(throttle.retryAfterMs(['k'], 0)).toBe(10_000);
    expect(throttle.retryAfterMs(['k'], 4_000)).toBe(6_000);
    expect(throttle.retryAfterMs(['k'], 10_000)).toBe(0);
    throttle.failed(['k'], 10_000);
    expect(throttle.retryAfterMs(['k'], 10_000)).toBe(10_000);
    // Other keys are untouched; the longest wait of several keys counts.
    expect(throttle.retryAfterMs(['other'], 10_000)).toBe(0);
    expect(throttle.retryAfterMs(['other', 'k'], 10_000)).toBe(10_000);
    // A quiet window empties it.
    expect(throttle.retryAfterMs(['k'], 60_000)).toBe(0);
    for (let i = 0; i < 4; i++) throttle.failed(['k'], 60_000);
    expect(throttle.retryAfterMs(['k'], 60_000)).toBe(0);
  });

  it('a refund takes back a failure counted before a login that succeeded', () => {
    const throttle = new LoginThrottle({ maxFailures: 2, windowMs: 1000 });
    for (let i = 0; i < 10; i++) {
      throttle.failed(['k'], 0);
      throttle.refund(['k'], 0);
    }
    expect(throttle.retryAfterMs(['k'], 0)).toBe(0);
  });

  it('failures beyond the limit do not lengthen the wait, and memory is bounded by maxKeys', () => {
    const throttle = new LoginThrottle({ maxFailures: 3, windowMs: 3000, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) throttle.failed(['k'], 0);
    expect(throttle.retryAfterMs(['k'], 0)).toBe(1000);
    for (let i = 0; i < 10_000; i++) throttle.failed([`spray-${i}`], 0);
    // 10,000 sprayed keys: memory stays bounded, at the price of forgetting the oldest bucket
    // (which is why the per-address bucket stands beside the per-sender one).
    expect(throttle.retryAfterMs(['spray-9999'], 0)).toBe(0);
    expect(throttle.retryAfterMs(['k'], 0)).toBe(0);
  });
});
