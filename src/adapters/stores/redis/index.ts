/**
 * Every Redis-backed part of erpfront from one URL: the shared cache tier, the invalidation bus,
 * the shared ERP budget, the order queue, the PunchOut store and callers' throttle buckets, on four
 * connections (commands; two with a short timeout so a slow Redis never holds a page, one for the
 * cache and one for the throttle, each reporting its own outage; and one in subscriber mode).
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { AuditLog } from '../../../ports/audit-log.ts';
import type { CacheStore } from '../../../ports/cache-store.ts';
import type { ConsoleSessionStore } from '../../../ports/console-session-store.ts';
import type { CursorStore } from '../../../ports/cursor-store.ts';
import type { DeliveryLog } from '../../../ports/delivery-log.ts';
import type { CustomerActivityStore } from '../../../ports/customer-activity.ts';
import type { FindingStore } from '../../../ports/finding-store.ts';
import type { InvalidationBus } from '../../../ports/cache-invalidation.ts';
import type { ApplicationStore } from '../../../ports/application-store.ts';
import type { OrderStore } from '../../../ports/order-store.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { PunchOutStore } from '../../../ports/punchout-store.ts';
import type { CompanyStore } from '../../../ports/company-store.ts';
import { loggableError } from '../../../domain/loggable-error.ts';
import type { ThrottleStore } from '../../../ports/throttle-store.ts';
import { createRedisOutboxStore } from './outbox-store.ts';
import type { OutboxStore } from '../../../ports/outbox-store.ts';
import { createRedisApplicationStore } from './application-store.ts';
import { createRedisAuditLog } from './audit-log.ts';
import { createRedisCacheStore } from './cache-store.ts';
import { createRedisConsoleSessionStore } from './console-session-store.ts';
import { createRedisCursorStore } from './cursor-store.ts';
import { createRedisCustomerActivity } from './customer-activity.ts';
import { createRedisDeliveryLog } from './delivery-log.ts';
import { connectRedis } from './connection.ts';
import { checkOrderDurability } from './durability.ts';
import { createRedisErpBudget, type RedisErpBudget } from './erp-budget.ts';
import { createRedisFindingStore } from './finding-store.ts';
import { createRedisInvalidationBus } from './invalidation-bus.ts';
import { createRedisCompanyStore } from './company-store.ts';
import { redisKeys } from './keys.ts';
import { createRedisOrderStore } from './order-store.ts';
import { createRedisPunchOutStore } from './punchout-store.ts';
import { createRedisThrottleStore } from './throttle-store.ts';

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
  /** Where outages, fallbacks and overrides are reported. */
  logger: Logger;
  /** Most buckets each instance keeps for itself while Redis is unreachable (default 100,000). */
  throttleFallbackMaxBuckets?: number;
}

export interface RedisStores {
  orderStore: OrderStore;
  /** PunchOut sessions and order links, shared so any instance serves any buyer's session. */
  punchOutStore: PunchOutStore;
  sharedCache: CacheStore;
  budget: RedisErpBudget;
  /** One bucket per caller for every instance. */
  throttle: ThrottleStore;
  bus: InvalidationBus;
  /** Webhook deliveries acted on, shared so a retry landing on another instance is known. */
  deliveries: DeliveryLog;
  /** Polled feeds' positions and who polls them. */
  cursors: CursorStore;
  /** Reconciliation findings, shared: one instance reconciles, any lists them. */
  findings: FindingStore;
  /** Buyer directories, approval rules and flows, shared: an approval holds on every instance. */
  companyStore: CompanyStore;
  /** Company applications and their outbox toward the ERP, shared by every instance. */
  applications: ApplicationStore;
  /** The ERP-write outbox (quotes, returns), shared by every instance. */
  outbox: OutboxStore;
  /** Customers acted for lately, shared: the instance running the price sheet knows every instance's. */
  activity: CustomerActivityStore;
  /** Operations' actions, shared: an action taken on one instance shows on all. */
  audit: AuditLog;
  /** Ops console sessions, shared: a session works on every instance. */
  consoleSessions: ConsoleSessionStore;
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
    const client = await connectRedis({ url: options.url, role: `${role}:${options.instanceId}`, commandTimeoutMs, logger: options.logger });
    opened.push(client);
    return client;
  };
  try {
    const client = await open('commands');
    const overridden = await checkOrderDurability(client, { allowVolatile: options.allowVolatileOrders });
    if (overridden.length)
      options.logger.warn(`REDIS_ALLOW_VOLATILE_ORDERS=true: keeping orders in a Redis that can lose them: ${overridden.join('; ')}`, { problems: overridden });
    // A cache read must never hold a page longer than a fraction of an ERP call.
    const cacheClient = await open('cache', 250);
    // A take happens before every GraphQL request: a slow Redis falls back within 250 ms, too.
    const throttleClient = await open('throttle', 250);
    const subscriber = await open('subscriber');
    const budget = createRedisErpBudget({
      client,
      subscriber,
      base: keys.budget(options.budgetName),
      instanceId: options.instanceId,
      requestsPerSecond: options.requestsPerSecond,
      maxConcurrent: options.maxConcurrent,
      leaseMs: options.budgetLeaseMs,
      logger: options.logger,
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
          void (
            failures++ === 0 && options.logger.warn(`shared cache ${operation} failed, serving from this instance`, { operation, err: loggableError(error) })
          ),
      }),
      budget,
      throttle: createRedisThrottleStore({ client: throttleClient, keys, logger: options.logger, fallbackMaxBuckets: options.throttleFallbackMaxBuckets }),
      bus: createRedisInvalidationBus({ client, subscriber, channel: keys.invalidationChannel, logger: options.logger }),
      deliveries: createRedisDeliveryLog({ client, key: keys.delivery }),
      cursors: createRedisCursorStore({ client, keys }),
      findings: createRedisFindingStore({ client, base: keys.reconciliation }),
      companyStore: createRedisCompanyStore({ client, base: keys.company }),
      applications: createRedisApplicationStore({ client, base: keys.applications }),
      outbox: createRedisOutboxStore({ client, base: keys.outbox }),
      activity: createRedisCustomerActivity({ client, key: keys.customerActivity }),
      audit: createRedisAuditLog({ client, base: keys.audit }),
      consoleSessions: createRedisConsoleSessionStore({ client, key: keys.consoleSession }),
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
