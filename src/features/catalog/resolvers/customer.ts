/**
 * Resolvers of the customer account and its credit status.
 *
 * @module
 */
import { creditStatus, type CreditStatus } from '../../../domain/credit/credit-status.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { CreditFigures, CustomerAccount } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { after, mapFailure, type MaybePromise } from '../../../services/maybe-promise.ts';
import type { Cached } from '../../../services/read-through-cache.ts';
import type { GraphQLContext } from '../../../transport/graphql/context.ts';

/** A customer as resolvers pass it on: the account with the age of the ERP answer. */
export type CustomerParent = CustomerAccount & { asOf: string; stale: boolean };

/** Reads a customer account; an id the ERP does not know becomes `CUSTOMER_NOT_FOUND`. */
export function loadCustomer(context: GraphQLContext, customerId: string): MaybePromise<CustomerParent> {
  const known = context.customers.get(customerId) as MaybePromise<CustomerParent> | undefined;
  if (known !== undefined) return known;
  const customer = mapFailure(
    () => after(context.reader.account(customerId), flatten),
    (error) => notFound(error, customerId),
  );
  context.customers.set(customerId, customer);
  return customer;
}

function flatten(cached: Cached<CustomerAccount>): CustomerParent {
  const last = parents.get(cached.value);
  if (last !== undefined && last.asOf === cached.asOf && last.stale === cached.stale) return last;
  const parent = Object.freeze({ ...cached.value, asOf: cached.asOf, stale: cached.stale });
  parents.set(cached.value, parent);
  return parent;
}

/**
 * The customer last made of each cached account, with the age it was made with: every request
 * for the customer gets the same object until the account entry changes, so that what is kept
 * for the customer (catalog quotes, by identity) is found again, and never after it changed.
 */
const parents = new WeakMap<CustomerAccount, CustomerParent>();

function notFound(error: unknown, customerId: string): unknown {
  return error instanceof ErpError && error.code === 'ERP_NOT_FOUND'
    ? new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} does not exist in the ERP.`, { cause: error })
    : error;
}

export const Customer = {
  creditStatus: (customer: CustomerParent) => ({
    ...creditOf(customer.credit, customer.currency),
    asOf: customer.asOf,
    stale: customer.stale,
  }),
};

/**
 * Credit statuses computed, by the cached account's figures: a pure function of the figures (the
 * same object until the next ERP read replaces the account, and then gone with it) and the
 * currency, asked on every page (the response cache's live part), computed with big.js once.
 */
const credits = new WeakMap<CreditFigures, { currency: string; status: CreditStatus }>();

function creditOf(figures: CreditFigures, currency: string): CreditStatus {
  const known = credits.get(figures);
  if (known !== undefined && known.currency === currency) return known.status;
  const status = creditStatus(figures, currency);
  credits.set(figures, { currency, status });
  return status;
}
