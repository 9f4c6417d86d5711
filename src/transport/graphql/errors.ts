/**
 * Maps domain and ERP failures onto GraphQL errors with a stable `extensions.code`. Anything else
 * is left to yoga's masking (`INTERNAL_SERVER_ERROR`, no internals leaked).
 *
 * An ERP's own texts never reach a client: they carry the ERP's URL, the login erpfront uses there,
 * record ids. Clients get the code and a sentence of erpfront's; the ERP's error stays attached
 * (`detailOf`) for the log, where `useErrorDetails` writes it under the request id.
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
      // Expected while the ERP is down (and on /readyz for operations): not logged per field.
      const retryAfterSeconds = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
      return new GraphQLError('The ERP is not answering and erpfront has no earlier copy of this value to serve. Retry shortly.', {
        extensions: { code: 'ERP_UNAVAILABLE', reason: error.code, retryAfterSeconds },
      });
    }
    const reason = error.code === 'ERP_REJECTED' ? safeReason(error.reason) : undefined;
    const client = new GraphQLError(erpErrorMessage(error.code, reason), { extensions: { code: error.code, ...(reason ? { reason } : {}) } });
    details.set(client, error);
    return client;
  }
  return error;
}

/** The failures behind errors whose client message leaves them out. */
const details = new WeakMap<GraphQLError, unknown>();

/** The failure behind an error a client sees, for the log; `undefined` when the client saw it all. */
export function detailOf(error: GraphQLError): unknown {
  return details.get(error);
}

/** An ERP's reason code when it looks like one (UPPER_SNAKE); else the generic `REJECTED`. */
export function safeReason(reason: string | null | undefined): string {
  return reason && /^[A-Z][A-Z0-9_]{0,63}$/.test(reason) ? reason : 'REJECTED';
}

/** erpfront's sentence for a non-transient ERP failure; never the ERP's own text. */
export function erpErrorMessage(code: ErpError['code'], reason?: string): string {
  switch (code) {
    case 'ERP_BAD_RESPONSE':
      return 'The ERP answered with data erpfront cannot trust, so it is not served. It has been logged; quote the request id to support.';
    case 'ERP_AUTH_FAILED':
      return 'erpfront cannot sign in to the ERP; operations have to fix its access. Retry later.';
    case 'ERP_NOT_FOUND':
      return 'The ERP has no such record.';
    case 'ERP_REJECTED':
      return rejectionMessage(reason ?? 'REJECTED');
    default:
      return 'The ERP could not handle this request. It has been logged; quote the request id to support.';
  }
}

/** What a buyer is told about an ERP refusal with this reason code. */
export function rejectionMessage(reason: string): string {
  switch (reason) {
    case 'CREDIT_HOLD':
      return 'The ERP refused the order: the account is on credit hold.';
    case 'CREDIT_LIMIT_EXCEEDED':
      return "The ERP refused the order: it would exceed the account's credit limit.";
    case 'INSUFFICIENT_STOCK':
      return 'The ERP refused the order: not enough stock.';
    case 'NEEDS_CONFIRMATION':
      return 'The ERP wants the order confirmed by a person before it takes it.';
    default:
      return `The ERP refused the order (${reason}). Your account manager can tell you more; once the cause is fixed, operations can send it again.`;
  }
}

/** What a client is told about an order's last failed attempt to reach the ERP (it stays queued). */
export const ORDER_RETRY_MESSAGE = 'The last attempt to pass the order to the ERP failed; erpfront keeps it and retries on its own.';

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
