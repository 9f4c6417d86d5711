/**
 * Errors an ERP connector raises. Every connector maps its ERP's failures onto these codes, so
 * that caching, retries and the GraphQL layer decide on the code and never on an ERP's own text.
 * What each code means to them is in one table, `erp/error-classes.ts`.
 *
 * @module
 */

import { erpErrorClass, type ErpErrorCode } from './erp/error-classes.ts';

export { ERP_ERROR_CODES, type ErpErrorCode } from './erp/error-classes.ts';

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
    return erpErrorClass(this.code).transient;
  }
}

/** True for an error that means the ERP is not answering right now. */
export function isTransientErpError(error: unknown): error is ErpError {
  return error instanceof ErpError && error.transient;
}
