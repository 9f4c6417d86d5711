/**
 * The operations stores on their Durable Object, inside workerd: the audit log, cursor, finding,
 * customer activity, delivery log and console session contracts, each through the Worker's client
 * over RPC to a SQLite-backed object of its own name per scenario. `reopen` evicts the object (its
 * instance torn down, its storage kept), as a restart or a deployment would.
 */
import { env } from 'cloudflare:workers';
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { evictDurableObject } from 'cloudflare:test';
import { openDurableObjectOperationsStores, type OperationsStores } from '../../src/adapters/stores/durable-object/operations-store.ts';
import { runAuditLogContract } from '../contract/audit-log.contract.ts';
import { runConsoleSessionStoreContract } from '../contract/console-session-store.contract.ts';
import { runCursorStoreContract } from '../contract/cursor-store.contract.ts';
import { runCustomerActivityContract } from '../contract/customer-activity.contract.ts';
import { runDeliveryLogContract } from '../contract/delivery-log.contract.ts';
import { runFindingStoreContract } from '../contract/finding-store.contract.ts';

const namespace = env.OPERATIONS_STORE as DurableObjectNamespace;

/** A fresh object's stores, and the same object's stores again after an eviction. */
function fresh(): { stores: OperationsStores; reopen: () => Promise<OperationsStores> } {
  const name = crypto.randomUUID();
  return {
    stores: openDurableObjectOperationsStores(namespace, { name }),
    reopen: async () => {
      await evictDurableObject(namespace.get(namespace.idFromName(name)));
      return openDurableObjectOperationsStores(namespace, { name });
    },
  };
}

runAuditLogContract('Durable Object', async () => {
  const { stores, reopen } = fresh();
  return { log: stores.audit, reopen: async () => (await reopen()).audit };
});
runCursorStoreContract('Durable Object', async () => {
  const { stores, reopen } = fresh();
  return { store: stores.cursors, reopen: async () => (await reopen()).cursors };
});
runFindingStoreContract('Durable Object', async () => {
  const { stores, reopen } = fresh();
  return { store: stores.findings, reopen: async () => (await reopen()).findings };
});
runCustomerActivityContract(
  'Durable Object',
  async () => {
    const { stores, reopen } = fresh();
    return { store: stores.activity, reopen: async () => (await reopen()).activity };
  },
  { durable: true },
);
runDeliveryLogContract('Durable Object', () => fresh().stores.deliveries);
runConsoleSessionStoreContract('Durable Object', async () => fresh().stores.consoleSessions);
