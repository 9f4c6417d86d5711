/**
 * The sandbox connector against a real sandbox ERP on a free port: the conformance suite, plus
 * what only this connector promises (splitting big batches into the API's limits).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxConnector } from '../../src/adapters/erp/sandbox/index.ts';
import { ERP_CAPABILITIES } from '../../src/ports/erp-connector.ts';
import { startSandboxErp, type RunningSandbox } from '../../src/sandbox-erp/server.ts';
import { runErpConnectorContract, type ConnectorFixtures } from './erp-connector.contract.ts';

/** Facts of the sandbox's data set for the default seed (42). */
const SANDBOX_FIXTURES: ConnectorFixtures = {
  knownSkus: ['SKU-00001', 'SKU-00002', 'SKU-00003'],
  unknownSku: 'SKU-99999',
  search: { text: 'bolt', category: 'Fasteners' },
  customerWithPriceList: { id: 'C0002', priceListId: 'PL-OEM', currency: 'USD', pricedSku: 'SKU-00002' },
  customerWithContractPrices: { id: 'C0001', contractSku: 'SKU-00002' },
  customerWithoutContractPrices: 'C0002',
  // C0001's contract on SKU-00002, as the seeded data set (seed 42) computes it.
  expectedPrices: [
    {
      key: { scope: 'contract', scopeId: 'C0001', sku: 'SKU-00002' },
      breaks: [
        { minQuantity: 1, unitPrice: '29.82' },
        { minQuantity: 10, unitPrice: '28.25' },
        { minQuantity: 50, unitPrice: '26.68' },
        { minQuantity: 100, unitPrice: '25.11' },
      ],
    },
  ],
  unknownCustomer: 'C9999',
  primaryContacts: [
    { customerId: 'C0001', contact: 'purchasing@acme-fabrication.example' },
    { customerId: 'C0007', contact: null },
  ],
  salesRep: { id: 'R01', customerIds: ['C0001', 'C0003'] },
  unknownSalesRep: 'R99',
  listPrice: { currency: 'USD', skuWithBreaks: 'SKU-00002' },
  stock: { skuWithIncoming: 'SKU-00006', warehouses: ['EAST', 'WEST', 'CENTRAL'] },
  accounts: {
    newCustomer: {
      name: 'Wayne Fabrication LLC',
      taxId: '12-3456789',
      addresses: [
        { name: 'Head office', line1: '1007 Mountain Dr', line2: null, city: 'Gotham', region: 'NJ', postalCode: '07001', country: 'US' },
        { name: 'Plant 2', line1: '1 Industrial Pkwy', line2: 'Dock 4', city: 'Newark', region: 'NJ', postalCode: '07102', country: 'US' },
      ],
      contact: { name: 'Lucius Fox', email: 'lucius@wayne.example' },
      priceListId: 'PL-RETAIL',
      paymentTermsCode: 'NET30',
    },
    expectedPriceListId: 'PL-RETAIL',
    unknownPriceListId: 'PL-NOPE',
  },
  orders: {
    accepted: {
      customerId: 'C0001',
      poNumber: 'PO-4471',
      shipToId: 'C0001-ST2',
      requestedDate: null,
      currency: 'USD',
      payment: { method: 'ON_ACCOUNT' },
      notes: 'Dock 3, mornings only',
      lines: [
        { sku: 'SKU-00001', quantity: 3, unitPrice: '21.41', unitOfMeasure: 'EA' },
        { sku: 'SKU-00002', quantity: 2, unitPrice: '12.00', unitOfMeasure: 'BX' },
      ],
    },
    acceptedTotal: '88.23',
    // C0004 is on credit hold.
    refused: {
      order: {
        customerId: 'C0004',
        poNumber: null,
        shipToId: 'C0004-ST1',
        requestedDate: null,
        currency: 'USD',
        payment: { method: 'ON_ACCOUNT' },
        notes: null,
        lines: [{ sku: 'SKU-00001', quantity: 1, unitPrice: '21.41', unitOfMeasure: 'EA' }],
      },
      reason: 'CREDIT_HOLD',
    },
  },
};

