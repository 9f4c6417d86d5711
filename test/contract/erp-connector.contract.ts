/**
 * The ErpConnector conformance suite: the one set of scenarios every connector passes, the
 * sandbox's and a real ERP's alike. The data each scenario needs comes from the connector's
 * fixtures, since every ERP has its own SKUs and customers.
 *
 * Usage: `runErpConnectorContract('sandbox', async () => ({ connector, fixtures, faults, teardown }))`.
 * The order scenarios are in `erp-connector-orders.contract.ts`.
 *
 * @module
 */
import { checkoutScenarios } from './erp-connector-checkout.contract.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Big from 'big.js';
import {
  ERP_CAPABILITIES,
  ERP_METHODS,
  ERP_METHOD_NAMES,
  type CustomerAccount,
  type CustomerOpenInvoices,
  type ErpCapability,
  type ErpConnector,
  type Item,
  type OpenOrderSummary,
  type PriceEntry,
  type PriceKey,
  type SalesRep,
  type StockRecord,
} from '../../src/ports/erp-connector.ts';
import { ErpError } from '../../src/ports/erp-error.ts';
import { accountScenarios, type AccountFixtures } from './erp-connector-accounts.contract.ts';
import { quoteScenarios, returnScenarios, type DocumentSuiteContext } from './erp-connector-documents.contract.ts';
import { orderScenarios, type OrderFixtures } from './erp-connector-orders.contract.ts';

export type { OrderDraft, OrderFixtures } from './erp-connector-orders.contract.ts';
export type { AccountFixtures, NewCustomerDraft } from './erp-connector-accounts.contract.ts';

/** What the suite needs to know about the ERP's data. */
export interface ConnectorFixtures {
  /** At least two SKUs the ERP knows. */
  knownSkus: readonly [string, string, ...string[]];
  /** A SKU the ERP does not know. */
  unknownSku: string;
  /** A search matching at least six items; `category` (optional) is one they all share. */
  search: { text: string; category?: string };
  /** A customer on a price list, and a SKU that price list prices. */
  customerWithPriceList: { id: string; priceListId: string; currency: string; pricedSku: string };
  /** A customer with contract prices, and a SKU it has one for; absent when the ERP has none (Tryton). */
  customerWithContractPrices?: { id: string; contractSku: string };
  /** A customer without any contract price. */
  customerWithoutContractPrices: string;
  unknownCustomer: string;
  /**
   * Customers' primary contacts as the ERP holds them (at least one with a contact; `null`: the
   * ERP names none for that customer).
   */
  primaryContacts: ReadonlyArray<{ customerId: string; contact: string | null }>;
  /** A sales rep and customers it is assigned (it may have more); absent when the ERP assigns none. */
  salesRep?: { id: string; customerIds: readonly string[] };
  unknownSalesRep: string;
  /**
   * A SKU whose list price in `currency` has at least `minBreaks` quantity breaks (default 2; an
   * ERP whose list price has no breaks, like Tryton's, says 1).
   */
  listPrice: { currency: string; skuWithBreaks: string; minBreaks?: number };
  /** Exact prices the ERP gives (breaks ascending); money compared as numbers. */
  expectedPrices?: ReadonlyArray<{ key: PriceKey; breaks: ReadonlyArray<{ minQuantity: number; unitPrice: string }> }>;
  /** Exact stock the ERP holds for one SKU: on hand per warehouse, and receipts due. */
  expectedStock?: { sku: string; warehouses: ReadonlyArray<{ code: string; onHand: number; incoming: ReadonlyArray<{ date: string; quantity: number }> }> };
  /** A SKU with at least one receipt due, and the ERP's warehouse codes. */
  stock: { skuWithIncoming: string; warehouses: readonly string[] };
  /** Orders to enter and to see refused; without them the order scenarios are skipped. */
  orders?: OrderFixtures;
  /** A new customer to create (capability `accounts`); required when the connector declares it. */
  accounts?: AccountFixtures;
}

