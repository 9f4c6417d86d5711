/**
 * New customers in a real Tryton 6.0: a registration approved by operations becomes one party with
 * its addresses, the configured price list and payment term, and the application's reference as
 * an identifier, exactly once even when Tryton's reply to the first `create` is lost (the lookup by
 * reference finds the party before anything is sent again). First through the dispatcher with a
 * connection that drops that reply, then over HTTP through erpfront, down to the new buyer's prices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrytonConnector } from '../../src/adapters/erp/tryton/index.ts';
import { createTimerScheduler } from '../../src/adapters/scheduler/timer-scheduler.ts';
import { createSqliteApplicationStore } from '../../src/adapters/stores/sqlite/application-store.ts';
import { AccountDispatcher } from '../../src/features/registration/account-dispatcher.ts';
import { systemClock } from '../../src/ports/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { eventually } from '../support/orders.ts';
import { startErpfrontOnTryton, startTryton, TRYTON_USER, trytonAvailable, type RunningTryton, TRYTON_TEST_TIMEOUT_MS } from '../support/tryton.ts';

const available = trytonAvailable('Tryton registration');

/** A fetch that lets Tryton run the first `party.party.create` and then drops its reply, as a cut connection does. */
function losingFirstCreateReply() {
  let lost = 0;
  const fetchImpl: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (lost === 0 && String(init?.body).includes('"model.party.party.create"')) {
      lost++;
      await response.arrayBuffer();
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }
    return response;
  };
  return { fetchImpl, lost: () => lost };
}

const APPLICATION = {
  companyName: 'Wayne Fabrication LLC',
  taxId: '12-3456789',
  addresses: [
    { name: 'Head office', line1: '1007 Mountain Dr', line2: null, city: 'Gotham', region: 'NJ', postalCode: '07001', country: 'US' },
    { name: 'Plant 2', line1: '1 Industrial Pkwy', line2: 'Dock 4', city: 'Newark', region: null, postalCode: '07102', country: 'US' },
  ],
  contact: { name: 'Lucius Fox', email: 'lucius@wayne.example', subject: 'lucius' },
};

describe.skipIf(!available)('Tryton: new customers', () => {
  let tryton: RunningTryton;
  beforeAll(async () => {
    tryton = await startTryton();
  }, 120_000);
  afterAll(() => tryton?.close());

  /** The parties holding a reference, with their addresses, read straight from Tryton. */
  async function partiesWithRef(ref: string) {
    const rpc = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: TRYTON_TEST_TIMEOUT_MS }).rpc;
    const parties = (await rpc.model('test', 'party.party', 'search_read', [
      [['identifiers.code', '=', `erpfront:${ref}`]],
      0,
      null,
      null,
      ['code', 'name', 'addresses', 'sale_price_list', 'customer_payment_term'],
    ])) as Array<{ code: string; name: string; addresses: number[]; sale_price_list: number | null; customer_payment_term: number | null }>;
    return parties;
  }

  it('the dispatcher creates one party with its addresses when the reply to the first create is lost', async () => {
    const lossy = losingFirstCreateReply();
    const erp = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, fetch: lossy.fetchImpl, timeoutMs: TRYTON_TEST_TIMEOUT_MS });
    const store = createSqliteApplicationStore({ path: ':memory:' });
    const created: string[] = [];
    const dispatcher = new AccountDispatcher({
      store,
      erp,
      clock: systemClock,
      logger: silentLogger,
      owner: 'test',
      pollMs: 50,
      retryBaseMs: 50,
      defaults: { priceListId: String(tryton.ids.price_list_id), paymentTermsCode: String(tryton.ids.payment_term_id) },
      onCreated: async (customerId, subject) => void created.push(`${customerId}:${subject}`),
    });
    const app = await store.insert(APPLICATION, { applicant: 'lucius', now: Date.now() });
    await store.review(app.id, { decision: 'APPROVE', by: 'ops' }, Date.now());
    const scheduler = createTimerScheduler({ logger: silentLogger });
    scheduler.add(dispatcher.job());
    try {
      const done = await eventually(
        () => store.get(app.id),
        (a) => a?.status === 'CREATED',
        30_000,
        50,
      );
      expect(lossy.lost()).toBe(1);
      expect(done).toMatchObject({ status: 'CREATED', attempts: 2 });
      const parties = await partiesWithRef(app.id);
      expect(parties).toHaveLength(1);
      const [party] = parties;
      expect(party).toMatchObject({
        code: done!.customerId,
        name: 'Wayne Fabrication LLC',
        sale_price_list: tryton.ids.price_list_id,
        customer_payment_term: tryton.ids.payment_term_id,
      });
      expect(party!.addresses).toHaveLength(2);
      expect(created).toEqual([`${done!.customerId}:lucius`]);
      // The account as erpfront reads it: the first address is the default ship-to.
      const [account] = await erp.getCustomers([done!.customerId!]);
      expect(account).toMatchObject({ name: 'Wayne Fabrication LLC', priceListId: String(tryton.ids.price_list_id), paymentTerms: { netDays: 30 } });
      expect((account as { shipTos: Array<{ line1: string; isDefault: boolean }> }).shipTos.find((s) => s.isDefault)?.line1).toBe('1007 Mountain Dr');
    } finally {
      await scheduler.stop();
      await store.close();
    }
  });

  it('over HTTP: registered, approved by operations, one party in Tryton, and the new buyer sees their prices', async () => {
    const front = await startErpfrontOnTryton(tryton, {
      NEW_CUSTOMER_PRICE_LIST: String(tryton.ids.price_list_id),
      NEW_CUSTOMER_PAYMENT_TERMS: String(tryton.ids.payment_term_id),
    });
    try {
      const applicant = await front.token({ roles: ['applicant'], subject: 'bruce' });
      const { registerCompany } = await front.graphql(
        `mutation($input: RegisterCompanyInput!) { registerCompany(input: $input) { application { id status } userErrors { code message } } }`,
        { input: { ...APPLICATION, contact: { name: 'Bruce', email: 'bruce@wayne.example' } } },
        applicant,
      );
      expect(registerCompany.userErrors).toEqual([]);
      const id = registerCompany.application.id as string;
      const ops = await front.opsToken();
      const { approveCompanyApplication } = await front.graphql(
        `mutation($id: ID!) { approveCompanyApplication(id: $id) { application { status } userErrors { code } } }`,
        { id },
        ops,
      );
      expect(approveCompanyApplication).toEqual({ application: { status: 'APPROVED' }, userErrors: [] });
      const mine = await eventually(
        async () => (await front.graphql(`{ myCompanyApplications { id status customerId } }`, {}, applicant)).myCompanyApplications[0],
        (a: { status: string; customerId: string }) => a.status === 'CREATED',
        30_000,
      );
      const parties = await partiesWithRef(id);
      expect(parties.map((p) => p.code)).toEqual([mine.customerId]);

      const buyer = await front.token({ roles: ['buyer'], customerId: mine.customerId, subject: 'bruce' });
      const prices = await front.graphql(
        `{ viewer { customer { id name } } products(skus: ["SKU-1006"]) { sku price { unitPrice { amount } source } } }`,
        {},
        buyer,
      );
      expect(prices.viewer.customer).toEqual({ id: mine.customerId, name: 'Wayne Fabrication LLC' });
      // The demo price list's own price for the drill (list 149).
      expect(prices.products[0].price).toEqual({ unitPrice: { amount: '135.00' }, source: 'PRICE_LIST' });
    } finally {
      await front.close();
    }
  });
});