async function setFaults(sandbox: RunningSandbox, faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.url}/__control/faults`, { method: 'POST', body: JSON.stringify(faults) });
  if (!response.ok) throw new Error(`sandbox refused faults ${JSON.stringify(faults)}: ${await response.text()}`);
}

runErpConnectorContract(
  'sandbox',
  {
    declares: ERP_CAPABILITIES.filter((c) => c !== 'changes'),
    searchByCategory: true,
    exactPrices: true,
    // Stock dates move with the day the data set is built; the generic stock scenarios cover it.
    exactStock: false,
    outage: true,
    // Like an ERP without a unique constraint on the external reference: erpfront must look up first.
    orders: { holdsOrders: false, deduplicatesByReference: false },
  },
  async () => {
    const sandbox = await startSandboxErp({ port: 0 });
    return {
      connector: createSandboxConnector({ baseUrl: sandbox.url }),
      fixtures: SANDBOX_FIXTURES,
      faults: { outage: (on) => setFaults(sandbox, { outage: on }) },
      teardown: () => sandbox.close(),
    };
  },
);

// The same sandbox started with its duplicate check on, and a connector told so: the suite checks
// that the ERP really refuses the second entry the connector says it refuses.
runErpConnectorContract(
  'sandbox with unique external references',
  {
    declares: ERP_CAPABILITIES.filter((c) => c !== 'changes'),
    searchByCategory: true,
    exactPrices: true,
    exactStock: false,
    outage: true,
    orders: { holdsOrders: false, deduplicatesByReference: false },
  },
  async () => {
    const sandbox = await startSandboxErp({ port: 0, uniqueExternalRefs: true });
    return {
      connector: createSandboxConnector({ baseUrl: sandbox.url, uniqueExternalRefs: true }),
      fixtures: SANDBOX_FIXTURES,
      faults: { outage: (on) => setFaults(sandbox, { outage: on }) },
      teardown: () => sandbox.close(),
    };
  },
);

describe('sandbox connector: new customers in doubt', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandboxErp({ port: 0, uniqueExternalRefs: true });
  });
  afterAll(() => sandbox.close());
  const request = (externalRef: string) => ({ ...SANDBOX_FIXTURES.accounts!.newCustomer, externalRef });

  it('a create whose reply is lost after the commit rejects in doubt; the lookup finds the one account', async () => {
    const connector = createSandboxConnector({ baseUrl: sandbox.url });
    await setFaults(sandbox, { dropResponseAfterCommit: 1 });
    const ref = `reg-${crypto.randomUUID()}`;
    await expect(connector.createCustomer(request(ref))).rejects.toMatchObject({ code: 'ERP_UNAVAILABLE', transient: true });
    const found = await connector.findCustomerByExternalRef(ref);
    expect(found).toMatchObject({ externalRef: ref, name: 'Wayne Fabrication LLC' });
    const [account] = await connector.getCustomers([found!.id]);
    expect(account).toMatchObject({ id: found!.id, priceListId: 'PL-RETAIL', paymentTerms: { code: 'NET30' } });
  });

  it('a sandbox with its duplicate check refuses a second account of one reference with ERP_DUPLICATE_REF', async () => {
    const connector = createSandboxConnector({ baseUrl: sandbox.url, uniqueExternalRefs: true });
    const ref = `reg-${crypto.randomUUID()}`;
    const first = await connector.createCustomer(request(ref));
    await expect(connector.createCustomer(request(ref))).rejects.toMatchObject({ code: 'ERP_DUPLICATE_REF' });
    expect(await connector.findCustomerByExternalRef(ref)).toEqual(first);
  });
});

describe('sandbox connector: batch limits', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandboxErp({ port: 0 });
  });
  afterAll(() => sandbox.close());

  async function stats(): Promise<{ byOperation: Record<string, number> }> {
    return (await fetch(`${sandbox.url}/__control/stats`)).json() as Promise<{ byOperation: Record<string, number> }>;
  }

  it('splits more keys than one call takes, and keeps every answer in key order', async () => {
    await fetch(`${sandbox.url}/__control/reset`, { method: 'POST' });
    const connector = createSandboxConnector({ baseUrl: `${sandbox.url}/` });
    const skus = Array.from({ length: 1200 }, (_, i) => `SKU-${String(1200 - i).padStart(5, '0')}`);
    const items = await connector.getItems(skus);
    expect(items.map((item) => (item instanceof Error ? item.message : item.sku))).toEqual(skus);
    const page = await connector.searchItems({ text: 'bolt', offset: 10, limit: 250 });
    expect(page.items).toHaveLength(250);
    expect((await connector.searchItems({ text: 'bolt', offset: 10, limit: 10 })).items).toEqual(page.items.slice(0, 10));
    const calls = (await stats()).byOperation;
    expect(calls.getItems).toBe(3);
    expect(calls.searchItems).toBe(4);
  });
});
