/**
 * Feed cursors in this process only (the memory backends, tests): nothing survives a restart.
 *
 * @module
 */
import type { CursorStore } from '../../../ports/cursor-store.ts';

export function createMemoryCursorStore(options: { now?: () => number } = {}): CursorStore {
  const now = options.now ?? Date.now;
  const cursors = new Map<string, string>();
  const leases = new Map<string, { holder: string; until: number }>();
  return {
    async get(feed) {
      return cursors.get(feed) ?? null;
    },
    async set(feed, cursor) {
      cursors.set(feed, cursor);
    },
    async lease(feed, holder, ttlMs) {
      const current = leases.get(feed);
      if (current && current.holder !== holder && current.until > now()) return false;
      leases.set(feed, { holder, until: now() + ttlMs });
      return true;
    },
    async release(feed, holder) {
      if (leases.get(feed)?.holder === holder) leases.delete(feed);
    },
    async close() {},
  };
}
