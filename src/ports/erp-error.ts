/**
 * Errors an ERP connector raises. Every connector maps its ERP's failures onto these codes, so
 * that caching, retries and the GraphQL layer decide on the code and never on an ERP's own text.
 *
 * @module
 */

export type ErpErrorCode =
  /** The ERP could not be reached or answered 5xx: worth retrying, and serving stale meanwhile. */
  | 'ERP_UNAVAILABLE'
  /** The ERP did not answer within the call's timeout. */
  | 'ERP_TIMEOUT'
  /** The ERP (or its gateway) asked us to slow down; `retryAfterMs` says for how long. */
  | 'ERP_RATE_LIMITED'
  /** The ERP answered, but with data that does not fit what the connector expects. */
  | 'ERP_BAD_RESPONSE'
  /** The ERP refused our credentials. */
  | 'ERP_AUTH_FAILED'
  /** The record asked for does not exist in the ERP. */
  | 'ERP_NOT_FOUND'
  /** The ERP refused a write for a business reason (`reason` says which): retrying will not help. */
  | 'ERP_REJECTED'
  /** erpfront's circuit breaker is open: the ERP failed repeatedly and is given time to recover. */
  | 'ERP_CIRCUIT_OPEN'
  /**
   * The ERP refused an order because it holds one with the same external reference already (only
   * from connectors whose ERP has that check): the first one stands.
   */
  | 'ERP_DUPLICATE_REF'
  /** erpfront never sent the call: its send window (`sendBy`) closed while it waited for a permit. */
  | 'ERP_NOT_SENT';

/** Codes that mean "the ERP is not answering right now", as opposed to "it answered no". */
const TRANSIENT: ReadonlySet<ErpErrorCode> = new Set(['ERP_UNAVAILABLE', 'ERP_TIMEOUT', 'ERP_RATE_LIMITED', 'ERP_CIRCUIT_OPEN', 'ERP_NOT_SENT']);

export interface ErpErrorOptions {
  cause?: unknown;
  /** The ERP operation, e.g. `getPrices`. */
  operation?: string;
  retryAfterMs?: number;
  /** For `ERP_REJECTED`: the ERP's reason, e.g. `CREDIT_HOLD`, `CREDIT_LIMIT_EXCEEDED`. */
  reason?: string;
  /**
   * The ERP itself answered (a 500 or 503 of its own, not a gateway's 502/504, a timeout or a cut
   * connection): its request is over, so nothing of it can still be committed later. Whether it
   * committed before answering is another matter (look it up). @default false
   */
  answered?: boolean;
  /**
   * The request never reached the ERP (the connection was refused): nothing can have been
   * processed. Only for a call of a single request; an operation of several requests sets it only
   * when the first one failed so. @default false
   */
  unsent?: boolean;
}

/** A failure of, or a refusal from, the ERP. */
export class ErpError extends Error {
  override readonly name = 'ErpError';
  readonly code: ErpErrorCode;
  readonly operation: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly reason: string | undefined;
  readonly answered: boolean;
  readonly unsent: boolean;

  constructor(code: ErpErrorCode, message: string, options: ErpErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.operation = options.operation;
    this.retryAfterMs = options.retryAfterMs;
    this.reason = options.reason;
    this.answered = options.answered ?? false;
    this.unsent = options.unsent ?? false;
  }

  /** True when the ERP did not answer (down, slow, throttling): a cached value may stand in. */
  get transient(): boolean {
    return TRANSIENT.has(this.code);
  }
}

/** True for an error that means the ERP is not answering right now. */
export function isTransientErpError(error: unknown): error is ErpError {
  return error instanceof ErpError && error.transient;
}
