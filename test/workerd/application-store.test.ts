/**
 * The company application store contract on the Durable Object backend, inside workerd: the Worker's
 * client over RPC to a SQLite-backed object, a fresh object per scenario. `reopen` evicts the
 * object (its instance torn down, its storage kept), as a restart or a deployment would.
 */
import { env } from 'cloudflare:workers';
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { evictDurableObject } from 'cloudflare:test';
import { createDurableObjectApplicationStore } from '../../src/adapters/stores/durable-object/application-store.ts';
import { runApplicationStoreContract } from '../contract/application-store.contract.ts';

const namespace = env.APPLICATION_STORE as DurableObjectNamespace;

runApplicationStoreContract('Durable Object', async () => {
  const name = crypto.randomUUID();
  return {
    store: createDurableObjectApplicationStore(namespace, { name }),
    reopen: async () => {
      await evictDurableObject(namespace.get(namespace.idFromName(name)));
      return createDurableObjectApplicationStore(namespace, { name });
    },
  };
});
