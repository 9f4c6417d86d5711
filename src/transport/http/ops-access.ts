/**
 * Operations endpoints ask the access policy as the GraphQL resolvers do: the principal, acting
 * for no customer, on the operations action the route serves.
 *
 * @module
 */
import { can, type Action } from '../../domain/access/policy.ts';
import type { Principal } from '../../domain/principal.ts';
import { graphqlErrorResponse } from './error-response.ts';

/** The actions of the operations endpoints. */
export type OpsAction = Extract<Action, `ops.${string}`>;

/** `null` when the policy lets `principal` take `action`; else the 403 that refuses it. */
export function opsRefusal(principal: Principal, action: OpsAction): Response | null {
  const decision = can({ principal, customerId: null }, action, { customerId: null });
  if (decision.verdict === 'allow') return null;
  return graphqlErrorResponse(403, 'FORBIDDEN', decision.verdict === 'deny' ? decision.message : 'This needs the ops role.');
}

/** Whether `principal` may take `action` (for answers that differ rather than refuse). */
export function opsAllowed(principal: Principal, action: OpsAction): boolean {
  return can({ principal, customerId: null }, action, { customerId: null }).verdict === 'allow';
}
