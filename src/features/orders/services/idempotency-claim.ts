/**
 * An order's idempotency claim while it is placed: kept alive while the request runs, and the
 * answer to a retry that finds the key still claimed by another request.
 *
 * @module
 */
import type { PlaceOrderDeps } from './place-order.ts';
import { failed } from './place-order-result.ts';

/**
 * Renews this request's claim while it runs. A renewal that fails (the store is briefly away) is
 * simply tried again at the next beat; should the claim be lost meanwhile, the insert refuses to
 * write (`IdempotencyClaimLostError`), so a key never makes two orders.
 */
export function keepClaim(deps: PlaceOrderDeps, key: string, claimId: string): { stop(): void } {
  const timer = setInterval(
    () => {
      deps.store.renewIdempotencyClaim(key, claimId, deps.clock.now()).catch(() => {});
    },
    Math.max(100, Math.floor(deps.policy.claimMs / 3)),
  );
  (timer as { unref?: () => void }).unref?.();
  return { stop: () => clearInterval(timer) };
}

export const keyInUse = () =>
  failed({
    code: 'IDEMPOTENCY_KEY_IN_USE',
    message: 'A request with this idempotency key is still being processed; retry in a moment to get its result.',
    field: ['idempotencyKey'],
  });
