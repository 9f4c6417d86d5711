/**
 * The account outbox against a real sandbox ERP server and a real SQLite store, for what the HTTP
 * suite cannot stage: an ERP that refuses the customer, a company directory that fails once, and a
 * holder that died after sending the create (its lease ran out with the create in the ERP). Each
 * ends with the customer in the ERP once, or not at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxConnector } from '../../src/adapters/erp/sandbox/index.ts';
import { createTimerScheduler } from '../../src/adapters/scheduler/timer-scheduler.ts';
import { createSqliteApplicationStore } from '../../src/adapters/stores/sqlite/application-store.ts';
import { AccountDispatcher, type OnCompanyCreated } from '../../src/features/registration/account-dispatcher.ts';
import type { ApplicationStore } from '../../src/ports/application-store.ts';
import { systemClock } from '../../src/ports/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { startSandboxErp, type RunningSandbox } from '../../src/sandbox-erp/server.ts';
import { application } from '../contract/application-store.contract.ts';
import { eventually } from '../support/orders.ts';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandboxErp({ port: 0 });
});
afterAll(() => sandbox?.close());

const erp = () => createSandboxConnector({ baseUrl: sandbox.url });

async function stats(): Promise<Record<string, number>> {
  return ((await (await fetch(`${sandbox.url}/__control/stats`)).json()) as { byOperation: Record<string, number> }).byOperation;
}

async function accounts(ref: string): Promise<Array<{ id: string }>> {
  return ((await (await fetch(`${sandbox.url}/api/v1/accounts?externalRef=${ref}`)).json()) as { value: Array<{ id: string }> }).value;
}

/** Runs a dispatcher over `store` until `done`, then stops it. */
async function dispatch(
  store: ApplicationStore,
  options: { owner?: string; priceListId?: string; onCreated?: OnCompanyCreated; leaseMs?: number },
  done: () => Promise<boolean>,
): Promise<void> {
  const dispatcher = new AccountDispatcher({
    store,
    erp: erp(),
    clock: systemClock,
    logger: silentLogger,
    owner: options.owner ?? 'w1',
    pollMs: 50,
    retryBaseMs: 50,
    retryMaxMs: 200,
    leaseMs: options.leaseMs ?? 30_000,
    sendGraceMs: 10,
    defaults: { priceListId: options.priceListId ?? 'PL-OEM', paymentTermsCode: null },
    onCreated: options.onCreated ?? (async () => {}),
  });
  const scheduler = createTimerScheduler({ logger: silentLogger });
  scheduler.add(dispatcher.job());
  try {
    await eventually(done, Boolean, 15_000, 50);
  } finally {
    await scheduler.stop();
  }
}

async function approvedApplication(store: ApplicationStore) {
  const app = await store.insert(application(), { applicant: 'lucius', now: Date.now() });
  await store.review(app.id, { decision: 'APPROVE', by: 'ops' }, Date.now());
  return app;
}

describe('the account outbox', () => {
  it('an ERP refusal is final: ERP_REFUSED with the reason, nothing created, nothing retried', async () => {
    const store = createSqliteApplicationStore({ path: ':memory:' });
    const app = await approvedApplication(store);
    const before = (await stats()).createCustomer ?? 0;
    await dispatch(store, { priceListId: 'PL-NOPE' }, async () => (await store.get(app.id))?.status === 'ERP_REFUSED');
    await new Promise((r) => setTimeout(r, 300));
    expect(await store.get(app.id)).toMatchObject({ status: 'ERP_REFUSED', inDoubt: false, erpRefusal: { reason: 'UNKNOWN_PRICE_LIST' }, attempts: 1 });
    expect((await stats()).createCustomer! - before).toBe(1);
    expect(await accounts(app.id)).toEqual([]);
    await store.close();
  });

  it('a company directory that fails once: the customer is found by its reference, not created again, and the directory runs again', async () => {
    const store = createSqliteApplicationStore({ path: ':memory:' });
    const app = await approvedApplication(store);
    const calls: string[] = [];
    const onCreated: OnCompanyCreated = async (customerId, subject) => {
      calls.push(`${customerId}:${subject}`);
      if (calls.length === 1) throw new Error('directory unavailable');
    };
    const before = (await stats()).createCustomer ?? 0;
    await dispatch(store, { onCreated }, async () => (await store.get(app.id))?.status === 'CREATED');
    const done = (await store.get(app.id))!;
    expect(calls).toEqual([`${done.customerId}:lucius`, `${done.customerId}:lucius`]);
    expect((await accounts(app.id)).map((a) => a.id)).toEqual([done.customerId]);
    expect((await stats()).createCustomer! - before).toBe(1);
    await store.close();
  });

  it('a holder that died after sending: the next holder finds the customer once its lease ran out, and creates nothing', async () => {
    const store = createSqliteApplicationStore({ path: ':memory:' });
    const app = await approvedApplication(store);
    // The dead holder: leased, marked sending, sent the create, and died before recording it.
    const now = Date.now();
    const [leased] = await store.lease('dead', { now, limit: 1, leaseMs: 300 });
    expect(await store.markSending(leased!.id, 'dead', now + 300)).toBe(true);
    const sent = await erp().createCustomer({
      externalRef: app.id,
      name: app.companyName,
      taxId: app.taxId,
      addresses: app.addresses,
      contact: { name: app.contact.name, email: app.contact.email },
      priceListId: 'PL-OEM',
      paymentTermsCode: null,
    });
    const before = (await stats()).createCustomer!;
    await dispatch(store, { owner: 'alive' }, async () => (await store.get(app.id))?.status === 'CREATED');
    expect(await store.get(app.id)).toMatchObject({ status: 'CREATED', customerId: sent.id, attempts: 2 });
    expect((await stats()).createCustomer).toBe(before);
    expect((await accounts(app.id)).map((a) => a.id)).toEqual([sent.id]);
    await store.close();
  });
});
