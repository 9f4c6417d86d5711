import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteOrderStore } from '../../src/adapters/stores/sqlite/order-store.ts';
import { runOrderStoreContract } from './order-store.contract.ts';

runOrderStoreContract('SQLite', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'erpfront-store-')), 'orders.sqlite');
  return { store: createSqliteOrderStore({ path }), reopen: async () => createSqliteOrderStore({ path }) };
});
