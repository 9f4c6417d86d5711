/**
 * The ERP circuit breaker: when the ERP keeps failing, stop sending it calls for a while, so it
 * can recover and so buyers get a fast "ERP unavailable" (and a stale cached answer) instead of
 * waiting on timeouts.
 *
 * Closed -> open: after `failureThreshold` consecutive transient failures (a hard outage), or when
 * at least `failureRatio` of the recent calls failed (a flapping ERP that answers every other
 * call). "Recent" is the last `windowSize` calls that are at most `windowMs` old, once there are at
 * least `minimumCalls` of them, so three calls at night cannot trip it.
 *
 * Open -> half-open: after the cooldown. Half-open lets exactly one probe through at a time; every
 * other call is refused at once. The probe's success closes the breaker and resets the cooldown;
 * its failure opens it again for twice the cooldown, up to `maxCooldownMs`, so an ERP that is down
 * for an hour is probed less and less often rather than every ten seconds.
 *
 * Only failures that mean the ERP is not coping count — `ERP_UNAVAILABLE`, `ERP_TIMEOUT`,
 * `ERP_RATE_LIMITED`. A business refusal (`ERP_REJECTED`), a not-found or a malformed answer means
 * the ERP *answered*: it counts as a success. erpfront's own refusals (`ERP_CIRCUIT_OPEN`,
 * `ERP_NOT_SENT`, `ERP_NOT_SUPPORTED`) and anything that is not an `ErpError` (the caller gave up,
 * a bug) give no verdict. The codes' verdicts are in the `ErpError` table (`ports/erp/error-classes.ts`).
 *
 * @module
 */
import { systemClock, type Clock } from '../ports/clock.ts';
import { ErpError } from '../ports/erp-error.ts';
import { erpErrorClass } from '../ports/erp/error-classes.ts';
import type { Metrics } from '../ports/metrics.ts';

export type BreakerState = 'closed' | 'half_open' | 'open';

export interface CircuitBreakerOptions {
  /** Consecutive transient failures that open the breaker (default 5). */
  failureThreshold?: number;
  /** Share of recent calls that, once failed, opens the breaker (default 0.5). */
  failureRatio?: number;
  /** How many recent calls the ratio looks at (default 20). */
  windowSize?: number;
  /** Fewest recent calls for the ratio to apply (default 10). */
  minimumCalls?: number;
  /** Calls older than this drop out of the ratio (default 60,000 ms). */
  windowMs?: number;
  /** How long the breaker stays open the first time (default 10,000 ms). */
  cooldownMs?: number;
  /** The longest cooldown, however many probes fail (default 120,000 ms). */
  maxCooldownMs?: number;
  metrics?: Pick<Metrics, 'breakerState'>;
  clock?: Clock;
}

/** The breaker's state for operations and readiness. Instants are epoch ms. */
export interface BreakerSnapshot {
  state: BreakerState;
  /** When the breaker entered `state`. */
  since: number;
  consecutiveFailures: number;
  /** Calls in the ratio's window, and how many of them failed. */
  recentCalls: number;
  recentFailures: number;
  /** The cooldown the breaker opens (or is open) for. */
  cooldownMs: number;
  /** When the next probe may go; `null` unless open. */
  nextProbeAt: number | null;
  /** Whether the half-open probe is under way. */
  probeInFlight: boolean;
}

/** Leave to make one ERP call. Settle it exactly once; later settlements are ignored. */
export interface BreakerPass {
  /** True for the half-open probe: the one call whose outcome closes or reopens the breaker. */
  readonly probe: boolean;
  /** True when the breaker changed state since the pass was given: do not call the ERP. */
  readonly revoked: boolean;
  /** The ERP answered. */
  success(): void;
  /** The call failed: counts against the ERP when `error` is a transient ERP failure. */
  failure(error: unknown): void;
  /** The call never reached the ERP (the caller gave up while waiting): no verdict. */
  cancel(): void;
}

/** How soon to come back when the half-open probe is out: its answer is usually that close. */
const PROBE_RETRY_MS = 1000;

type Verdict = 'success' | 'failure' | 'none';

export class CircuitBreaker {
  readonly #failureThreshold: number;
  readonly #failureRatio: number;
  readonly #windowSize: number;
  readonly #minimumCalls: number;
  readonly #windowMs: number;
  readonly #baseCooldownMs: number;
  readonly #maxCooldownMs: number;
  readonly #metrics: Pick<Metrics, 'breakerState'> | undefined;
  readonly #clock: Clock;

