/**
 * A store erpfront depends on (the order queue, the PunchOut store) is unreachable: nothing was
 * written. Adapters throw this instead of their driver's error, so the transport can tell the
 * caller what happened and what to do (retry with the same idempotency key), whatever the store.
 *
 * @module
 */

export type StoreErrorCode =
  | 'ORDER_STORE_UNAVAILABLE'
  | 'PUNCHOUT_STORE_UNAVAILABLE'
  | 'FINDING_STORE_UNAVAILABLE'
  | 'APPLICATION_STORE_UNAVAILABLE'
  | 'OUTBOX_STORE_UNAVAILABLE'
  | 'COMPANY_STORE_UNAVAILABLE'
  | 'AUDIT_LOG_UNAVAILABLE'
  | 'CONSOLE_SESSIONS_UNAVAILABLE'
  | 'CURSOR_STORE_UNAVAILABLE'
  | 'ACTIVITY_STORE_UNAVAILABLE'
  | 'DELIVERY_LOG_UNAVAILABLE';

export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The idempotency claim a request held was released or taken over before it wrote its order
 * (it ran longer than a claim may stay unfinished): nothing was written, and the request that
 * holds the key now gives the answer.
 */
export class IdempotencyClaimLostError extends Error {
  override readonly name = 'IdempotencyClaimLostError';
  readonly code = 'IDEMPOTENCY_CLAIM_LOST';
  /** The key whose claim was lost. */
  readonly key: string;

  constructor(key: string) {
    super(`The idempotency claim on ${key} was taken over by another request before this one wrote its order; nothing was written.`);
    this.key = key;
  }
}

/**
 * A customer's exposure changed between the credit decision and the insert (another order of the
 * same customer was written or moved, on this instance or another): nothing was written. The
 * caller decides again on the new figures; so a credit decision and its insert are one step.
 */
export class ExposureChangedError extends Error {
  override readonly name = 'ExposureChangedError';
  readonly code = 'EXPOSURE_CHANGED';
  /** The customer whose exposure moved. */
  readonly customerId: string;

  constructor(customerId: string) {
    super(`Customer ${customerId}'s open orders changed while this order was being decided; nothing was written, decide again.`);
    this.customerId = customerId;
  }
}
