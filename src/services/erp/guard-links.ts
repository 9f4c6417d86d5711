/**
 * The links that protect the ERP, in the order they must run: the breaker is asked first, so an
 * open breaker fails a call at once instead of queueing it for a permit and then a timeout; then
 * a permit is taken at the call's priority; then the breaker is asked again (it may have opened
 * while the call waited) and the send window checked; then the ERP is called, the breaker told
 * the outcome, and the permit given back.
 *
 * Put them before the metrics link: `erpfront_erp_requests_total` counts calls that reached the
 * ERP, not those refused here, and the request duration leaves out the wait for a permit.
 *
 * @module
 */
import { systemClock, type Clock } from '../../ports/clock.ts';
import type { ErpBudget } from '../../ports/erp-budget.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { CircuitBreaker } from '../circuit-breaker.ts';
import { breakerLinks } from './breaker-links.ts';
import { budgetLink, sendWindowLink } from './budget-link.ts';
import type { ErpCallLink } from './decorate-connector.ts';

export interface GuardLinksOptions {
  budget: ErpBudget;
  breaker: CircuitBreaker;
  metrics: Pick<Metrics, 'budgetWait'>;
  clock?: Clock;
  /** Pause taken on a 429 that carries no Retry-After (default 1,000 ms). */
  defaultRetryAfterMs?: number;
}

/** Breaker, budget, breaker again and send window, outermost first. */
export function guardLinks(options: GuardLinksOptions): ErpCallLink[] {
  const clock = options.clock ?? systemClock;
  const breaker = breakerLinks(options.breaker);
  return [
    breaker.admit,
    budgetLink({ budget: options.budget, metrics: options.metrics, clock, defaultRetryAfterMs: options.defaultRetryAfterMs }),
    breaker.verdict,
    sendWindowLink(clock),
  ];
}