export interface ConnectorUnderTest {
  connector: ErpConnector;
  fixtures: ConnectorFixtures;
  /**
   * Switches the ERP off and on (a fault switch, or stopping and starting the ERP itself);
   * connectors that cannot do this skip the outage scenarios.
   */
  faults?: { outage(on: boolean): Promise<void> };
  teardown(): Promise<void>;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What a connector's ERP can be asked to show, known before it starts. A scenario a connector
 * cannot run is not registered for it (rather than skipped at run time): every test that runs,
 * asserts.
 */
export interface ConnectorCapabilities {
  /** The port's capabilities the connector declares (`connector.capabilities`); it lacks the others. */
  declares: readonly ErpCapability[];
  /** The fixtures name a category to search in. */
  searchByCategory: boolean;
  /** The fixtures carry the exact breaks the ERP computes (`expectedPrices`). */
  exactPrices: boolean;
  /** The fixtures carry the exact stock of one SKU (`expectedStock`). */
  exactStock: boolean;
  /** The test can switch the ERP off and on (`faults`). */
  outage: boolean;
  /** The ERP takes orders (`fixtures.orders`). */
  orders: false | { holdsOrders: boolean; deduplicatesByReference: boolean };
}

/** Registers `test` only when `condition` holds: see {@link ConnectorCapabilities}. */
export const when = (condition: boolean) => (condition ? it : () => {});

/** Registers the suite for one connector. */
export function runErpConnectorContract(name: string, can: ConnectorCapabilities, setup: () => Promise<ConnectorUnderTest>): void {
  describe(`ErpConnector contract: ${name}`, () => {
    let under: ConnectorUnderTest;
    let connector: ErpConnector;
    let fx: ConnectorFixtures;

    beforeAll(async () => {
      under = await setup();
      connector = under.connector;
      fx = under.fixtures;
    });
    afterAll(async () => {
      await under?.teardown();
    });

    it('has a name', () => {
      expect(connector.name).toMatch(/^\S+$/);
    });

    it('declares the capabilities it has, and supports exactly those', () => {
      expect([...connector.capabilities].sort()).toEqual([...can.declares].sort());
      for (const capability of ERP_CAPABILITIES) expect(connector.supports(capability)).toBe(can.declares.includes(capability));
    });

    const lacking = ERP_METHOD_NAMES.filter((method) => !can.declares.includes(ERP_METHODS[method].capability));
    when(lacking.length > 0)('fails a call of a capability it lacks at once with ERP_NOT_SUPPORTED naming the method', async () => {
      for (const method of lacking) {
        const call = connector[method] as (...args: unknown[]) => Promise<unknown>;
        const error = await call(['X'], {}).catch((e: unknown) => e);
        expectErpError(error, 'ERP_NOT_SUPPORTED', method);
        expect((error as ErpError).transient).toBe(false);
        expect((error as Error).message).toContain(connector.name);
      }
    });

    it('getItems answers one entry per key, in key order, failing only the unknown key', async () => {
      const [a, b] = fx.knownSkus;
      const result = await connector.getItems([b, fx.unknownSku, a, b]);
      expect(result).toHaveLength(4);
      expect(value<Item>(result[0]).sku).toBe(b);
      expect(value<Item>(result[2]).sku).toBe(a);
      expect(value<Item>(result[3]).sku).toBe(b);
      expectErpError(result[1], 'ERP_NOT_FOUND', 'getItems');
      expect((result[1] as Error).message).toContain(fx.unknownSku);
      for (const item of [result[0], result[2]].map((r) => value<Item>(r))) expectItemShape(item);
    });

    it('getItems of no keys is an empty list', async () => {
      expect(await connector.getItems([])).toEqual([]);
    });

    it('searchItems pages through matches case-insensitively, with a stable total', async () => {
      const text = fx.search.text.toUpperCase();
      const first = await connector.searchItems({ text, offset: 0, limit: 3 });
      const second = await connector.searchItems({ text, offset: 3, limit: 3 });
      expect(first.total).toBeGreaterThanOrEqual(6);
      expect(second.total).toBe(first.total);
      expect(first.items).toHaveLength(3);
      expect(second.items).toHaveLength(3);
      const skus = [...first.items, ...second.items].map((i) => i.sku);
      expect(new Set(skus).size).toBe(6);
      for (const item of [...first.items, ...second.items]) {
        expectItemShape(item);
        expect(`${item.sku}\n${item.name}\n${item.description}`.toLowerCase()).toContain(fx.search.text.toLowerCase());
      }
      const beyond = await connector.searchItems({ text, offset: first.total, limit: 3 });
      expect(beyond).toEqual({ items: [], total: first.total });
    });

    when(can.searchByCategory)('searchItems filters by category', async () => {
      const page = await connector.searchItems({ text: fx.search.text, category: fx.search.category, offset: 0, limit: 5 });
      expect(page.items.length).toBeGreaterThan(0);
      for (const item of page.items) expect(item.category).toBe(fx.search.category);
    });

    it('getCustomers answers accounts with terms, ship-tos and credit as decimal strings', async () => {
      const withList = fx.customerWithPriceList;
      const other = fx.customerWithContractPrices?.id ?? fx.customerWithoutContractPrices;
      const result = await connector.getCustomers([withList.id, fx.unknownCustomer, other]);
      expect(result).toHaveLength(3);
      const account = value<CustomerAccount>(result[0]);
      expect(account.id).toBe(withList.id);
      expect(account.priceListId).toBe(withList.priceListId);
      expect(account.currency).toBe(withList.currency);
      expectErpError(result[1], 'ERP_NOT_FOUND', 'getCustomers');
      expect(value<CustomerAccount>(result[2]).hasContractPrices).toBe(fx.customerWithContractPrices !== undefined);
      for (const customer of [account, value<CustomerAccount>(result[2])]) {
        expect(customer.name).not.toBe('');
        expect(customer.currency).toMatch(/^[A-Z]{3}$/);
        expect(Number.isInteger(customer.paymentTerms.netDays)).toBe(true);
        expect(typeof customer.poRequired).toBe('boolean');
        for (const figure of [customer.credit.balance, customer.credit.openOrders]) expect(figure).toMatch(DECIMAL);
        // No limit at all is `null`, never a stand-in number.
        if (customer.credit.limit !== null) expect(customer.credit.limit).toMatch(DECIMAL);
        expect(typeof customer.credit.onHold).toBe('boolean');
        if (!customer.credit.onHold) expect(customer.credit.holdReason).toBeNull();
        expect(customer.shipTos.length).toBeGreaterThan(0);
        expect(customer.shipTos.filter((a) => a.isDefault).length).toBeLessThanOrEqual(1);
        for (const address of customer.shipTos) expect(address.country).toMatch(/^[A-Z]{2}$/);
      }
    });

    it("getCustomers names each account's primary contact (what erpfront matches a buyer's subject with), or null", async () => {
      expect(fx.primaryContacts.some((p) => p.contact !== null)).toBe(true);
      const result = await connector.getCustomers(fx.primaryContacts.map((p) => p.customerId));
      expect(result.map((r) => value<CustomerAccount>(r).primaryContact)).toEqual(fx.primaryContacts.map((p) => p.contact));
      const [other] = await connector.getCustomers([fx.customerWithPriceList.id]);
      const contact = value<CustomerAccount>(other).primaryContact;
      if (contact !== null) expect(contact).toMatch(/^\S+$/);
    });

    it('getCustomers tells customers without contract prices', async () => {
      const [customer] = await connector.getCustomers([fx.customerWithoutContractPrices]);
      expect(value<CustomerAccount>(customer).hasContractPrices).toBe(false);
    });

    when(can.declares.includes('salesReps'))('getSalesReps answers reps with their customers', async () => {
      const result = await connector.getSalesReps([fx.unknownSalesRep, ...(fx.salesRep ? [fx.salesRep.id] : [])]);
      expectErpError(result[0], 'ERP_NOT_FOUND', 'getSalesReps');
      if (!fx.salesRep) return;
      const rep = value<SalesRep>(result[1]);
      expect(rep.id).toBe(fx.salesRep.id);
      expect(rep.name).not.toBe('');
      expect(rep.customerIds).toEqual(expect.arrayContaining([...fx.salesRep.customerIds]));
    });

    when(can.declares.includes('accountActivity'))(
      'getOpenOrderSummaries and getOpenInvoices answer one entry per customer, in order, failing only the unknown one',
      async () => {
        const ids = [fx.customerWithoutContractPrices, fx.unknownCustomer, fx.customerWithPriceList.id];
        const [orders, invoices] = await Promise.all([connector.getOpenOrderSummaries(ids), connector.getOpenInvoices(ids)]);
        expectErpError(orders[1], 'ERP_NOT_FOUND', 'getOpenOrderSummaries');
        expectErpError(invoices[1], 'ERP_NOT_FOUND', 'getOpenInvoices');
        for (const i of [0, 2]) {
          const summary = value<OpenOrderSummary>(orders[i]);
          expect(summary).toMatchObject({ customerId: ids[i], currency: expect.stringMatching(/^[A-Z]{3}$/) });
          expect(Number.isInteger(summary.count) && summary.count >= 0).toBe(true);
          expect(summary.total).toMatch(DECIMAL);
          const open = value<CustomerOpenInvoices>(invoices[i]);
          expect(open.customerId).toBe(ids[i]);
          for (const invoice of open.invoices) {
            expect(invoice.paid).toBe(false);
            expect(invoice.total).toMatch(DECIMAL);
            expect(invoice.issuedAt).toMatch(ISO_DATE);
            expect(invoice.dueDate).toMatch(ISO_DATE);
          }
        }
        expect(await connector.getOpenOrderSummaries([])).toEqual([]);
      },
    );

    it('getPrices answers each scope, breaks ascending, and null where a scope has no price', async () => {
      const { currency, skuWithBreaks } = fx.listPrice;
      const contract = fx.customerWithContractPrices;
      const keys = [
        { scope: 'list', scopeId: currency, sku: skuWithBreaks },
        { scope: 'priceList', scopeId: fx.customerWithPriceList.priceListId, sku: fx.customerWithPriceList.pricedSku },
        // Without contract prices in the ERP, the price-list entry stands in (and is asked twice).
        contract
          ? ({ scope: 'contract', scopeId: contract.id, sku: contract.contractSku } as const)
          : ({ scope: 'priceList', scopeId: fx.customerWithPriceList.priceListId, sku: fx.customerWithPriceList.pricedSku } as const),
        { scope: 'contract', scopeId: fx.customerWithoutContractPrices, sku: fx.knownSkus[0] },
        { scope: 'list', scopeId: currency, sku: fx.unknownSku },
        { scope: 'list', scopeId: currency, sku: skuWithBreaks },
      ] as const;
      const result = await connector.getPrices(keys);
      expect(result).toHaveLength(keys.length);
      keys.slice(0, 3).forEach((key, i) => {
        const entry = value<PriceEntry>(result[i]);
        expect(entry).toMatchObject({ scope: key.scope, scopeId: key.scopeId, sku: key.sku });
        expectBreaks(entry);
      });
      expect(value<PriceEntry>(result[0]).currency).toBe(currency);
      expect(value<PriceEntry>(result[0]).breaks.length).toBeGreaterThanOrEqual(fx.listPrice.minBreaks ?? 2);
      expect(value<PriceEntry>(result[1]).currency).toBe(fx.customerWithPriceList.currency);
      expect(result[3]).toBeNull();
      expect(result[4]).toBeNull();
      expect(result[5]).toEqual(result[0]);
    });

    it('getStock answers per warehouse, with incoming receipts dated from today on', async () => {
      const [a] = fx.knownSkus;
      const result = await connector.getStock([fx.stock.skuWithIncoming, fx.unknownSku, a]);
      expect(result).toHaveLength(3);
      expectErpError(result[1], 'ERP_NOT_FOUND', 'getStock');
      expect((result[1] as Error).message).toContain(fx.unknownSku);
      const today = new Date().toISOString().slice(0, 10);
      const withIncoming = value<StockRecord>(result[0]);
      expect(withIncoming.sku).toBe(fx.stock.skuWithIncoming);
      expect(value<StockRecord>(result[2]).sku).toBe(a);
      for (const record of [withIncoming, value<StockRecord>(result[2])]) {
        if (record.leadTimeDays !== null) expect(Number.isInteger(record.leadTimeDays)).toBe(true);
        for (const warehouse of record.warehouses) {
          expect(fx.stock.warehouses).toContain(warehouse.code);
          for (const n of [warehouse.onHand, warehouse.reserved, warehouse.safetyStock]) expect(Number.isFinite(n)).toBe(true);
          for (const receipt of warehouse.incoming) {
            expect(receipt.date).toMatch(ISO_DATE);
            expect(receipt.quantity).toBeGreaterThan(0);
          }
        }
      }
      const receipts = withIncoming.warehouses.flatMap((w) => w.incoming);
      // At least one receipt still to come (a real ERP may also list late ones).
      expect(receipts.some((receipt) => receipt.date >= today)).toBe(true);
    });

    when(can.exactPrices)('getPrices answers the exact quantity breaks the ERP computes', async () => {
      const expectedPrices = fx.expectedPrices!;
      const result = await connector.getPrices(expectedPrices.map((p) => p.key));
      expectedPrices.forEach((expected, i) => {
        const entry = value<PriceEntry>(result[i]);
        expect(entry.breaks.map((b) => ({ minQuantity: b.minQuantity, unitPrice: new Big(b.unitPrice).toString() }))).toEqual(
          expected.breaks.map((b) => ({ minQuantity: b.minQuantity, unitPrice: new Big(b.unitPrice).toString() })),
        );
      });
    });

    when(can.exactStock)('getStock answers the exact stock per warehouse, with each receipt at its warehouse and date', async () => {
      const expected = fx.expectedStock!;
      const [record] = await connector.getStock([expected.sku]);
      const warehouses = value<StockRecord>(record).warehouses;
      for (const want of expected.warehouses) {
        const got = warehouses.find((w) => w.code === want.code);
        expect(got, `warehouse ${want.code}`).toBeDefined();
        expect(got!.onHand).toBe(want.onHand);
        expect(got!.incoming).toEqual(want.incoming);
      }
    });

    it('ping resolves while the ERP answers', async () => {
      await expect(connector.ping()).resolves.toBeUndefined();
    });

    when(can.outage)('rejects whole calls with ERP_UNAVAILABLE during an outage, and recovers after', async () => {
      const faults = under.faults!;
      await faults.outage(true);
      try {
        await expectRejection(connector.ping(), 'ERP_UNAVAILABLE', 'ping');
        await expectRejection(connector.getItems([fx.knownSkus[0]]), 'ERP_UNAVAILABLE', 'getItems');
        await expectRejection(connector.getPrices([{ scope: 'list', scopeId: fx.listPrice.currency, sku: fx.knownSkus[0] }]), 'ERP_UNAVAILABLE', 'getPrices');
      } finally {
        await faults.outage(false);
      }
      await expect(connector.ping()).resolves.toBeUndefined();
      expect(value<Item>((await connector.getItems([fx.knownSkus[0]]))[0]).sku).toBe(fx.knownSkus[0]);
    });

    if (can.orders)
      orderScenarios(can.orders, can.outage, {
        connector: () => connector,
        fixtures: () => fx.orders,
        outage: () => under.faults?.outage,
      });

    if (can.orders && can.declares.includes('checkout')) checkoutScenarios({ connector: () => connector, fixtures: () => fx.orders });

    if (can.declares.includes('accounts'))
      accountScenarios(can.outage, {
        connector: () => connector,
        fixtures: () => fx.accounts,
        outage: () => under.faults?.outage,
      });

    const documents: DocumentSuiteContext = {
      connector: () => connector,
      customerId: () => fx.customerWithoutContractPrices,
      skus: () => fx.knownSkus,
      unknownSku: () => fx.unknownSku,
    };
    if (can.declares.includes('quotes')) quoteScenarios(documents);
    if (can.declares.includes('returns')) returnScenarios(documents);
  });
}

function value<T>(entry: T | Error | null | undefined): T {
  if (entry instanceof Error) throw new Error(`expected a value, got ${entry.name}: ${entry.message}`);
  if (entry === null || entry === undefined) throw new Error(`expected a value, got ${String(entry)}`);
  return entry;
}

function expectErpError(entry: unknown, code: ErpError['code'], operation: string): void {
  expect(entry).toBeInstanceOf(ErpError);
  expect(entry).toMatchObject({ code, operation });
}

async function expectRejection(call: Promise<unknown>, code: ErpError['code'], operation: string): Promise<void> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expectErpError(error, code, operation);
}

function expectItemShape(item: Item): void {
  expect(item.name).not.toBe('');
  expect(item.unitOfMeasure).toMatch(/^[A-Z0-9]{2,3}$/);
  expect(typeof item.salable).toBe('boolean');
  if (item.restrictedToPriceLists !== null) expect(Array.isArray(item.restrictedToPriceLists)).toBe(true);
}

function expectBreaks(entry: PriceEntry): void {
  expect(entry.breaks.length).toBeGreaterThan(0);
  entry.breaks.forEach((b, i) => {
    expect(b.unitPrice).toMatch(DECIMAL);
    if (i > 0) expect(b.minQuantity).toBeGreaterThan(entry.breaks[i - 1]!.minQuantity);
  });
}
