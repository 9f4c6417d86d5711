/**
 * How an HTTP call to an ERP ends when no answer came: the caller gave up, the caller's deadline
 * or the connector's own timeout passed, or the ERP could not be reached. Every connector maps
 * these the same way, so caches, the breaker and the order dispatcher see the same codes whatever
 * the ERP.
 *
 * @module
 */
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

export interface TransportContext {
  operation: string;
  /** Who did not answer, for the message: `the ERP`, `Tryton`. */
  peer: string;
  /** Where it was asked, for the message (never shown to clients). */
  address: string;
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
  return new ErpError('ERP_UNAVAILABLE', `${operation}: could not reach ${peer} at ${context.address}: ${describeFetchFailure(error)}`, {
    cause: error,
    operation,
    unsent: neverConnected(error),
  });
}

/** "fetch failed (ECONNREFUSED)": Node hides the useful part in the cause. */
export function describeFetchFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const code = cause && typeof cause === 'object' ? (cause.code ?? cause.message) : undefined;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}
