/**
 * Every Redis-backed part of erpfront from one URL: the shared cache tier, the invalidation bus,
 * the shared ERP budget, the order queue and the PunchOut store, on three connections (commands,
 * a short-timeout one for the cache so a slow Redis never holds a page, and one in subscriber
 * mode).
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { CacheStore } from '../../../ports/cache-store.ts';
import type { InvalidationBus } from '../../../ports/cache-invalidation.ts';
import type { OrderStore } from '../../../ports/order-store.ts';
import type { PunchOutStore } from '../../../ports/punchout-store.ts';
import { createRedisCacheStore } from './cache-store.ts';
import { connectRedis } from './connection.ts';
import { checkOrderDurability } from './durability.ts';
import { createRedisErpBudget, type RedisErpBudget } from './erp-budget.ts';
import { createRedisInvalidationBus } from './invalidation-bus.ts';
import { redisKeys } from './keys.ts';
import { createRedisOrderStore } from './order-store.ts';
import { createRedisPunchOutStore } from './punchout-store.ts';

export interface RedisStoresOptions {
  url: string;
  instanceId: string;
  keyPrefix?: string;
  /** The order queue's name (its hash tag). */
  queue?: string;
  /** Names the ERP whose budget is shared: every instance calling that ERP uses the same name. */
  budgetName: string;
  requestsPerSecond: number;
  maxConcurrent: number;
  /** How long a crashed instance's ERP permits keep counting (default 15 s). */
  budgetLeaseMs?: number;
  /** Keep orders even where Redis would lose them (see `checkOrderDurability`). */
  allowVolatileOrders: boolean;
}

export interface RedisStores {
  orderStore: OrderStore;
  /** PunchOut sessions and order links, shared so any instance serves any buyer's session. */
  punchOutStore: PunchOutStore;
  sharedCache: CacheStore;
  budget: RedisErpBudget;
  bus: InvalidationBus;
  close(): Promise<void>;
}

/**
 * Connects, checks that Redis keeps orders durably, and builds the stores.
 * @throws `REDIS_UNREACHABLE` when Redis does not answer; `REDIS_NOT_DURABLE` (see durability.ts)
 */
export async function openRedisStores(options: RedisStoresOptions): Promise<RedisStores> {
  const keys = redisKeys(options.keyPrefix);
  const opened: Redis[] = [];
  const open = async (role: string, commandTimeoutMs?: number) => {
    const client = await connectRedis({ url: options.url, role: `${role}:${options.instanceId}`, commandTimeoutMs });
    opened.push(client);
    return client;
  };
  try {
    const client = await open('commands');
    const overridden = await checkOrderDurability(client, { allowVolatile: options.allowVolatileOrders });
    if (overridden.length) console.warn(`erpfront: REDIS_ALLOW_VOLATILE_ORDERS=true: keeping orders in a Redis that can lose them: ${overridden.join('; ')}`);
    // A cache read must never hold a page longer than a fraction of an ERP call.
    const cacheClient = await open('cache', 250);
    const subscriber = await open('subscriber');
    const budget = createRedisErpBudget({
      client,
      subscriber,
      base: keys.budget(options.budgetName),
      instanceId: options.instanceId,
      requestsPerSecond: options.requestsPerSecond,
      maxConcurrent: options.maxConcurrent,
      leaseMs: options.budgetLeaseMs,
    });
    let failures = 0;
    return {
      orderStore: createRedisOrderStore({ client, base: keys.queue(options.queue ?? 'orders') }),
      punchOutStore: createRedisPunchOutStore({ client, base: keys.punchout }),
      sharedCache: createRedisCacheStore({
        client: cacheClient,
        keys,
        // Logged once per run of failures: the connection logs the outage itself.
        onError: (operation, error) =>
          void (failures++ === 0 && console.warn(`erpfront: shared cache ${operation} failed, serving from this instance: ${String(error)}`)),
      }),
      budget,
      bus: createRedisInvalidationBus({ client, subscriber, channel: keys.invalidationChannel }),
      async close() {
        await budget.close();
        for (const c of opened) c.disconnect();
      },
    };
  } catch (error) {
    for (const c of opened) c.disconnect();
    throw error;
  }
}
