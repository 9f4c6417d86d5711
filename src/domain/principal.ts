/**
 * Who is asking: the verified claims of a bearer token.
 *
 * @module
 */
import { z } from 'zod';

/**
 * `punchout`: a procurement system's user in a PunchOut session (never from a JWT; see
 * features/punchout). `applicant`: a user the identity provider knows who belongs to no company
 * yet: they may register one (features/registration) and nothing else.
 */
export type Role = 'buyer' | 'rep' | 'ops' | 'punchout' | 'applicant';

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
  roles: z.array(z.enum(['buyer', 'rep', 'ops', 'applicant'])).optional(),
});

/**
 * Turns verified JWT claims into a principal, or explains what is missing. A buyer must carry a
 * `customerId`; a rep carries a `repId` (or uses `sub` as the rep id). A token with a subject and
 * nothing else (no roles, no customer: what an identity provider issues a user who signed up) is
 * an applicant, as is one naming the `applicant` role; an applicant belongs to no customer.
 */
export function principalFromClaims(claims: unknown): Principal | { problem: string } {
  const parsed = Claims.safeParse(claims);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { problem: `token claim ${issue.path.join('.') || '(payload)'} ${issue.message}` };
  }
  const { sub, customerId, repId } = parsed.data;
  const roles = parsed.data.roles?.length ? parsed.data.roles : null;
  if (!roles && (customerId || repId)) return { problem: 'token claim roles must name at least one role' };
  const roleSet = new Set<Role>(roles ?? ['applicant']);
  if (roleSet.has('buyer') && !customerId) return { problem: 'a buyer token must carry a customerId claim' };
  // A user of a company is no applicant: one company per identity, settled by the identity provider.
  if (roleSet.has('applicant') && (customerId || roleSet.size > 1)) return { problem: 'an applicant token must carry no customerId and no other role' };
  return {
    subject: sub,
    roles: roleSet,
    customerId: customerId ?? null,
    repId: roleSet.has('rep') ? (repId ?? sub) : null,
  };
}
