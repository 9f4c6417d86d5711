/**
 * The Durable Object backends (Workers with orders): every store in a SQLite-backed Durable Object
 * (`adapters/stores/durable-object/`), reached from every isolate. One global object each for the
 * order queue with its idempotency keys, the ERP-write outbox, the ERP budget, PunchOut (sessions,
 * answered documents, order links), company directories with their approvals, and company
 * applications; one for the operations stores together (audit log, change feed cursor, findings,
 * customer activity, webhook deliveries, console sessions); and every caller's throttle bucket in
 * an object of its own. The cache: each isolate's LRU, and with a `CACHE_EVENTS` binding a shared
 * tier (the Cache API, one per data center) and an invalidation bus (a log in a Durable Object)
 * reaching every isolate. A binding missing from an older wrangler.toml leaves that store as the
 * memory set keeps it, per isolate.
 *
 * Without an `ORDER_STORE` binding (a wrangler.toml from before the Durable Objects) this is the
 * memory set: the read path alone.
 *
 * @module
 */
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { createDurableObjectApplicationStore } from '../adapters/stores/durable-object/application-store.ts';
import { createDurableObjectCompanyStore } from '../adapters/stores/durable-object/company-store.ts';
import { createDurableObjectErpBudget } from '../adapters/stores/durable-object/erp-budget.ts';
import { openDurableObjectOperationsStores } from '../adapters/stores/durable-object/operations-store.ts';
import { createDurableObjectOrderStore } from '../adapters/stores/durable-object/order-store.ts';
import { createDurableObjectOutboxStore } from '../adapters/stores/durable-object/outbox-store.ts';
import { createDurableObjectPunchOutStore } from '../adapters/stores/durable-object/punchout-store.ts';
import { createDurableObjectThrottleStore } from '../adapters/stores/durable-object/throttle-store.ts';
import { freshnessPolicies } from '../config/defaults.ts';
import type { BackgroundWork } from '../services/background-work.ts';
import type { Env } from '../config/env.ts';
import { loggableError } from '../domain/loggable-error.ts';
import type { Backends } from '../ports/backends.ts';
import type { Logger } from '../ports/logger.ts';
import { createWorkersCacheStore } from '../adapters/stores/workers-cache/cache-store.ts';
import { createWorkersInvalidationBus, type WorkersInvalidationBus } from '../adapters/stores/workers-cache/invalidation-bus.ts';
import { retainMs } from '../services/cache-freshness.ts';
import { openMemoryBackends } from './memory.ts';

/** The Durable Object namespaces wrangler.toml binds. */
export interface DurableObjectBindings {
  ORDER_STORE?: DurableObjectNamespace;
  OUTBOX_STORE?: DurableObjectNamespace;
  ERP_BUDGET?: DurableObjectNamespace;
  PUNCHOUT_STORE?: DurableObjectNamespace;
  COMPANY_STORE?: DurableObjectNamespace;
  THROTTLE?: DurableObjectNamespace;
  APPLICATION_STORE?: DurableObjectNamespace;
  OPERATIONS_STORE?: DurableObjectNamespace;
  CACHE_EVENTS?: DurableObjectNamespace;
}

/** The Durable Object set, and what the Worker must do before each request. */
export type DurableObjectBackends = Backends & {
  /** Reads the cache invalidations other isolates published, at most every CACHE_EVENTS_POLL_MS; never rejects. */
  catchUpInvalidations(): Promise<void>;
};

/** An invalidation is remembered this much longer than a shared entry is kept (see the shared tier). */
const INVALIDATION_SLACK_MS = 3_600_000;

/** `background`: where calls nobody waits for are kept track of, so a request's answer does not cancel them. */
export function openDurableObjectBackends(env: Env, bindings: DurableObjectBindings, logger: Logger, background?: BackgroundWork): DurableObjectBackends {
  const memory = { ...openMemoryBackends(env), ...sharedCacheTier(env, bindings, logger) };
  if (!bindings.ORDER_STORE) return memory;
  const operations = bindings.OPERATIONS_STORE ? openDurableObjectOperationsStores(bindings.OPERATIONS_STORE) : null;
  return {
    ...memory,
    ...operations,
    kind: 'durable-objects',
    orders: createDurableObjectOrderStore(bindings.ORDER_STORE),
    outbox: bindings.OUTBOX_STORE ? createDurableObjectOutboxStore(bindings.OUTBOX_STORE) : null,
    applications: bindings.APPLICATION_STORE ? createDurableObjectApplicationStore(bindings.APPLICATION_STORE) : null,
    punchout: bindings.PUNCHOUT_STORE ? createDurableObjectPunchOutStore(bindings.PUNCHOUT_STORE) : memory.punchout,
    companies: bindings.COMPANY_STORE ? createDurableObjectCompanyStore(bindings.COMPANY_STORE) : memory.companies,
    throttle: bindings.THROTTLE
      ? createDurableObjectThrottleStore(bindings.THROTTLE, { logger, fallbackMaxBuckets: env.THROTTLE_MAX_BUCKETS })
      : memory.throttle,
    budget: bindings.ERP_BUDGET
      ? createDurableObjectErpBudget(bindings.ERP_BUDGET, {
          requestsPerSecond: env.ERP_REQUESTS_PER_SECOND,
          maxConcurrent: env.ERP_MAX_CONCURRENT,
          // A permit outlives the longest ERP call, so only a dead isolate's permit runs out.
          leaseMs: Math.max(60_000, env.ERP_TIMEOUT_MS * 4),
          logger,
          background,
        })
      : memory.budget,
  };
}

/** The shared cache tier and its invalidation bus where wrangler.toml binds `CACHE_EVENTS`; none otherwise. */
function sharedCacheTier(env: Env, bindings: DurableObjectBindings, logger: Logger) {
  if (!bindings.CACHE_EVENTS) return { catchUpInvalidations: async () => {} };
  // The longest any entry is kept: a domain's, or the price sheet's outage bound.
  const sheetMs = env.PRICE_SHEET ? env.PRICE_SHEET_MAX_AGE_HOURS * 3_600_000 : 0;
  const maxRetainMs = Math.max(sheetMs, ...Object.values(freshnessPolicies(env)).map(retainMs));
  const bus: WorkersInvalidationBus = createWorkersInvalidationBus(bindings.CACHE_EVENTS, {
    pollMs: env.CACHE_EVENTS_POLL_MS,
    keepMs: maxRetainMs + INVALIDATION_SLACK_MS,
    logger,
  });
  const reported = new Set<string>();
  const sharedCache = createWorkersCacheStore({
    cache: () => caches.open('erpfront'),
    tombstones: bus.tombstones,
    beforeRead: () => bus.catchUp(),
    maxRetainMs,
    // Logged once per isolate and operation: a Cache API that fails, fails on every call.
    onError: (operation, error) => {
      if (reported.has(operation)) return;
      reported.add(operation);
      logger.warn(`the shared cache (Cache API) could not ${operation}; serving without it`, { operation, err: loggableError(error) });
    },
  });
  return { sharedCache, invalidationBus: bus, catchUpInvalidations: () => bus.catchUp() };
}
