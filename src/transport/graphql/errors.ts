/**
 * Maps domain and ERP failures onto GraphQL errors with a stable `extensions.code`. Anything else
 * is left to yoga's masking (`INTERNAL_SERVER_ERROR`, no internals leaked).
 *
 * @module
 */
import { GraphQLError } from 'graphql';
import { DomainError } from '../../domain/errors.ts';
import { ErpError } from '../../ports/erp-error.ts';
import { StoreUnavailableError } from '../../ports/store-error.ts';
import { isPromise, type MaybePromise } from '../../services/maybe-promise.ts';

/**
 * Translates a failure into the error a client sees. No `originalError` is attached: yoga masks
 * any GraphQL error whose original error is not a GraphQL error, and these are meant to be read.
 */
export function toGraphQLError(error: unknown): unknown {
  if (error instanceof GraphQLError) return error;
  if (error instanceof DomainError) {
    return new GraphQLError(error.message, { extensions: { code: error.code } });
  }
  if (error instanceof StoreUnavailableError) {
    return new GraphQLError(error.message, { extensions: { code: error.code, http: { status: 503 } } });
  }
  if (error instanceof ErpError) {
    if (error.transient) {
      const retryAfterSeconds = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
      return new GraphQLError(
        'The ERP is not answering and erpfront has no earlier copy of this value to serve. Retry shortly.',
        { extensions: { code: 'ERP_UNAVAILABLE', reason: error.code, retryAfterSeconds } },
      );
    }
    if (error.code === 'ERP_BAD_RESPONSE') {
      return new GraphQLError(`The ERP answered with data erpfront cannot trust: ${error.message}`, {
        extensions: { code: 'ERP_BAD_RESPONSE' },
      });
    }
    return new GraphQLError(error.message, { extensions: { code: error.code } });
  }
  return error;
}

/**
 * Runs a resolver body and translates whatever it throws or rejects with, after `refine` has had
 * a chance to give it a more precise meaning; stays synchronous when the body is.
 */
export function translated<T>(body: () => MaybePromise<T>, refine: (error: unknown) => unknown = (e) => e): MaybePromise<T> {
  try {
    const value = body();
    return isPromise(value) ? value.catch((error: unknown) => Promise.reject(toGraphQLError(refine(error)))) : value;
  } catch (error) {
    throw toGraphQLError(refine(error));
  }
}
