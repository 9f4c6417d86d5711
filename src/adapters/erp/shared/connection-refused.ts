/**
 * Whether a failed fetch never reached the ERP at all: the connection was refused or the host
 * could not be found, so the request was never sent and cannot have been processed. Anything
 * else (a reset, a socket closed mid-answer, a timeout) may have been processed.
 *
 * @module
 */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** True when `error` (a fetch failure) says the connection was never made. */
export function neverConnected(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 4; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && NEVER_CONNECTED.has(code)) return true;
    // undici reports a connect failure of several addresses as an AggregateError of them all.
    if (cause instanceof AggregateError && cause.errors.length > 0 && cause.errors.every((e) => neverConnected(e))) return true;
  }
  return false;
}
