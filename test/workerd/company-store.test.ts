/**
 * The company store contract on the Durable Object backend, inside workerd: the Worker's client
 * over RPC to a SQLite-backed object, a fresh object per scenario. `reopen` evicts the object (its
 * instance torn down, its storage kept), as a restart or a deployment would.
 */
import { env } from 'cloudflare:workers';
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { evictDurableObject } from 'cloudflare:test';
import { createDurableObjectCompanyStore } from '../../src/adapters/stores/durable-object/company-store.ts';
import { runCompanyStoreContract } from '../contract/company-store.contract.ts';

const namespace = env.COMPANY_STORE as DurableObjectNamespace;

runCompanyStoreContract(
  'Durable Object',
  async () => {
    const name = crypto.randomUUID();
    return {
      store: createDurableObjectCompanyStore(namespace, { name }),
      reopen: async () => {
        await evictDurableObject(namespace.get(namespace.idFromName(name)));
        return createDurableObjectCompanyStore(namespace, { name });
      },
    };
  },
  { durable: true },
);
