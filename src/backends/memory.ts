/**
 * The memory backends: nothing durable, so no orders (the Workers read path until its Durable
 * Object backends). PunchOut sessions, the ERP budget and callers' throttle buckets live in this
 * isolate only.
 *
 * @module
 */
import { createMemoryCompanyStore } from '../adapters/stores/memory/company-store.ts';
import { createMemoryAuditLog } from '../adapters/stores/memory/audit-log.ts';
import { createMemoryConsoleSessionStore } from '../adapters/stores/memory/console-session-store.ts';
import { createMemoryCursorStore } from '../adapters/stores/memory/cursor-store.ts';
import { createMemoryCustomerActivity } from '../adapters/stores/memory/customer-activity.ts';
import { createMemoryDeliveryLog } from '../adapters/stores/memory/delivery-log.ts';
import { createMemoryErpBudget } from '../adapters/stores/memory/erp-budget.ts';
import { createMemoryFindingStore } from '../adapters/stores/memory/finding-store.ts';
import { createMemoryPunchOutStore } from '../adapters/stores/memory/punchout-store.ts';
import { createMemoryThrottleStore } from '../adapters/stores/memory/throttle-store.ts';
import type { Env } from '../config/env.ts';
import type { Backends } from '../ports/backends.ts';

export function openMemoryBackends(env: Env): Backends {
  const punchout = createMemoryPunchOutStore();
  return {
    kind: 'memory',
    orders: null,
    applications: null,
    outbox: null,
    punchout,
    budget: createMemoryErpBudget({ requestsPerSecond: env.ERP_REQUESTS_PER_SECOND, maxConcurrent: env.ERP_MAX_CONCURRENT }),
    throttle: createMemoryThrottleStore({ maxBuckets: env.THROTTLE_MAX_BUCKETS }),
    sharedCache: null,
    invalidationBus: null,
    deliveries: createMemoryDeliveryLog(),
    cursors: createMemoryCursorStore(),
    findings: createMemoryFindingStore(),
    companies: createMemoryCompanyStore(),
    activity: createMemoryCustomerActivity(),
    audit: createMemoryAuditLog(),
    consoleSessions: createMemoryConsoleSessionStore(),
    recoveredOrders: 0,
    close: () => punchout.close(),
  };
}
