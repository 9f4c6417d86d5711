/** Which bucket a caller draws from, how big, and how THROTTLE / THROTTLE_LIMITS configure it. */
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/config/env.ts';
import type { Principal, Role } from '../../../src/domain/principal.ts';
import { bucketFor, DEFAULT_THROTTLE_LIMITS } from '../../../src/domain/throttle/throttle-policy.ts';

const principal = (roles: Role[], fields: Partial<Principal> = {}): Principal => ({
  subject: 'u1',
  roles: new Set(roles),
  customerId: null,
  repId: null,
  ...fields,
});

describe('throttle policy: one bucket per caller', () => {
  const limits = DEFAULT_THROTTLE_LIMITS;

  it('a buyer by customer and subject, a rep and ops by subject, a PunchOut session by session', () => {
    expect(bucketFor(principal(['buyer'], { customerId: 'C0001' }), limits)).toEqual({ role: 'buyer', parts: ['C0001', 'u1'], limits: limits.roles.buyer });
    expect(bucketFor(principal(['rep'], { repId: 'R01' }), limits)).toEqual({ role: 'rep', parts: ['u1'], limits: limits.roles.rep });
    expect(bucketFor(principal(['ops']), limits)).toEqual({ role: 'ops', parts: ['u1'], limits: limits.roles.ops });
    expect(bucketFor(principal(['punchout'], { customerId: 'C0001', punchOutSessionId: 'S1' }), limits)).toEqual({
      role: 'punchout',
      parts: ['S1'],
      limits: limits.roles.punchout,
    });
  });

  it('a principal with several roles draws from its most privileged one', () => {
    expect(bucketFor(principal(['buyer', 'rep'], { customerId: 'C0001' }), limits).role).toBe('rep');
    expect(bucketFor(principal(['buyer', 'ops'], { customerId: 'C0001' }), limits).role).toBe('ops');
  });

  it("a customer's override sizes its buyers' and PunchOut sessions' buckets, not its reps'", () => {
    const configured = parseEnv({ THROTTLE_LIMITS: JSON.stringify({ customers: { C0002: { capacity: 40_000 } } }) }).THROTTLE_LIMITS;
    const big = { capacity: 40_000, restorePerSecond: limits.roles.buyer.restorePerSecond };
    expect(bucketFor(principal(['buyer'], { customerId: 'C0002' }), configured).limits).toEqual(big);
    expect(bucketFor(principal(['punchout'], { customerId: 'C0002', punchOutSessionId: 'S9' }), configured).limits).toEqual(big);
    expect(bucketFor(principal(['buyer'], { customerId: 'C0001' }), configured).limits).toEqual(limits.roles.buyer);
    expect(bucketFor(principal(['rep']), configured).limits).toEqual(limits.roles.rep);
  });
});

describe('THROTTLE and THROTTLE_LIMITS', () => {
  it('default to on, with the default sizes', () => {
    const env = parseEnv({});
    expect(env.THROTTLE).toBe(true);
    expect(env.THROTTLE_LIMITS).toEqual(DEFAULT_THROTTLE_LIMITS);
    expect(parseEnv({ THROTTLE: 'off' }).THROTTLE).toBe(false);
  });

  it('replace the defaults field by field', () => {
    const env = parseEnv({ THROTTLE_LIMITS: '{"ops": {"restorePerSecond": 5000}, "buyer": {"capacity": 2000, "restorePerSecond": 100}}' });
    expect(env.THROTTLE_LIMITS.roles.ops).toEqual({ capacity: DEFAULT_THROTTLE_LIMITS.roles.ops.capacity, restorePerSecond: 5000 });
    expect(env.THROTTLE_LIMITS.roles.buyer).toEqual({ capacity: 2000, restorePerSecond: 100 });
    expect(env.THROTTLE_LIMITS.roles.rep).toEqual(DEFAULT_THROTTLE_LIMITS.roles.rep);
  });

  it('are refused at start with every problem named', () => {
    expect(() => parseEnv({ THROTTLE: 'maybe' })).toThrow(/THROTTLE: expected on or off/);
    expect(() => parseEnv({ THROTTLE_LIMITS: '{buyer: 1}' })).toThrow(/THROTTLE_LIMITS: not JSON/);
    let message = '';
    try {
      parseEnv({ THROTTLE_LIMITS: '{"buyers": {}, "rep": {"capacity": 0}, "customers": {"C1": {"restorePerSecond": "fast"}}}' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/THROTTLE_LIMITS: .*buyers/);
    expect(message).toMatch(/THROTTLE_LIMITS: rep\.capacity: expected a positive number/);
    expect(message).toMatch(/THROTTLE_LIMITS: customers\.C1\.restorePerSecond: expected a number/);
  });
});
