/**
 * The embedded backends: one process, no services. Orders and PunchOut in SQLite files under
 * DATA_DIR (locked: two processes on one DATA_DIR would both submit the same orders), the ERP budget
 * and callers' throttle buckets in memory, the cache in this process only.
 *
 * @module
 */
import { join } from 'node:path';
import { createMemoryConsoleSessionStore } from '../adapters/stores/memory/console-session-store.ts';
import { createMemoryDeliveryLog } from '../adapters/stores/memory/delivery-log.ts';
import { createMemoryErpBudget } from '../adapters/stores/memory/erp-budget.ts';
import { createMemoryThrottleStore } from '../adapters/stores/memory/throttle-store.ts';
import { createSqliteCompanyStore } from '../adapters/stores/sqlite/company-store.ts';
import { createSqliteApplicationStore } from '../adapters/stores/sqlite/application-store.ts';
import { createSqliteOutboxStore } from '../adapters/stores/sqlite/outbox-store.ts';
import { createSqliteAuditLog } from '../adapters/stores/sqlite/audit-log.ts';
import { createSqliteCursorStore } from '../adapters/stores/sqlite/cursor-store.ts';
import { createSqliteCustomerActivity } from '../adapters/stores/sqlite/customer-activity.ts';
import { createSqliteFindingStore } from '../adapters/stores/sqlite/finding-store.ts';
import { createSqliteOrderStore } from '../adapters/stores/sqlite/order-store.ts';
import { createSqlitePunchOutStore } from '../adapters/stores/sqlite/punchout-store.ts';
import type { Env } from '../config/env.ts';
import type { Backends } from '../ports/backends.ts';
import { lockDataDir } from './data-dir-lock.ts';

export async function openEmbeddedBackends(env: Env): Promise<Backends> {
  const unlock = lockDataDir(env.DATA_DIR);
  try {
    const orders = createSqliteOrderStore({ path: join(env.DATA_DIR, 'orders.sqlite') });
    // A file of its own: PunchOut's schema versions independently of the orders'.
    const punchout = createSqlitePunchOutStore({ path: join(env.DATA_DIR, 'punchout.sqlite') });
    const cursors = createSqliteCursorStore({ path: join(env.DATA_DIR, 'cursors.sqlite') });
    const findings = createSqliteFindingStore({ path: join(env.DATA_DIR, 'reconciliation.sqlite') });
    // A file of its own: the directory's schema versions independently of the orders'.
    const companies = createSqliteCompanyStore({ path: join(env.DATA_DIR, 'company.sqlite') });
    const applications = createSqliteApplicationStore({ path: join(env.DATA_DIR, 'applications.sqlite') });
    const outbox = createSqliteOutboxStore({ path: join(env.DATA_DIR, 'outbox.sqlite') });
    const activity = createSqliteCustomerActivity({ path: join(env.DATA_DIR, 'activity.sqlite') });
    const audit = createSqliteAuditLog({ path: join(env.DATA_DIR, 'audit.sqlite') });
    // This process owns the store (the lock): leases still recorded belong to a crashed
    // predecessor. Their orders are released now, in doubt, instead of after the lease runs out.
    const recoveredOrders = await orders.releaseLeases(Date.now());
    // The same for company applications a crashed predecessor was creating in the ERP.
    await applications.releaseLeases(Date.now());
    // And for the ERP writes (quotes, returns) of the outbox.
    await outbox.releaseLeases(Date.now());
    return {
      kind: 'embedded',
      orders,
      applications,
      outbox,
      punchout,
      budget: createMemoryErpBudget({ requestsPerSecond: env.ERP_REQUESTS_PER_SECOND, maxConcurrent: env.ERP_MAX_CONCURRENT }),
      throttle: createMemoryThrottleStore({ maxBuckets: env.THROTTLE_MAX_BUCKETS }),
      sharedCache: null,
      invalidationBus: null,
      deliveries: createMemoryDeliveryLog(),
      cursors,
      findings,
      companies,
      activity,
      audit,
      // One process serves the console: its sessions live here (a restart asks for a new login).
      consoleSessions: createMemoryConsoleSessionStore(),
      recoveredOrders,
      async close() {
        try {
          await orders.close();
          await punchout.close();
          await cursors.close();
          await findings.close();
          await companies.close();
          await applications.close();
          await outbox.close();
          await activity.close();
          await audit.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
