/**
 * Which bucket a caller draws from, and how big it is: the throttle's policy, pure.
 *
 * One bucket per caller, as the issue names them:
 * - a **buyer**: their customer and subject (two buyers of one company have a bucket each, so one
 *   colleague's script does not lock out the others; a per-customer limit raises them all);
 * - a **sales rep**: their subject (one person, whichever customer they act for);
 * - a **PunchOut session**: the session (each shopping session of a procurement system's user);
 * - an **ops** user: their subject.
 * A principal with several roles draws from the bucket of its most privileged one (punchout, then
 * ops, rep, buyer): a PunchOut session is always that, whatever else it may be.
 *
 * Sizes are per role, with per-customer overrides for buyers and PunchOut sessions of that
 * customer (a large account's storefront may need more). Defaults, in cost points (see
 * `DEFAULT_THROTTLE_LIMITS` for how they were sized).
 *
 * @module
 */
import type { Principal } from '../principal.ts';

export type ThrottleRole = 'punchout' | 'ops' | 'rep' | 'buyer';

/** Most privileged first: the role whose bucket a principal with several roles draws from. */
export const THROTTLE_ROLES: readonly ThrottleRole[] = ['punchout', 'ops', 'rep', 'buyer'];

/** A bucket's size: the most points it holds, and how many come back each second. */
export interface BucketSize {
  capacity: number;
  restorePerSecond: number;
}

export interface ThrottleLimits {
  roles: Readonly<Record<ThrottleRole, BucketSize>>;
  /** By customer id: the size of that customer's buyers' and PunchOut sessions' buckets. */
  customers: Readonly<Record<string, BucketSize>>;
}

/**
 * The defaults, in the units of the query cost (`extensions.cost`), where a product with its
 * price and availability costs about 5 points: the README's 48-SKU CatalogPage about 240 points,
 * its 20-result search about 100, an order a fixed 10.
 *
 * A buyer browsing hard (a page every two seconds, rendered on the server and fetched again by the
 * browser) spends about 250 points a second. Buyers get twice that sustained (500 a second: two
 * full catalog pages a second, for ever) and a burst of 40 pages (10,000: opening many tabs, a
 * quick-order pad pasted with 250 SKUs, a storefront's cold start). A flooding buyer is held to
 * two pages a second, a sliver of what one instance serves (hundreds of pages a second warm).
 * PunchOut sessions are buyers shopping through their procurement system. A sales rep works many
 * customers' accounts in one day: twice a buyer. Ops tools read queues in bulk: five times.
 */
export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  roles: {
    buyer: { capacity: 10_000, restorePerSecond: 500 },
    punchout: { capacity: 10_000, restorePerSecond: 500 },
    rep: { capacity: 20_000, restorePerSecond: 1_000 },
    ops: { capacity: 50_000, restorePerSecond: 2_500 },
  },
  customers: {},
};

/** The bucket a principal draws from. */
export interface CallerBucket {
  role: ThrottleRole;
  /** What names the caller within its role: customer and subject, a subject, a session id. */
  parts: readonly string[];
  limits: BucketSize;
}

/** The principal's most privileged role, as the throttle sees it. */
export function throttleRole(principal: Principal): ThrottleRole {
  // A PunchOut principal is recognised by its session too: the feature builds it.
  if (principal.punchOutSessionId) return 'punchout';
  return THROTTLE_ROLES.find((role) => principal.roles.has(role)) ?? 'buyer';
}

/** The bucket `principal` draws from under `limits`. */
export function bucketFor(principal: Principal, limits: ThrottleLimits): CallerBucket {
  const role = throttleRole(principal);
  const parts =
    role === 'punchout'
      ? [principal.punchOutSessionId ?? principal.subject]
      : role === 'buyer'
        ? [principal.customerId ?? '', principal.subject]
        : [principal.subject];
  const customer = role === 'buyer' || role === 'punchout' ? principal.customerId : null;
  const override = customer !== null ? limits.customers[customer] : undefined;
  return { role, parts, limits: override ?? limits.roles[role] };
}
