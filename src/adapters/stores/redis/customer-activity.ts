/**
 * Customer activity in Redis, shared by every instance: one sorted set, the customer id as the
 * member and its last-seen instant as the score (`ZADD GT`: the score only moves forward). Key
 * `erpfront:customer-activity`, one key per command, no tag.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { CustomerActivityStore } from '../../../ports/customer-activity.ts';

export function createRedisCustomerActivity(options: { client: Redis; key: string }): CustomerActivityStore {
  const { client, key } = options;
  return {
    async touch(customerIds, at) {
      if (customerIds.length === 0) return;
      await client.zadd(key, 'GT', ...customerIds.flatMap((id) => [at, id]));
    },
    async seenSince(since) {
      return (await client.zrangebyscore(key, since, '+inf')).sort();
    },
    async forgetBefore(before) {
      return client.zremrangebyscore(key, '-inf', `(${before}`);
    },
    async close() {},
  };
}
