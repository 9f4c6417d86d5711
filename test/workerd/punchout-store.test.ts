/**
 * The PunchOut store contract on the Durable Object backend, inside workerd: the Worker's client
 * over RPC to a SQLite-backed object, a fresh object per scenario. `reopen` evicts the object (its
 * instance torn down, its storage kept), as a restart or a deployment would.
 */
import { env } from 'cloudflare:workers';
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { evictDurableObject } from 'cloudflare:test';
import { createDurableObjectPunchOutStore } from '../../src/adapters/stores/durable-object/punchout-store.ts';
import { runPunchOutStoreContract } from '../contract/punchout-store.contract.ts';

const namespace = env.PUNCHOUT_STORE as DurableObjectNamespace;

runPunchOutStoreContract('Durable Object', async () => {
  const name = crypto.randomUUID();
  return {
    store: createDurableObjectPunchOutStore(namespace, { name }),
    reopen: async () => {
      await evictDurableObject(namespace.get(namespace.idFromName(name)));
      return createDurableObjectPunchOutStore(namespace, { name });
    },
  };
});
