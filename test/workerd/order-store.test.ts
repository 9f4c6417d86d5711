/**
 * The order store contract on the Durable Object backend, inside workerd: the Worker's client
 * over RPC to a SQLite-backed object, a fresh object per scenario. `reopen` evicts the object (its
 * instance torn down, its storage kept), as a restart or a deployment would.
 */
import { env } from 'cloudflare:workers';
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { evictDurableObject } from 'cloudflare:test';
import { createDurableObjectOrderStore } from '../../src/adapters/stores/durable-object/order-store.ts';
import { runOrderStoreContract } from '../contract/order-store.contract.ts';

const namespace = env.ORDER_STORE as DurableObjectNamespace;

runOrderStoreContract('Durable Object', async () => {
  const name = crypto.randomUUID();
  return {
    store: createDurableObjectOrderStore(namespace, { name }),
    reopen: async () => {
      await evictDurableObject(namespace.get(namespace.idFromName(name)));
      return createDurableObjectOrderStore(namespace, { name });
    },
  };
});
