/**
 * Acts on ERP changes: each change's invalidation plan, carried out on every instance through the
 * cache invalidation service (shared tier, this instance, then the bus to the others). Webhooks
 * and the polling job both come through here.
 *
 * @module
 */
import type { ErpChange } from '../../ports/erp/changes.ts';
import type { CacheInvalidation } from '../../services/cache-invalidation.ts';
import { planInvalidation } from './invalidation-plan.ts';

export interface ChangeApplier {
  /**
   * Drops what `changes` made wrong, everywhere; resolves with how many keys and patterns were
   * dropped. Idempotent: applying a change twice costs cache refills, nothing else.
   * @throws when the other instances could not be told (Redis unreachable): the caller retries
   *   (the webhook answers 503 so the sender redelivers; the polling job keeps its cursor).
   */
  apply(changes: readonly ErpChange[]): Promise<{ keys: number; patterns: number }>;
}

export function createChangeApplier(invalidation: CacheInvalidation): ChangeApplier {
  return {
    async apply(changes) {
      let keys = 0;
      let patterns = 0;
      for (const change of changes) {
        for (const step of planInvalidation(change)) {
          if (step.keys.length > 0) await invalidation.invalidate(step.domain, step.keys);
          if (step.patterns.length > 0) await invalidation.invalidateMatching(step.domain, step.patterns);
          keys += step.keys.length;
          patterns += step.patterns.length;
        }
      }
      return { keys, patterns };
    },
  };
}
