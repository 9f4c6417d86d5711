/**
 * Feed cursors in Redis, shared by every instance: one string key per cursor, and a lease key
 * per feed (`SET NX PX`, renewed by its holder in one script) so one instance polls at a time.
 * Keys `erpfront:cursor:<feed>` and `erpfront:cursor-lease:<feed>`, one key per command, no tag.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { CursorStore } from '../../../ports/cursor-store.ts';
import type { RedisKeys } from './keys.ts';

/** Takes the lease when free, renews it when the caller holds it; 1 when the caller has it. */
const LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** Deletes the lease only while the caller holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export function createRedisCursorStore(options: { client: Redis; keys: Pick<RedisKeys, 'cursor' | 'cursorLease'> }): CursorStore {
  const { client, keys } = options;
  return {
    async get(feed) {
      return client.get(keys.cursor(feed));
    },
    async set(feed, cursor) {
      await client.set(keys.cursor(feed), cursor);
    },
    async lease(feed, holder, ttlMs) {
      return (await client.eval(LEASE, 1, keys.cursorLease(feed), holder, String(Math.max(1, Math.ceil(ttlMs))))) === 1;
    },
    async release(feed, holder) {
      await client.eval(RELEASE, 1, keys.cursorLease(feed), holder);
    },
    async close() {},
  };
}
