/**
 * A store erpfront depends on (the order queue, the shared cache) is unreachable: nothing was
 * written. Adapters throw this instead of their driver's error, so the transport can tell the
 * caller what happened and what to do (retry with the same idempotency key), whatever the store.
 *
 * @module
 */

export type StoreErrorCode = 'ORDER_STORE_UNAVAILABLE';

export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
