/**
 * Who is asking: the verified claims of a bearer token.
 *
 * @module
 */
import { z } from 'zod';

/** `punchout`: a procurement system's user in a PunchOut session (never from a JWT; see features/punchout). */
export type Role = 'buyer' | 'rep' | 'ops' | 'punchout';

export interface Principal {
  /** The token's subject (a user id). */
  subject: string;
  roles: ReadonlySet<Role>;
  /** For a buyer: the customer (company account) they buy for. */
  customerId: string | null;
  /** For a sales rep: their rep id in the ERP. */
  repId: string | null;
  /** For a `punchout` principal: the PunchOut session it belongs to. */
  punchOutSessionId?: string | null;
}

const Claims = z.object({
  sub: z.string().min(1, { message: 'must name the subject' }),
  customerId: z.string().min(1).optional(),
  repId: z.string().min(1).optional(),
  roles: z.array(z.enum(['buyer', 'rep', 'ops'])).min(1, { message: 'must name at least one role' }),
});

/**
 * Turns verified JWT claims into a principal, or explains what is missing. A buyer must carry a
 * `customerId`; a rep carries a `repId` (or uses `sub` as the rep id).
 */
export function principalFromClaims(claims: unknown): Principal | { problem: string } {
  const parsed = Claims.safeParse(claims);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { problem: `token claim ${issue.path.join('.') || '(payload)'} ${issue.message}` };
  }
  const { sub, customerId, repId, roles } = parsed.data;
  const roleSet = new Set<Role>(roles);
  if (roleSet.has('buyer') && !customerId) return { problem: 'a buyer token must carry a customerId claim' };
  return {
    subject: sub,
    roles: roleSet,
    customerId: customerId ?? null,
    repId: roleSet.has('rep') ? (repId ?? sub) : null,
  };
}
