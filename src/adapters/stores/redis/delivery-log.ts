/**
 * The delivery log in Redis, shared by every instance behind one webhook URL: one key per id,
 * `SET NX PX`, so a retry that lands on another instance is still known.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { DeliveryLog } from '../../../ports/delivery-log.ts';

export interface RedisDeliveryLogOptions {
  client: Redis;
  /** The key of one delivery id: `erpfront:delivery:<id>`. */
  key(id: string): string;
}

export function createRedisDeliveryLog(options: RedisDeliveryLogOptions): DeliveryLog {
  const { client, key } = options;
  return {
    async claim(id, retainMs) {
      const set = await client.set(key(id), '1', 'PX', Math.max(1, Math.ceil(retainMs)), 'NX');
      return set === 'OK';
    },
    async release(id) {
      await client.del(key(id));
    },
  };
}
