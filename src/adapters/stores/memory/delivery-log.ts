/**
 * The delivery log in this process: lru-cache, bounded by count and by age. Past the count the
 * oldest ids go first: a duplicate of a delivery that old is then acted on again, which only
 * costs an extra cache refill (invalidating is idempotent).
 *
 * @module
 */
import { LRUCache } from 'lru-cache';
import type { DeliveryLog } from '../../../ports/delivery-log.ts';

export interface MemoryDeliveryLogOptions {
  /** Most ids kept (default 100,000: hours of a busy ERP's changes). */
  maxEntries?: number;
}

export function createMemoryDeliveryLog(options: MemoryDeliveryLogOptions = {}): DeliveryLog {
  const seen = new LRUCache<string, true>({ max: options.maxEntries ?? 100_000 });
  return {
    async claim(id, retainMs) {
      // lru-cache's `has` does not count an expired entry: it is claimable again.
      if (seen.has(id)) return false;
      seen.set(id, true, { ttl: retainMs });
      return true;
    },
    async release(id) {
      seen.delete(id);
    },
  };
}
