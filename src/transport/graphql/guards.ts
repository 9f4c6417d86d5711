/**
 * Who may ask what, checked inside resolvers once the route has authenticated the caller and
 * settled the customer the request acts for.
 *
 * @module
 */
import { DomainError } from '../../domain/errors.ts';
import type { GraphQLContext } from './context.ts';

/** The customer this request acts for; `CUSTOMER_REQUIRED` when a rep or ops named none. */
export function requireCustomer(context: GraphQLContext, what: string): string {
  if (context.customerId === null) {
    throw new DomainError('CUSTOMER_REQUIRED', `${what} belong to a customer: send the X-Customer-Id header with one of your assigned customers.`);
  }
  return context.customerId;
}

/** `FORBIDDEN` unless the caller has the ops role. */
export function requireOps(context: GraphQLContext): void {
  if (!context.principal.roles.has('ops')) throw new DomainError('FORBIDDEN', 'This needs the ops role.');
}
