/**
 * How an HTTP call to an ERP ends when no answer came: the caller gave up, the caller's deadline
 * or the connector's own timeout passed, or the ERP could not be reached. Every connector maps
 * these the same way, so caches, the breaker and the order dispatcher see the same codes whatever
 * the ERP.
 *
 * @module
 */
import { withoutAddresses } from '../../../domain/loggable-error.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { neverConnected } from './connection-refused.ts';

/** The signals of one request: the connector's own timeout, and the caller's signal if any. */
export interface RequestSignals {
  /** What the request runs under: either of the two. */
  signal: AbortSignal;
  timeout: AbortSignal;
  caller: AbortSignal | undefined;
}

/** One request's signals: aborted by `timeoutMs`, or by the caller. */
export function requestSignals(timeoutMs: number, caller: AbortSignal | undefined): RequestSignals {
  const timeout = AbortSignal.timeout(timeoutMs);
  return { signal: caller ? AbortSignal.any([timeout, caller]) : timeout, timeout, caller };
}

/**
 * What the message may say about the call. Not where it went: an ErpError's message is stored as
 * an order's `lastError`, shown in `/readyz` and the ops console, and logged, so it never names
 * the ERP's address (ERP_URL, TRYTON_URL are in the configuration for whoever needs them).
 */
export interface TransportContext {
  operation: string;
  /** Who did not answer, for the message: `the ERP`, `Tryton`. */
  peer: string;
  timeoutMs: number;
}

/**
 * What a failed fetch (or body read) becomes. The caller's own deadline (a `TimeoutError` reason)
 * is a timeout like the connector's, `ERP_TIMEOUT`; any other abort by the caller is the caller
 * giving up, not an ERP failure: its own reason comes back, as fetch would give it. Anything else
 * is `ERP_UNAVAILABLE`, `unsent` when the connection was never made.
 */
export function transportFailure(error: unknown, signals: RequestSignals, context: TransportContext): unknown {
  const { operation, peer } = context;
  const { caller, timeout } = signals;
  if (caller?.aborted) {
    if (caller.reason instanceof Error && caller.reason.name === 'TimeoutError') {
      return new ErpError('ERP_TIMEOUT', `${operation}: the caller's deadline passed before ${peer} answered`, { cause: caller.reason, operation });
    }
    return caller.reason;
  }
  if (timeout.aborted) {
    return new ErpError('ERP_TIMEOUT', `${operation}: no answer from ${peer} within ${context.timeoutMs} ms`, { cause: error, operation });
  }
  return new ErpError('ERP_UNAVAILABLE', `${operation}: could not reach ${peer}: ${describeFetchFailure(error)}`, {
    cause: error,
    operation,
    unsent: neverConnected(error),
  });
}

/**
 * "fetch failed (ECONNREFUSED)": Node hides the useful part in the cause, whose code is kept and
 * whose message is not: the network layer's messages name the host (`connect ECONNREFUSED
 * 10.0.0.7:8000`, `getaddrinfo ENOTFOUND erp.internal`). A URL or address in the fetch error's
 * own message (`Failed to parse URL from http://…`) is cut too.
 */
export function describeFetchFailure(error: unknown): string {
  if (!(error instanceof Error)) return withoutAddresses(String(error), 200);
  const code = errorCode(error.cause) ?? errorCode(error);
  const message = withoutAddresses(error.message, 200);
  return code ? `${message} (${code})` : message;
}

/** A system error code (`ECONNREFUSED`, `UND_ERR_SOCKET`), or the first of an AggregateError's. */
function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  return undefined;
}
