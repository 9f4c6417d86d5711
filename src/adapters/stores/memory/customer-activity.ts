/**
 * Customer activity in this process only (the memory backends, tests): nothing survives a restart.
 *
 * @module
 */
import type { CustomerActivityStore } from '../../../ports/customer-activity.ts';

export function createMemoryCustomerActivity(): CustomerActivityStore {
  const seen = new Map<string, number>();
  return {
    async touch(customerIds, at) {
      for (const id of customerIds) if (!((seen.get(id) ?? -Infinity) >= at)) seen.set(id, at);
    },
    async seenSince(since) {
      return [...seen]
        .filter(([, at]) => at >= since)
        .map(([id]) => id)
        .sort();
    },
    async forgetBefore(before) {
      let forgotten = 0;
      for (const [id, at] of seen) if (at < before && seen.delete(id)) forgotten++;
      return forgotten;
    },
    async close() {},
  };
}
