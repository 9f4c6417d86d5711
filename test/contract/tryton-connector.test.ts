/**
 * The Tryton connector against a real Tryton 6.0 (started by `scripts/tryton/start-tryton.sh`
 * on a copy of the demo database): the conformance suite with the demo's facts, plus what only
 * this connector promises (session renewal, Tryton's refusals mapped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrytonConnector } from '../../src/adapters/erp/tryton/index.ts';
import { ErpError } from '../../src/ports/erp-error.ts';
import { startTryton, TRYTON_USER, trytonAvailable, type RunningTryton, TRYTON_TEST_TIMEOUT_MS } from '../support/tryton.ts';
import { runErpConnectorContract, type ConnectorFixtures } from './erp-connector.contract.ts';

const available = trytonAvailable('Tryton connector conformance suite');

/** Facts of `setup_demo.py`'s data set. */
function fixtures(tryton: RunningTryton): ConnectorFixtures {
  const priceListId = String(tryton.ids.price_list_id);
  const today = new Date();
  const inDays = (n: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + n)).toISOString().slice(0, 10);
  const initech = {
    customerId: 'INITECH',
    poNumber: 'PO-4471',
    shipToId: String(tryton.ids.customers.INITECH),
    requestedDate: null,
    currency: 'USD',
    payment: { method: 'ON_ACCOUNT' },
    notes: 'Dock 3, mornings only',
  } as const;
  const globex = { ...initech, customerId: 'GLOBEX', poNumber: null, shipToId: String(tryton.ids.customers.GLOBEX), notes: null } as const;
  return {
    knownSkus: ['SKU-1001', 'SKU-1006', 'SKU-1002'],
    unknownSku: 'SKU-9999',
    search: { text: 'sku-10', category: 'Industrial Supplies' },
    customerWithPriceList: { id: 'GLOBEX', priceListId, currency: 'USD', pricedSku: 'SKU-1006' },
    customerWithoutContractPrices: 'INITECH',
    unknownCustomer: 'NOBODY',
    // setup_demo.py gives each customer a purchasing mailbox, and the supplier none.
    primaryContacts: [
      { customerId: 'GLOBEX', contact: 'purchasing@globex.example' },
      { customerId: 'FASTCO', contact: null },
      { customerId: 'INITECH', contact: 'purchasing@initech.example' },
    ],
    unknownSalesRep: 'R01',
    listPrice: { currency: 'USD', skuWithBreaks: 'SKU-1006', minBreaks: 1 },
    expectedPrices: [
      {
        key: { scope: 'priceList', scopeId: priceListId, sku: 'SKU-1006' },
        breaks: [
          { minQuantity: 0, unitPrice: '135' },
          { minQuantity: 10, unitPrice: '125' },
        ],
      },
      {
        key: { scope: 'priceList', scopeId: priceListId, sku: 'SKU-1001' },
        breaks: [
          { minQuantity: 0, unitPrice: '12.50' },
          { minQuantity: 10, unitPrice: '11.25' },
        ],
      },
      { key: { scope: 'list', scopeId: 'USD', sku: 'SKU-1006' }, breaks: [{ minQuantity: 0, unitPrice: '149' }] },
    ],
    stock: { skuWithIncoming: 'SKU-1006', warehouses: ['WH', 'WH2'] },
    accounts: {
      newCustomer: {
        name: 'Wayne Fabrication LLC',
        taxId: '12-3456789',
        addresses: [
          { name: 'Head office', line1: '1007 Mountain Dr', line2: null, city: 'Gotham', region: 'NJ', postalCode: '07001', country: 'US' },
          { name: 'Plant 2', line1: '1 Industrial Pkwy', line2: 'Dock 4', city: 'Newark', region: null, postalCode: '07102', country: 'US' },
        ],
        contact: { name: 'Lucius Fox', email: 'lucius@wayne.example' },
        priceListId,
        paymentTermsCode: String(tryton.ids.payment_term_id),
      },
      expectedPriceListId: priceListId,
      unknownPriceListId: '999999',
    },
    expectedStock: {
      sku: 'SKU-1006',
      warehouses: [
        { code: 'WH', onHand: 25, incoming: [] },
        { code: 'WH2', onHand: 8, incoming: [{ date: inDays(7), quantity: 20 }] },
      ],
    },
    orders: {
      accepted: {
        ...initech,
        lines: [
          { sku: 'SKU-1001', quantity: 2, unitPrice: '12.50', unitOfMeasure: 'EA' },
          { sku: 'SKU-1002', quantity: 3, unitPrice: '6.90', unitOfMeasure: 'EA' },
        ],
      },
      // 45.70 and the demo's 8% sales tax.
      acceptedTotal: '49.36',
      // More drills than East will have: Tryton's forecast check refuses the quotation.
      refused: { order: { ...initech, lines: [{ sku: 'SKU-1006', quantity: 400, unitPrice: '149.00', unitOfMeasure: 'EA' }] }, reason: 'INSUFFICIENT_STOCK' },
      // 5,008.50 before tax: past Globex's credit limit of 5,000, so Tryton keeps a quotation.
      held: {
        ...globex,
        lines: [
          { sku: 'SKU-1001', quantity: 300, unitPrice: '11.25', unitOfMeasure: 'EA' },
          { sku: 'SKU-1004', quantity: 300, unitPrice: '3.375', unitOfMeasure: 'EA' },
          { sku: 'SKU-1002', quantity: 100, unitPrice: '6.21', unitOfMeasure: 'EA' },
        ],
      },
      deduplicatesByReference: true,
    },
  };
}

