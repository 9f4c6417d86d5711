import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus.ts';
import { ErpError, type ErpErrorCode } from '../../../src/ports/erp-error.ts';
import { CircuitBreaker, type CircuitBreakerOptions } from '../../../src/services/circuit-breaker.ts';

const fail = (code: ErpErrorCode = 'ERP_UNAVAILABLE') => new ErpError(code, `ERP said ${code}`);

function setup(options: CircuitBreakerOptions = {}) {
  let now = Date.parse('2026-11-23T10:00:00Z');
  const states: string[] = [];
  const breaker = new CircuitBreaker({ clock: { now: () => now }, metrics: { breakerState: (s) => states.push(s) }, ...options });
  /** Makes one call through the breaker that ends with `outcome` (an error, or success). */
  const call = (outcome?: unknown) => {
    const pass = breaker.tryPass();
    if (!pass) return 'refused';
    if (outcome === undefined) pass.success();
    else pass.failure(outcome);
    return 'called';
  };
  return { breaker, states, call, advance: (ms: number) => (now += ms), now: () => now };
}

describe('CircuitBreaker', () => {
  it('opens after five consecutive transient failures, and a success in between resets the count', () => {
    const { breaker, states, call } = setup();
    for (let i = 0; i < 4; i++) call(fail('ERP_TIMEOUT'));
    call();
    for (let i = 0; i < 4; i++) call(fail('ERP_RATE_LIMITED'));
    expect(breaker.state).toBe('closed');
    call(fail('ERP_UNAVAILABLE'));
    expect(breaker.state).toBe('open');
    expect(states).toEqual(['open']);
    expect(breaker.snapshot()).toMatchObject({ state: 'open', consecutiveFailures: 5, cooldownMs: 10_000 });
  });

  it('fails fast while open, saying how long until the next try', () => {
    const { breaker, call, advance, now } = setup();
    for (let i = 0; i < 5; i++) call(fail());
    const openedAt = now();
    expect(breaker.snapshot()).toMatchObject({ since: openedAt, nextProbeAt: openedAt + 10_000 });
    advance(4_000);
    expect(breaker.tryPass()).toBeNull();
    expect(breaker.retryAfterMs()).toBe(6_000);
  });

  it('opens when at least half of the recent calls failed, even with no five in a row', () => {
    const { breaker, call } = setup();
    // fail, ok, fail, ok...: never two in a row, but a flapping ERP all the same.
    for (let i = 0; i < 9; i++) call(i % 2 === 0 ? fail() : undefined);
    expect(breaker.state).toBe('closed'); // 5 of 9: fewer calls than the ratio needs
    call();
    call(fail());
    expect(breaker.state).toBe('open'); // 6 of 11
  });

  it('forgets failures older than the window', () => {
    const { breaker, call, advance } = setup({ failureThreshold: 100 });
    for (let i = 0; i < 8; i++) call(fail());
    advance(61_000);
    for (let i = 0; i < 4; i++) call(i === 0 ? fail() : undefined);
    for (let i = 0; i < 6; i++) call();
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', recentCalls: 10, recentFailures: 1 });
  });

  it('does not count business refusals, not-found, bad responses or non-ERP errors', () => {
    const { breaker, call } = setup();
    for (const code of ['ERP_REJECTED', 'ERP_NOT_FOUND', 'ERP_BAD_RESPONSE', 'ERP_AUTH_FAILED'] as const) {
      for (let i = 0; i < 10; i++) call(fail(code));
    }
    for (let i = 0; i < 10; i++) call(new DOMException('the caller left', 'AbortError'));
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0, recentFailures: 0 });
  });

  it('after the cooldown lets exactly one probe through, and closes on its success', () => {
    const { breaker, states, call, advance } = setup();
    for (let i = 0; i < 5; i++) call(fail());
    advance(10_000);
    expect(breaker.state).toBe('half_open');
    const probe = breaker.tryPass();
    expect(probe?.probe).toBe(true);
    expect(breaker.tryPass()).toBeNull();
    expect(breaker.tryPass()).toBeNull();
    expect(breaker.snapshot().probeInFlight).toBe(true);
    probe!.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.snapshot()).toMatchObject({ consecutiveFailures: 0, recentCalls: 0, cooldownMs: 10_000 });
    expect(call()).toBe('called');
    expect(states).toEqual(['open', 'half_open', 'closed']);
  });

  it('reopens on a failed probe for twice the cooldown, up to the maximum, and resets it on success', () => {
    const { breaker, call, advance } = setup({ cooldownMs: 10_000, maxCooldownMs: 60_000 });
    for (let i = 0; i < 5; i++) call(fail());
    const cooldowns: number[] = [];
    for (let i = 0; i < 4; i++) {
      advance(breaker.retryAfterMs());
      expect(call(fail('ERP_TIMEOUT'))).toBe('called');
      expect(breaker.state).toBe('open');
      cooldowns.push(breaker.retryAfterMs());
    }
    expect(cooldowns).toEqual([20_000, 40_000, 60_000, 60_000]);
    advance(60_000);
    call();
    expect(breaker.state).toBe('closed');
    for (let i = 0; i < 5; i++) call(fail());
    expect(breaker.retryAfterMs()).toBe(10_000);
  });

  it('frees the probe slot when the probe never reached the ERP', () => {
    const { breaker, call, advance } = setup();
    for (let i = 0; i < 5; i++) call(fail());
    advance(10_000);
    breaker.tryPass()!.cancel();
    expect(breaker.state).toBe('half_open');
    const next = breaker.tryPass();
    expect(next?.probe).toBe(true);
  });

  it('treats a refusal from the probe as an answer: the ERP is back', () => {
    const { breaker, call, advance } = setup();
    for (let i = 0; i < 5; i++) call(fail());
    advance(10_000);
    call(fail('ERP_REJECTED'));
    expect(breaker.state).toBe('closed');
  });

  it('ignores late answers to calls let through before the breaker changed state', () => {
    const { breaker, call, advance } = setup();
    const early = Array.from({ length: 10 }, () => breaker.tryPass()!);
    for (let i = 0; i < 5; i++) early[i]!.failure(fail());
    expect(breaker.state).toBe('open');
    expect(early[5]!.revoked).toBe(true);
    early[5]!.success(); // must not close an open breaker
    expect(breaker.state).toBe('open');
    advance(10_000);
    call();
    expect(breaker.state).toBe('closed');
    for (const pass of early.slice(6)) pass.failure(fail()); // must not count against the ERP now
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('reports transitions through the Prometheus metrics', async () => {
    const metrics = createPrometheusMetrics();
    let now = 0;
    const breaker = new CircuitBreaker({ metrics, clock: { now: () => now }, failureThreshold: 1 });
    breaker.tryPass()!.failure(fail());
    expect(await metrics.render()).toMatch(/erpfront_erp_circuit_state 2/);
    now += 10_000;
    breaker.tryPass()!.success();
    expect(await metrics.render()).toMatch(/erpfront_erp_circuit_state 0/);
  });
});
