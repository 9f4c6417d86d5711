/**
 * The sandbox ERP's own behaviour, over real HTTP: the data set it promises, determinism from
 * the seed, the fault controls and the stats. Raw REST here, no connector, so a connector bug
 * cannot hide a sandbox bug.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerAccount, Item, PriceEntry, SalesRep, StockRecord } from '../../src/ports/erp-connector.ts';
import { startSandboxErp, type RunningSandbox } from '../../src/sandbox-erp/server.ts';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandboxErp({ port: 0 });
});
afterAll(() => sandbox.close());

async function call(path: string, init?: RequestInit, base = sandbox.url): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${base}${path}`, init);
  return { status: response.status, headers: response.headers, body: await response.json() };
}
const get = (path: string, base?: string) => call(path, undefined, base);
const post = (path: string, body: unknown, base?: string) => call(path, { method: 'POST', body: JSON.stringify(body) }, base);
const setFaults = async (faults: Record<string, unknown>) => expect((await post('/__control/faults', faults)).status).toBe(200);
const range = (from: number, to: number, prefix: string, width: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(width, '0')}`);
const FIRST_PAGE = range(1, 48, 'SKU-', 5);

describe('the data set', () => {
  let catalog: Item[];
  beforeAll(async () => {
    catalog = [];
    for (let offset = 0; ; offset += 100) {
      const page = await get(`/api/v1/items?offset=${offset}&limit=100`);
      catalog.push(...page.body.value);
      if (catalog.length >= page.body.total) break;
    }
  });

  it('has at least 5000 items, SKU-00001 on, realistic and varied', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(5000);
    expect(catalog[0]!.sku).toBe('SKU-00001');
    expect(catalog.find((i) => i.sku === 'SKU-05000')).toBeDefined();
    expect(new Set(catalog.map((i) => i.category)).size).toBeGreaterThanOrEqual(8);
    expect([...new Set(catalog.map((i) => i.unitOfMeasure))].sort()).toEqual(['BX', 'EA', 'KGM', 'LTR', 'MTR', 'PK', 'PR', 'RO']);
    expect(new Set(catalog.map((i) => i.name)).size).toBe(catalog.length);
    expect(catalog.filter((i) => !i.salable).length).toBeGreaterThan(5);
    expect(catalog.filter((i) => i.restrictedToPriceLists !== null).length).toBeGreaterThan(5);
    for (const item of catalog.slice(0, 10)) expect(item).toMatchObject({ salable: true, restrictedToPriceLists: null });
  });

  it('answers batches by key, reporting unknown keys as missing', async () => {
    const { status, body } = await get('/api/v1/items?ids=SKU-00002,SKU-99999,SKU-00001');
    expect(status).toBe(200);
    expect(body.value.map((i: Item) => i.sku).sort()).toEqual(['SKU-00001', 'SKU-00002']);
    expect(body.missing).toEqual(['SKU-99999']);
  });

  it('searches text and category with paging', async () => {
    const { body } = await get('/api/v1/items?q=Bolt&category=Fasteners&offset=0&limit=20');
    expect(body.value).toHaveLength(20);
    expect(body.total).toBeGreaterThan(20);
    for (const item of body.value as Item[]) {
      expect(item.category).toBe('Fasteners');
      expect(`${item.name} ${item.description}`.toLowerCase()).toContain('bolt');
    }
  });

  it('has 200 customers with terms, ship-tos and credit; C0002 pays in USD', async () => {
    const { body } = await get(`/api/v1/customers?ids=${range(1, 201, 'C', 4).join(',')}`);
    const customers = body.value as CustomerAccount[];
    expect(customers).toHaveLength(200);
    expect(body.missing).toEqual(['C0201']);
    expect(customers.filter((c) => c.currency === 'EUR').length).toBeGreaterThan(5);
    expect(customers.find((c) => c.id === 'C0002')!.currency).toBe('USD');
    expect(customers.filter((c) => c.credit.onHold && c.credit.holdReason).length).toBeGreaterThanOrEqual(3);
    expect(customers.filter((c) => c.poRequired).length).toBeGreaterThan(10);
    expect(new Set(customers.map((c) => c.paymentTerms.code))).toEqual(new Set(['NET15', 'NET30', 'NET45', 'NET60', '2/10 NET30', 'PREPAID']));
    expect(new Set(customers.map((c) => c.priceListId))).toEqual(new Set(['PL-CONTRACTOR', 'PL-OEM', 'PL-RETAIL', 'PL-DISTRIBUTOR', 'PL-EU-TRADE', null]));
    for (const customer of customers) {
      expect(customer.shipTos.length).toBeGreaterThanOrEqual(1);
      expect(customer.shipTos.length).toBeLessThanOrEqual(3);
      expect(customer.shipTos.filter((a) => a.isDefault)).toHaveLength(1);
      for (const figure of [customer.credit.limit, customer.credit.balance, customer.credit.openOrders]) {
        expect(figure).toMatch(/^\d+\.\d{2}$/);
      }
      if (customer.credit.onHold) expect(customer.credit.holdReason).not.toBe('');
      else expect(customer.credit.holdReason).toBeNull();
    }
  });

  it('has reps R01..R10; R01 has C0001 and C0003, not C0002', async () => {
    const { body } = await get(`/api/v1/sales-reps?ids=${range(1, 10, 'R', 2).join(',')},R11`);
    expect(body.value).toHaveLength(10);
    expect(body.missing).toEqual(['R11']);
    const r01 = (body.value as SalesRep[]).find((r) => r.id === 'R01')!;
    expect(r01.customerIds).toEqual(expect.arrayContaining(['C0001', 'C0003']));
    expect(r01.customerIds).not.toContain('C0002');
  });

  it('stocks the first page in every way: everywhere, one warehouse, incoming only, out', async () => {
    const { body } = await get(`/api/v1/stock?skus=${FIRST_PAGE.join(',')}`);
    const records = body.value as StockRecord[];
    expect(records).toHaveLength(48);
    const today = new Date().toISOString().slice(0, 10);
    const available = (r: StockRecord) => r.warehouses.map((w) => Math.max(0, w.onHand - w.reserved - w.safetyStock));
    const incoming = (r: StockRecord) => r.warehouses.flatMap((w) => w.incoming);
    for (const record of records) {
      expect(record.warehouses.map((w) => w.code)).toEqual(['EAST', 'WEST', 'CENTRAL']);
      for (const receipt of incoming(record)) expect(receipt.date > today).toBe(true);
    }
    expect(records.some((r) => available(r).every((n) => n > 0))).toBe(true);
    expect(records.some((r) => r.warehouses.filter((w) => w.onHand > 0).length === 1)).toBe(true);
    expect(records.some((r) => r.warehouses.every((w) => w.onHand === 0) && incoming(r).length > 0)).toBe(true);
    const out = records.filter((r) => r.warehouses.every((w) => w.onHand === 0) && incoming(r).length === 0);
    expect(out.map((r) => r.sku)).toContain('SKU-00012');
    expect(records.find((r) => r.sku === 'SKU-00047')!.leadTimeDays).toBeNull();
  });

  it('has list prices in USD and EUR, many with quantity breaks', async () => {
    const keys = FIRST_PAGE.flatMap((sku) => ['USD', 'EUR'].map((currency) => ({ scope: 'list', scopeId: currency, sku })));
    const entries = (await post('/api/v1/prices/query', { keys })).body.value as PriceEntry[];
    expect(entries.filter((e) => e.currency === 'USD').length).toBe(48);
    expect(entries.filter((e) => e.currency === 'EUR').length).toBeGreaterThan(40);
    expect(entries.filter((e) => e.breaks.length > 1).length).toBeGreaterThan(20);
  });

  it('makes C0001 and C0002 pay differently: contract beats price list beats list price', async () => {
    const customers = (await get('/api/v1/customers?ids=C0001,C0002')).body.value as CustomerAccount[];
    const [c1, c2] = ['C0001', 'C0002'].map((id) => customers.find((c) => c.id === id)!);
    expect(c1!.priceListId).not.toBe(c2!.priceListId);
    expect(c1!.hasContractPrices).toBe(true);
    const keysFor = (c: CustomerAccount) =>
      FIRST_PAGE.flatMap((sku) => [
        { scope: 'contract', scopeId: c.id, sku },
        { scope: 'priceList', scopeId: c.priceListId, sku },
        { scope: 'list', scopeId: c.currency, sku },
      ]);
    const entries = (await post('/api/v1/prices/query', { keys: [...keysFor(c1!), ...keysFor(c2!)] })).body.value as PriceEntry[];
    const find = (scope: string, scopeId: string | null, sku: string) =>
      entries.find((e) => e.scope === scope && e.scopeId === scopeId && e.sku === sku) ?? null;
    // The buyer's price, straight from the raw entries: the most specific scope with a break covering the quantity.
    const pay = (c: CustomerAccount, sku: string, quantity: number) => {
      for (const entry of [find('contract', c.id, sku), find('priceList', c.priceListId, sku), find('list', c.currency, sku)]) {
        const applied = entry?.breaks.filter((b) => b.minQuantity <= quantity).at(-1);
        if (applied) return { source: entry!.scope, unitPrice: Number(applied.unitPrice) };
      }
      return null;
    };
    const contractSkus = FIRST_PAGE.filter((sku) => find('contract', 'C0001', sku));
    expect(contractSkus.length).toBeGreaterThanOrEqual(3);
    expect(FIRST_PAGE.filter((sku) => find('contract', 'C0002', sku))).toEqual([]);
    const differing = FIRST_PAGE.filter((sku) => pay(c1!, sku, 1)?.unitPrice !== pay(c2!, sku, 1)?.unitPrice);
    expect(differing).toEqual(expect.arrayContaining(contractSkus));
    for (const sku of contractSkus) {
      expect(pay(c1!, sku, 1)).toEqual({ source: 'contract', unitPrice: Number(find('contract', 'C0001', sku)!.breaks[0]!.unitPrice) });
      for (const quantity of [1, 10, 50, 100, 500]) {
        const contract = pay(c1!, sku, quantity)!.unitPrice;
        const withoutContract = [find('priceList', c1!.priceListId, sku), find('list', 'USD', sku)]
          .map((e) => e?.breaks.filter((b) => b.minQuantity <= quantity).at(-1))
          .filter((b) => b !== undefined)
          .map((b) => Number(b.unitPrice));
        for (const other of withoutContract) expect(contract).toBeLessThanOrEqual(other);
      }
    }
    const withBreaks = FIRST_PAGE.find((sku) => (find('list', 'USD', sku)?.breaks.length ?? 0) > 1)!;
    expect(pay(c2!, withBreaks, 100)!.unitPrice).toBeLessThan(pay(c2!, withBreaks, 1)!.unitPrice);
  });
});

describe('determinism', () => {
  it('gives identical answers for the same seed, and others for another seed', async () => {
    const twin = await startSandboxErp({ port: 0, seed: 42 });
    const other = await startSandboxErp({ port: 0, seed: 7 });
    try {
      const skus = ['SKU-00001', 'SKU-00048', 'SKU-01234', 'SKU-04999'].join(',');
      const priceKeys = {
        keys: ['SKU-00002', 'SKU-00017', 'SKU-03000'].flatMap((sku) => [
          { scope: 'contract', scopeId: 'C0001', sku },
          { scope: 'priceList', scopeId: 'PL-OEM', sku },
          { scope: 'list', scopeId: 'EUR', sku },
        ]),
      };
      const answers = (base: string) =>
        Promise.all([
          get(`/api/v1/items?ids=${skus}`, base),
          get('/api/v1/items?q=gloves&offset=5&limit=10', base),
          get('/api/v1/customers?ids=C0001,C0002,C0150', base),
          get('/api/v1/sales-reps?ids=R01,R07', base),
          post('/api/v1/prices/query', priceKeys, base),
          get(`/api/v1/stock?skus=${skus}`, base),
        ]).then((all) => all.map((a) => a.body));
      expect(await answers(twin.url)).toEqual(await answers(sandbox.url));
      expect(await answers(other.url)).not.toEqual(await answers(sandbox.url));
    } finally {
      await Promise.all([twin.close(), other.close()]);
    }
  });
});

describe('faults, stats and reset', () => {
  beforeEach(async () => {
    expect((await post('/__control/reset', {})).status).toBe(200);
  });
  afterAll(async () => {
    await post('/__control/reset', {});
  });

  it('answers 503 during an outage, while the controls keep answering', async () => {
    await setFaults({ outage: true });
    expect(await get('/api/v1/health')).toMatchObject({ status: 503, body: { error: 'ERP is down for maintenance' } });
    expect((await get('/__control/faults')).body.outage).toBe(true);
    await setFaults({ outage: false });
    expect((await get('/api/v1/health')).body.status).toBe('ok');
  });

  it('answers 500 at errorRate 1', async () => {
    await setFaults({ errorRate: 1 });
    expect((await get('/api/v1/items?ids=SKU-00001')).status).toBe(500);
  });

  it('adds latency plus jitter', async () => {
    await setFaults({ latencyMs: 150, jitterMs: 50 });
    const started = performance.now();
    expect((await get('/api/v1/health')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('answers 429 with Retry-After beyond maxConcurrent', async () => {
    await setFaults({ maxConcurrent: 2, latencyMs: 300 });
    const answers = await Promise.all([1, 2, 3].map(() => get('/api/v1/health')));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429]);
    const limited = answers.find((a) => a.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const stats = (await get('/__control/stats')).body;
    expect(stats.maxInFlight).toBe(2);
    expect(stats.rejected.rateLimited).toBe(1);
  });

  it('answers 429 with Retry-After beyond rps, and admits again a second later', async () => {
    await setFaults({ rps: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await get('/api/v1/health'));
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 429]);
    expect(statuses[2]!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect((await get('/api/v1/health')).status).toBe(200);
  });

  it('refuses invalid faults, naming the field', async () => {
    expect(await post('/__control/faults', { errorRate: 1.5 })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^errorRate: /) } });
    expect(await post('/__control/faults', { maxConcurrent: 0 })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^maxConcurrent: /) } });
    expect(await post('/__control/faults', { latency: 5 })).toMatchObject({ status: 400, body: { error: expect.stringContaining('latency') } });
    const invalid = await call('/__control/faults', { method: 'POST', body: '{oops' });
    expect(invalid.status).toBe(400);
    expect((await get('/__control/faults')).body).toEqual({
      latencyMs: 0,
      jitterMs: 0,
      errorRate: 0,
      outage: false,
      maxConcurrent: null,
      rps: null,
      orderStepMs: 30_000,
      dropResponseAfterCommit: false,
      rejectNext: null,
      orderLatencyMs: 0,
      orderLatencyCount: null,
      maxRequestMs: 30_000,
      uniqueExternalRefs: false,
    });
  });

  it('merges partial faults', async () => {
    await setFaults({ latencyMs: 5 });
    expect((await post('/__control/faults', { rps: 100 })).body).toMatchObject({ latencyMs: 5, rps: 100, outage: false });
  });

  it('counts requests by operation, including the ones faults rejected', async () => {
    await get('/api/v1/items?ids=SKU-00001');
    await get('/api/v1/items?q=bolt');
    await get('/api/v1/customers?ids=C0001');
    await get('/api/v1/sales-reps?ids=R01');
    await post('/api/v1/prices/query', { keys: [] });
    await get('/api/v1/stock?skus=SKU-00001');
    await setFaults({ outage: true });
    await get('/api/v1/health');
    await get('/api/v1/items?ids=SKU-00002');
    const stats = (await get('/__control/stats')).body;
    expect(stats).toEqual({
      total: 8,
      byOperation: {
        getItems: 2,
        searchItems: 1,
        getCustomers: 1,
        getSalesReps: 1,
        createCustomer: 0,
        findCustomerByExternalRef: 0,
        getPrices: 1,
        getStock: 1,
        ping: 1,
        createOrder: 0,
        findOrderByExternalRef: 0,
        listOrders: 0,
        cancelOrder: 0,
        createQuote: 0,
        findQuoteByExternalRef: 0,
        getQuotes: 0,
        respondToQuote: 0,
        createReturn: 0,
        findReturnByExternalRef: 0,
        getReturns: 0,
        quoteTotals: 0,
        getOpenOrderSummaries: 0,
        getOpenInvoices: 0,
        getInvoices: 0,
        getInvoiceDocument: 0,
      },
      rejected: { outage: 2, error: 0, rateLimited: 0, timeLimit: 0 },
      inFlight: 0,
      maxInFlight: 1,
    });
  });

  it('resets faults and stats', async () => {
    await setFaults({ outage: true, rps: 5 });
    await get('/api/v1/health');
    await post('/__control/reset', {});
    expect((await get('/__control/faults')).body).toMatchObject({ outage: false, rps: null });
    expect((await get('/__control/stats')).body).toMatchObject({ total: 0, rejected: { outage: 0 } });
  });

  it('refuses oversized batches with a JSON error', async () => {
    const tooMany = range(1, 501, 'SKU-', 5).join(',');
    expect(await get(`/api/v1/items?ids=${tooMany}`)).toMatchObject({ status: 400, body: { error: expect.stringContaining('500') } });
    const keys = Array.from({ length: 1001 }, () => ({ scope: 'list', scopeId: 'USD', sku: 'SKU-00001' }));
    expect(await post('/api/v1/prices/query', { keys })).toMatchObject({ status: 400, body: { error: expect.stringContaining('1000') } });
    expect((await get('/api/v1/items?limit=101')).status).toBe(400);
  });
});
