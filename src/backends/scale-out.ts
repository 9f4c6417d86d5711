/**
 * The scale-out backends: every instance shares one Redis for the order queue, idempotency keys,
 * PunchOut sessions, the cache's second tier, invalidations, the ERP budget and callers' throttle
 * buckets. No DATA_DIR lock
 * and no releasing of leases at open: they may be a live instance's; a dead one's run out.
 *
 * @module
 */
import { openRedisStores } from '../adapters/stores/redis/index.ts';
import type { Env } from '../config/env.ts';
import type { Backends } from '../ports/backends.ts';
import type { Logger } from '../ports/logger.ts';

export async function openScaleOutBackends(env: Env & { REDIS_URL: string }, options: { instanceId: string; logger: Logger }): Promise<Backends> {
  const redis = await openRedisStores({
    url: env.REDIS_URL,
    instanceId: options.instanceId,
    keyPrefix: env.REDIS_KEY_PREFIX,
    queue: env.ORDER_QUEUE,
    // Every instance calling the same ERP shares one budget.
    budgetName: `${env.ERP_CONNECTOR}@${new URL(env.ERP_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}`).host}`,
    requestsPerSecond: env.ERP_REQUESTS_PER_SECOND,
    maxConcurrent: env.ERP_MAX_CONCURRENT,
    budgetLeaseMs: env.ERP_BUDGET_LEASE_SECONDS * 1000,
    allowVolatileOrders: env.REDIS_ALLOW_VOLATILE_ORDERS,
    throttleFallbackMaxBuckets: env.THROTTLE_MAX_BUCKETS,
    logger: options.logger,
  });
  return {
    kind: 'scale-out',
    orders: redis.orderStore,
    applications: redis.applications,
    outbox: redis.outbox,
    punchout: redis.punchOutStore,
    budget: redis.budget,
    throttle: redis.throttle,
    sharedCache: redis.sharedCache,
    invalidationBus: redis.bus,
    deliveries: redis.deliveries,
    cursors: redis.cursors,
    findings: redis.findings,
    companies: redis.companyStore,
    activity: redis.activity,
    audit: redis.audit,
    consoleSessions: redis.consoleSessions,
    recoveredOrders: 0,
    close: () => redis.close(),
  };
}
