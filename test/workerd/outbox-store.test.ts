/**
 * The ERP-write outbox contract on the Durable Object backend, inside workerd: the Worker's
 * client over RPC to a SQLite-backed object, a fresh object per scenario. `reopen` evicts the
 * object (its instance torn down, its storage kept), as a restart or a deployment would.
 */
import { env } from 'cloudflare:workers';
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { evictDurableObject } from 'cloudflare:test';
import { createDurableObjectOutboxStore } from '../../src/adapters/stores/durable-object/outbox-store.ts';
import { runOutboxStoreContract } from '../contract/outbox-store.contract.ts';

const namespace = env.OUTBOX_STORE as DurableObjectNamespace;

runOutboxStoreContract('Durable Object', async () => {
  const name = crypto.randomUUID();
  return {
    store: createDurableObjectOutboxStore(namespace, { name }),
    reopen: async () => {
      await evictDurableObject(namespace.get(namespace.idFromName(name)));
      return createDurableObjectOutboxStore(namespace, { name });
    },
  };
});