describe.skipIf(!available)('Tryton connector', () => {
  runErpConnectorContract(
    'tryton',
    {
      // Tryton 6.0 assigns no customers to sales reps, and cancelling a sale is not mapped yet.
      declares: ['health', 'catalog', 'pricing', 'stock', 'customers', 'accounts', 'orders', 'changes', 'checkout', 'invoices', 'quotes', 'returns'],
      searchByCategory: true,
      exactPrices: true,
      exactStock: true,
      outage: true,
      // Tryton keeps an over-limit sale as a quotation; the connector finds a sale by its reference.
      orders: { holdsOrders: true, deduplicatesByReference: true },
    },
    async () => {
      const tryton = await startTryton();
      return {
        connector: createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: 10_000 }),
        fixtures: fixtures(tryton),
        // The ERP itself stopped and started: connections refused, then a server that kept its sessions.
        faults: { outage: (on) => (on ? tryton.stop() : tryton.start()) },
        teardown: () => tryton.close(),
      };
    },
  );

  describe('Tryton connector: sessions and refusals', () => {
    let tryton: RunningTryton;
    beforeAll(async () => {
      tryton = await startTryton();
    });
    afterAll(() => tryton?.close());

    it('logs in again when Tryton drops the session (401), and the call succeeds', async () => {
      let header = '';
      const logins: string[] = [];
      const spy: typeof fetch = async (input, init) => {
        const auth = new Headers(init?.headers).get('authorization');
        if (auth) header = auth;
        if (String(init?.body).includes('common.db.login')) logins.push('login');
        return fetch(input, init);
      };
      const connector = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, fetch: spy, timeoutMs: TRYTON_TEST_TIMEOUT_MS });
      await connector.ping();
      expect((await connector.rpc.session()).company).toBe(tryton.ids.company_id);
      // Log the session out behind the connector's back: its next call gets 401.
      const logout = await fetch(tryton.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: header },
        body: JSON.stringify({ id: 1, method: 'common.db.logout', params: [] }),
      });
      expect(logout.status).toBe(200);
      const [item] = await connector.getItems(['SKU-1001']);
      expect(item).toMatchObject({ sku: 'SKU-1001' });
      expect(logins).toHaveLength(2);
    });

    it('maps a wrong password to ERP_AUTH_FAILED', async () => {
      const connector = createTrytonConnector({ url: tryton.url, username: 'webstore', password: 'wrong', timeoutMs: TRYTON_TEST_TIMEOUT_MS });
      await expect(connector.ping()).rejects.toMatchObject({ code: 'ERP_AUTH_FAILED', operation: 'ping' });
    });

    it('maps a method Tryton does not expose (403) to ERP_BAD_RESPONSE naming the method', async () => {
      const connector = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: TRYTON_TEST_TIMEOUT_MS });
      const error = await connector.rpc.model('test', 'product.product', 'get_sale_price', [[1], 10]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ErpError);
      expect(error).toMatchObject({ code: 'ERP_BAD_RESPONSE' });
      expect((error as Error).message).toContain('model.product.product.get_sale_price');
    });

    it('maps a UserError to ERP_REJECTED with Tryton’s message, and a server exception to ERP_UNAVAILABLE', async () => {
      const connector = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: TRYTON_TEST_TIMEOUT_MS });
      const refused = await connector.rpc.model('test', 'sale.sale', 'create', [[{ reference: 'no party' }]]).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'ERP_REJECTED', reason: 'INVALID_ORDER' });
      expect((refused as Error).message).toContain('Party');
      const failed = await connector.rpc.model('test', 'product.product', 'read', [[1], ['no_such_field']]).catch((e: unknown) => e);
      expect(failed).toMatchObject({ code: 'ERP_UNAVAILABLE' });
    });

    it('maps a refused connection to ERP_UNAVAILABLE and a silent server to ERP_TIMEOUT', async () => {
      const refused = createTrytonConnector({ url: 'http://127.0.0.1:9/demo/', ...TRYTON_USER, timeoutMs: TRYTON_TEST_TIMEOUT_MS });
      await expect(refused.ping()).rejects.toMatchObject({ code: 'ERP_UNAVAILABLE', operation: 'ping' });
      const { createServer } = await import('node:http');
      const silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as { port: number };
      try {
        const slow = createTrytonConnector({ url: `http://127.0.0.1:${port}/demo/`, ...TRYTON_USER, timeoutMs: 200 });
        await expect(slow.getItems(['SKU-1001'])).rejects.toMatchObject({ code: 'ERP_TIMEOUT', operation: 'getItems' });
      } finally {
        silent.closeAllConnections();
        silent.close();
      }
    });
  });
});
