/**
 * Business failures, each with a stable code the API returns as `extensions.code`.
 *
 * @module
 */

export type DomainErrorCode =
  | 'PRODUCT_NOT_FOUND'
  | 'NOT_SOLD_TO_CUSTOMER'
  | 'PRICE_NOT_AVAILABLE'
  | 'INVALID_QUANTITY'
  | 'TOO_MANY_SKUS'
  | 'INVALID_ARGUMENT'
  | 'CUSTOMER_REQUIRED'
  | 'CUSTOMER_NOT_FOUND'
  | 'PUNCHOUT_SESSION_CLOSED'
  | 'FORBIDDEN';

/** A failure the caller can act on: wrong input, or a rule of the business. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: DomainErrorCode;

  constructor(code: DomainErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