  #state: BreakerState = 'closed';
  #since: number;
  /** Bumped on every transition: an answer to a pass from an earlier state is not evidence now. */
  #generation = 0;
  #consecutiveFailures = 0;
  #recent: Array<{ at: number; failed: boolean }> = [];
  #cooldownMs: number;
  #openUntil = 0;
  #probeInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#failureThreshold = options.failureThreshold ?? 5;
    this.#failureRatio = options.failureRatio ?? 0.5;
    this.#windowSize = options.windowSize ?? 20;
    this.#minimumCalls = options.minimumCalls ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#baseCooldownMs = options.cooldownMs ?? 10_000;
    this.#maxCooldownMs = Math.max(this.#baseCooldownMs, options.maxCooldownMs ?? 120_000);
    this.#metrics = options.metrics;
    this.#clock = options.clock ?? systemClock;
    this.#cooldownMs = this.#baseCooldownMs;
    this.#since = this.#clock.now();
  }

  /** The current state; an open breaker whose cooldown has passed reads as `half_open`. */
  get state(): BreakerState {
    this.#tick();
    return this.#state;
  }

  /**
   * Asks to make one call. Returns a pass while closed, the single probe pass when half-open and
   * no probe is out, and `null` otherwise: the caller must fail fast, not wait.
   */
  tryPass(): BreakerPass | null {
    this.#tick();
    if (this.#state === 'open') return null;
    if (this.#state === 'half_open') {
      if (this.#probeInFlight) return null;
      this.#probeInFlight = true;
      return this.#pass(true);
    }
    return this.#pass(false);
  }

  /** How long a refused caller should wait before trying again, in ms; 0 while closed. */
  retryAfterMs(): number {
    this.#tick();
    if (this.#state === 'open') return Math.max(1, this.#openUntil - this.#clock.now());
    return this.#state === 'half_open' && this.#probeInFlight ? PROBE_RETRY_MS : 0;
  }

  snapshot(): BreakerSnapshot {
    this.#tick();
    this.#prune(this.#clock.now());
    return {
      state: this.#state,
      since: this.#since,
      consecutiveFailures: this.#consecutiveFailures,
      recentCalls: this.#recent.length,
      recentFailures: this.#recent.filter((call) => call.failed).length,
      cooldownMs: this.#cooldownMs,
      nextProbeAt: this.#state === 'open' ? this.#openUntil : null,
      probeInFlight: this.#probeInFlight,
    };
  }

  #pass(probe: boolean): BreakerPass {
    const generation = this.#generation;
    let settled = false;
    const settle = (verdict: Verdict) => {
      if (settled) return;
      settled = true;
      this.#settle(generation, probe, verdict);
    };
    const breaker = this;
    return {
      probe,
      get revoked() {
        breaker.#tick();
        return generation !== breaker.#generation;
      },
      success: () => settle('success'),
      failure: (error) => settle(error instanceof ErpError ? erpErrorClass(error.code).breaker : 'none'),
      cancel: () => settle('none'),
    };
  }

  #settle(generation: number, probe: boolean, verdict: Verdict): void {
    // A call given leave before the last transition says nothing about the ERP now: the 14 calls
    // that were in flight when it went down must not reopen a breaker that a probe just closed.
    if (generation !== this.#generation) return;
    const now = this.#clock.now();
    if (probe) {
      this.#probeInFlight = false;
      if (verdict === 'success') {
        this.#consecutiveFailures = 0;
        this.#recent = [];
        this.#cooldownMs = this.#baseCooldownMs;
        this.#enter('closed', now);
      } else if (verdict === 'failure') {
        this.#consecutiveFailures += 1;
        this.#cooldownMs = Math.min(this.#cooldownMs * 2, this.#maxCooldownMs);
        this.#open(now);
      }
      return;
    }
    if (this.#state !== 'closed' || verdict === 'none') return;
    const failed = verdict === 'failure';
    this.#consecutiveFailures = failed ? this.#consecutiveFailures + 1 : 0;
    this.#recent.push({ at: now, failed });
    this.#prune(now);
    if (failed && (this.#consecutiveFailures >= this.#failureThreshold || this.#ratioTripped())) this.#open(now);
  }

  #ratioTripped(): boolean {
    if (this.#recent.length < this.#minimumCalls) return false;
    const failures = this.#recent.filter((call) => call.failed).length;
    return failures / this.#recent.length >= this.#failureRatio;
  }

  #prune(now: number): void {
    const oldest = now - this.#windowMs;
    let drop = Math.max(0, this.#recent.length - this.#windowSize);
    while (drop < this.#recent.length && this.#recent[drop]!.at < oldest) drop += 1;
    if (drop > 0) this.#recent.splice(0, drop);
  }

  #open(now: number): void {
    this.#openUntil = now + this.#cooldownMs;
    this.#enter('open', now);
  }

  /** Open -> half-open happens when somebody looks after the cooldown: no timer to clean up. */
  #tick(): void {
    if (this.#state === 'open' && this.#clock.now() >= this.#openUntil) this.#enter('half_open', this.#clock.now());
  }

  #enter(state: BreakerState, now: number): void {
    this.#state = state;
    this.#since = now;
    this.#generation += 1;
    this.#metrics?.breakerState(state);
  }
}
