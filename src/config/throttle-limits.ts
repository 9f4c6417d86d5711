/**
 * `THROTTLE_LIMITS`: the callers' bucket sizes, as JSON, over the defaults. Every field is
 * optional; what is given replaces the default field by field:
 *
 * ```json
 * { "buyer": { "capacity": 20000, "restorePerSecond": 1000 },
 *   "ops": { "restorePerSecond": 5000 },
 *   "customers": { "C0002": { "capacity": 40000, "restorePerSecond": 2000 } } }
 * ```
 *
 * A customer's entry sizes the buckets of that customer's buyers and PunchOut sessions (each still
 * has a bucket of its own); fields it leaves out come from the buyers' size.
 *
 * @module
 */
import { z } from 'zod';
import { DEFAULT_THROTTLE_LIMITS, THROTTLE_ROLES, type BucketSize, type ThrottleLimits } from '../domain/throttle/throttle-policy.ts';

const positive = z.number({ message: 'expected a number' }).finite().positive({ message: 'expected a positive number' });
const Size = z.strictObject({ capacity: positive.optional(), restorePerSecond: positive.optional() });
const Limits = z.strictObject({
  buyer: Size.optional(),
  punchout: Size.optional(),
  rep: Size.optional(),
  ops: Size.optional(),
  customers: z.record(z.string().min(1), Size).optional(),
});

/**
 * The limits `text` describes, over `defaults`; or every problem found, each naming its path.
 * Empty or absent text: the defaults.
 */
export function parseThrottleLimits(text: string | undefined, defaults: ThrottleLimits = DEFAULT_THROTTLE_LIMITS): ThrottleLimits | { problems: string[] } {
  if (text === undefined || text.trim() === '') return defaults;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problems: [`not JSON (${(error as Error).message}); expected e.g. {"buyer": {"capacity": 20000, "restorePerSecond": 1000}}`] };
  }
  const parsed = Limits.safeParse(json);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`) };
  }
  const given = parsed.data;
  const roles = Object.fromEntries(THROTTLE_ROLES.map((role) => [role, { ...defaults.roles[role], ...given[role] }])) as Record<
    (typeof THROTTLE_ROLES)[number],
    BucketSize
  >;
  const customers: Record<string, BucketSize> = { ...defaults.customers };
  for (const [id, size] of Object.entries(given.customers ?? {})) {
    // A customer's entry may leave a field out: the buyer's size fills it in.
    customers[id] = { ...roles.buyer, ...size };
  }
  return { roles, customers };
}
