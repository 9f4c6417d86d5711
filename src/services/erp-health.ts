/**
 * Whether the ERP answers, checked at most every few seconds however often readiness is probed.
 *
 * @module
 */
import { withoutAddresses } from '../domain/loggable-error.ts';
import type { Clock } from '../ports/clock.ts';
import type { ErpConnector } from '../ports/erp-connector.ts';

export interface ErpHealthReport {
  reachable: boolean;
  /** When the ERP stopped answering (UTC ISO 8601); `null` while it answers. */
  downSince: string | null;
  /** How long it has not answered, in seconds. */
  downForSeconds: number;
  lastError: string | null;
  checkedAt: string;
}

export class ErpHealth {
  readonly #erp: ErpConnector;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  #last: ErpHealthReport | null = null;
  #lastAt = -Infinity;
  #downSinceMs: number | null = null;
  #running: Promise<ErpHealthReport> | null = null;

  constructor(erp: ErpConnector, clock: Clock, options: { intervalMs?: number } = {}) {
    this.#erp = erp;
    this.#clock = clock;
    this.#intervalMs = options.intervalMs ?? 2000;
  }

  /** The latest report, pinging the ERP when the last check is older than the interval. */
  check(): Promise<ErpHealthReport> {
    if (this.#last && this.#clock.now() - this.#lastAt < this.#intervalMs) return Promise.resolve(this.#last);
    this.#running ??= this.#ping().finally(() => (this.#running = null));
    return this.#running;
  }

  async #ping(): Promise<ErpHealthReport> {
    let lastError: string | null = null;
    try {
      await this.#erp.ping({ signal: AbortSignal.timeout(2000) });
      this.#downSinceMs = null;
    } catch (error) {
      // Shown in /readyz and the ops console: the failure, not the ERP's address.
      lastError = withoutAddresses(error instanceof Error ? error.message : String(error));
      this.#downSinceMs ??= this.#clock.now();
    }
    const now = this.#clock.now();
    this.#lastAt = now;
    this.#last = {
      reachable: this.#downSinceMs === null,
      downSince: this.#downSinceMs === null ? null : new Date(this.#downSinceMs).toISOString(),
      downForSeconds: this.#downSinceMs === null ? 0 : Math.round((now - this.#downSinceMs) / 1000),
      lastError,
      checkedAt: new Date(now).toISOString(),
    };
    return this.#last;
  }
}
