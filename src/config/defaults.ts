/**
 * One readable place that turns configuration into the policies the services run with.
 *
 * @module
 */
import type { CacheDomain, FreshnessPolicy } from '../services/read-through-cache.ts';
import type { Env } from './env.ts';

/** Freshness per cached domain, from the environment's seconds. */
export function freshnessPolicies(env: Env): Record<CacheDomain, FreshnessPolicy> {
  const policy = (freshSeconds: number): FreshnessPolicy => ({
    freshMs: freshSeconds * 1000,
    staleWhileRevalidateMs: freshSeconds * 1000 * env.STALE_WHILE_REVALIDATE_FRACTION,
    maxStaleMs: env.MAX_STALE_SECONDS * 1000,
  });
  return {
    items: policy(env.FRESHNESS_ITEMS_SECONDS),
    prices: policy(env.FRESHNESS_PRICES_SECONDS),
    stock: policy(env.FRESHNESS_AVAILABILITY_SECONDS),
    accounts: policy(env.FRESHNESS_CREDIT_SECONDS),
    // Rep assignments change as rarely as catalog data.
    reps: policy(env.FRESHNESS_ITEMS_SECONDS),
    // Open orders and unpaid invoices move with the account's credit figures.
    activity: policy(env.FRESHNESS_CREDIT_SECONDS),
  };
}
