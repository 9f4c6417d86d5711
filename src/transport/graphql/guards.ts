/**
 * Who may ask what, checked inside resolvers once the route has authenticated the caller and
 * settled the customer the request acts for. The access policy decides; these ask it with the
 * request's principal and customer.
 *
 * @module
 */
import { can, type Action, type Actor, type Resource } from '../../domain/access/policy.ts';
import { DomainError } from '../../domain/errors.ts';
import type { GraphQLContext } from './context.ts';

/** The caller as the access policy sees it: the principal and the customer the request acts for. */
export function actorOf(context: GraphQLContext): Actor {
  return { principal: context.principal, customerId: context.customerId };
}

/** Whether the policy lets the caller take `action` on `resource`. */
export function allows(context: GraphQLContext, action: Action, resource: Resource): boolean {
  return can(actorOf(context), action, resource).verdict === 'allow';
}

/** `FORBIDDEN`, with the policy's reason, unless the caller may take `action` on `resource`. */
export function authorize(context: GraphQLContext, action: Action, resource: Resource): void {
  const decision = can(actorOf(context), action, resource);
  if (decision.verdict === 'allow') return;
  throw new DomainError('FORBIDDEN', decision.verdict === 'deny' ? decision.message : 'This is not allowed for this token.');
}

/** The customer this request acts for; `CUSTOMER_REQUIRED` when a rep or ops named none. */
export function requireCustomer(context: GraphQLContext, what: string): string {
  if (context.customerId === null) {
    throw new DomainError('CUSTOMER_REQUIRED', `${what} belong to a customer: send the X-Customer-Id header with one of your assigned customers.`);
  }
  return context.customerId;
}
