/**
 * What a failed Redis call means to the order store's callers: the scripts' own refusals become the
 * port's errors (a changed exposure, a lost idempotency claim), and Redis out of reach becomes
 * `ORDER_STORE_UNAVAILABLE`, so erpfront fails closed (see order-store.ts).
 *
 * @module
 */
import { ExposureChangedError, IdempotencyClaimLostError, StoreUnavailableError } from '../../../ports/store-error.ts';

/** Runs a Redis call; a connection failure becomes `ORDER_STORE_UNAVAILABLE`. */
export async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Error && /^(ORDER_EXISTS|ERR|WRONGTYPE)/.test(error.message)) throw error;
    if (error instanceof Error && error.message.startsWith('EXPOSURE_CHANGED '))
      throw new ExposureChangedError(error.message.slice('EXPOSURE_CHANGED '.length));
    if (error instanceof Error && error.message.startsWith('IDEMPOTENCY_CLAIM_LOST ')) {
      throw new IdempotencyClaimLostError(error.message.slice('IDEMPOTENCY_CLAIM_LOST '.length));
    }
    throw new StoreUnavailableError(
      'ORDER_STORE_UNAVAILABLE',
      `The order queue (Redis) is unreachable (${operation}). Retry shortly with the same idempotency key: an order that was recorded is then returned, never doubled.`,
      { cause: error },
    );
  }
}
