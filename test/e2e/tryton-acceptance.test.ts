/**
 * erpfront against a real Tryton 6.0, both as their own processes (Tryton started by the
 * project's script): the acceptance lines, over GraphQL, checked again in Tryton itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrytonConnector } from '../../src/adapters/erp/tryton/index.ts';
import { eventually } from '../support/orders.ts';
import { startErpfrontOnTryton, startTryton, TRYTON_USER, trytonAvailable, type RunningTryton, TRYTON_TEST_TIMEOUT_MS } from '../support/tryton.ts';

const available = trytonAvailable('Tryton end-to-end acceptance');

const PRICES = /* GraphQL */ `query($skus: [ID!]!, $q: Float) {
  products(skus: $skus) { sku price(quantity: $q) { unitPrice { amount currency } source breaks { minQuantity unitPrice { amount } } } } }`;
const AVAILABILITY = /* GraphQL */ `query($sku: ID!) {
  product(sku: $sku) { availability(quantity: 1) { status warehouses { code onHand reserved available incoming { date quantity } } } } }`;
const CREDIT = /* GraphQL */ `{ viewer { customer { id priceListId creditStatus { limit { amount currency } balance { amount } openOrders { amount } exposure { amount } available { amount } } } } }`;
const PLACE = /* GraphQL */ `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id status erpOrderNumber total { amount } creditDecision { decision reason } } userErrors { code message } creditDecision { decision reason } } }`;
const ORDER = /* GraphQL */ `query($id: ID!) { order(id: $id) { id status erpOrderNumber creditDecision { decision reason } stale } }`;
const HELD = /* GraphQL */ `query($id: ID!) {
  order(id: $id) { id status erpOrderNumber holdReason { code message } }
  orders(first: 50) { edges { node { id status holdReason { code message } } } } }`;

describe.skipIf(!available)('erpfront on Tryton', () => {
  let tryton: RunningTryton;
  let stack: Awaited<ReturnType<typeof startErpfrontOnTryton>>;
  /** Reads Tryton's sales directly, as a person in Tryton's client would see them. */
  let sales: (references: string[]) => Promise<Array<{ reference: string; state: string; number: string }>>;

  beforeAll(async () => {
    tryton = await startTryton();
    stack = await startErpfrontOnTryton(tryton, { BREAKER_COOLDOWN_SECONDS: '1', BREAKER_FAILURE_THRESHOLD: '2', FRESHNESS_CREDIT_SECONDS: '1' });
    const direct = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: TRYTON_TEST_TIMEOUT_MS });
    sales = async (references) =>
      (await direct.rpc.model('test', 'sale.sale', 'search_read', [
        [['reference', 'in', references]],
        0,
        null,
        [['id', 'ASC']],
        ['reference', 'state', 'number'],
      ])) as Array<{
        reference: string;
        state: string;
        number: string;
      }>;
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await tryton?.close();
  });

  it('Globex sees SKU-1006 at 135.00 for 1 and 125.00 for 10, SKU-1001 at 11.25 for 10; Initech sees list prices', async () => {
    const globex = await stack.buyerToken('GLOBEX');
    const one = await stack.graphql(PRICES, { skus: ['SKU-1006', 'SKU-1001'], q: 1 }, globex);
    const ten = await stack.graphql(PRICES, { skus: ['SKU-1006', 'SKU-1001'], q: 10 }, globex);
    expect(one.products[0].price).toMatchObject({ unitPrice: { amount: '135.00', currency: 'USD' }, source: 'PRICE_LIST' });
    expect(one.products[0].price.breaks).toEqual([
      { minQuantity: 0, unitPrice: { amount: '135.00' } },
      { minQuantity: 10, unitPrice: { amount: '125.00' } },
    ]);
    expect(ten.products[0].price.unitPrice.amount).toBe('125.00');
    expect(ten.products[1].price).toMatchObject({ unitPrice: { amount: '11.25' }, source: 'PRICE_LIST' });
    const initech = await stack.graphql(PRICES, { skus: ['SKU-1006', 'SKU-1001'], q: 10 }, await stack.buyerToken('INITECH'));
    expect(initech.products.map((p: any) => [p.price.unitPrice.amount, p.price.source])).toEqual([
      ['149.00', 'LIST'],
      ['12.50', 'LIST'],
    ]);
  });

  it('SKU-1006 shows both warehouses with their own quantities, and the incoming receipt at West with its date', async () => {
    const { product } = await stack.graphql(AVAILABILITY, { sku: 'SKU-1006' }, await stack.buyerToken('GLOBEX'));
    const today = new Date();
    const inAWeek = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 7)).toISOString().slice(0, 10);
    expect(product.availability.status).toBe('IN_STOCK');
    expect(product.availability.warehouses).toEqual([
      // East: 25 on hand, 5 reserved by Initech's open sale.
      { code: 'WH', onHand: 25, reserved: 5, available: 20, incoming: [] },
      { code: 'WH2', onHand: 8, reserved: 0, available: 8, incoming: [{ date: inAWeek, quantity: 20 }] },
    ]);
  });

  it('Globex’s credit shows the 5000 limit and its exposure', async () => {
    const { viewer } = await stack.graphql(CREDIT, {}, await stack.buyerToken('GLOBEX'));
    expect(viewer.customer.priceListId).toBe(String(tryton.ids.price_list_id));
    expect(viewer.customer.creditStatus).toMatchObject({
      limit: { amount: '5000.00', currency: 'USD' },
      balance: { amount: '0.00' },
      openOrders: { amount: '0.00' },
      exposure: { amount: '0.00' },
    });
  });

  it('Initech, for whom Tryton sets no credit limit, shows none: limit and available are null', async () => {
    const { viewer } = await stack.graphql(CREDIT, {}, await stack.buyerToken('INITECH'));
    expect(viewer.customer.creditStatus).toMatchObject({ limit: null, available: null, exposure: { amount: expect.stringMatching(/^\d+\.\d{2}$/) } });
  });

  it('a sales rep gets a clear ERP_NOT_SUPPORTED, never a 500: Tryton assigns no customers to reps', async () => {
    const token = await stack.repToken('R01');
    const post = (query: string, headers: Record<string, string> = {}) =>
      fetch(`${stack.erpfront.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}`, ...headers },
        body: JSON.stringify({ query }),
      });
    // Acting for a customer: the assignment cannot be checked in an ERP that has none.
    const actingFor = await post('{ viewer { subject } }', { 'x-customer-id': 'GLOBEX' });
    expect(actingFor.status).toBe(501);
    const refusal = (await actingFor.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(refusal.errors[0]!.extensions.code).toBe('ERP_NOT_SUPPORTED');
    expect(refusal.errors[0]!.message).toContain('assigns no customers to sales reps');
    // The rep's own view: the rest answers, the assigned customers say why they are missing.
    const own = await post('{ viewer { roles assignedCustomers { id } } }');
    expect(own.status).toBe(200);
    const body = (await own.json()) as {
      data: { viewer: { roles: string[]; assignedCustomers: unknown } };
      errors: Array<{ path: string[]; extensions: { code: string } }>;
    };
    expect(body.data.viewer).toEqual({ roles: ['REP'], assignedCustomers: null });
    expect(body.errors.map((e) => [e.path.join('.'), e.extensions.code])).toEqual([['viewer.assignedCustomers', 'ERP_NOT_SUPPORTED']]);
  });

  it('an order for Globex reaches Tryton as a confirmed sale whose reference is erpfront’s order id', async () => {
    const token = await stack.buyerToken('GLOBEX');
    const { placeOrder } = await stack.graphql(
      PLACE,
      {
        input: {
          idempotencyKey: 'tryton-accept-1',
          poNumber: 'PO-77',
          lines: [
            { sku: 'SKU-1001', quantity: 12 },
            { sku: 'SKU-1006', quantity: 3 },
          ],
        },
      },
      token,
    );
    expect(placeOrder.userErrors).toEqual([]);
    // SUBMITTED when Tryton confirmed it within ORDER_SUBMIT_WAIT_MS; on a busy machine Tryton's
    // confirm-and-process can take longer, and the order is answered QUEUED, then submitted.
    expect(['SUBMITTED', 'QUEUED']).toContain(placeOrder.order.status);
    // erpfront's total is before tax: 12 × 11.25 + 3 × 135.00.
    expect(placeOrder.order.total.amount).toBe('540.00');
    const { order } = await eventually(
      () => stack.graphql(ORDER, { id: placeOrder.order.id }, token),
      (v) => v.order.status === 'SUBMITTED',
      20_000,
      250,
    );
    const [sale] = await sales([placeOrder.order.id]);
    expect(sale).toMatchObject({ reference: placeOrder.order.id, state: 'processing', number: order.erpOrderNumber });
    // Tryton now counts it in Globex's exposure (untaxed, as Tryton's credit amount does).
    const { viewer } = await eventually(
      () => stack.graphql(CREDIT, {}, token),
      (v) => v.viewer.customer.creditStatus.openOrders.amount === '540.00',
      20_000,
      500,
    );
    expect(viewer.customer.creditStatus).toMatchObject({ openOrders: { amount: '540.00' }, exposure: { amount: '540.00' }, available: { amount: '4460.00' } });
  });

  it('an order past the credit limit ends ON_HOLD with the credit reason, and in Tryton stays a quotation', async () => {
    const token = await stack.buyerToken('GLOBEX');
    const { placeOrder } = await stack.graphql(
      PLACE,
      {
        input: {
          idempotencyKey: 'tryton-over-limit',
          lines: [
            { sku: 'SKU-1001', quantity: 300 },
            { sku: 'SKU-1004', quantity: 300 },
            { sku: 'SKU-1002', quantity: 100 },
          ],
        },
      },
      token,
    );
    // erpfront's own check sees it first: held for review, not sent.
    expect(placeOrder.order.status).toBe('ON_HOLD');
    expect(placeOrder.creditDecision).toEqual({ decision: 'REVIEW', reason: 'CREDIT_LIMIT_EXCEEDED' });
    expect(await sales([placeOrder.order.id])).toEqual([]);
    // Operations release it; Tryton's credit limit refuses to confirm it: a quotation, ON_HOLD.
    const ops = await stack.opsToken();
    const released = await stack.graphql(
      'mutation($id: ID!) { releaseOrder(id: $id) { order { status } userErrors { code } } }',
      { id: placeOrder.order.id },
      ops,
    );
    expect(released.releaseOrder.userErrors).toEqual([]);
    const order = await eventually(
      async () => (await stack.graphql(ORDER, { id: placeOrder.order.id }, token)).order,
      (o) => o.erpOrderNumber !== null,
      30_000,
    );
    expect(order).toMatchObject({ status: 'ON_HOLD', creditDecision: { decision: 'REVIEW', reason: 'CREDIT_LIMIT_EXCEEDED' }, stale: false });
    const inTryton = await sales([placeOrder.order.id]);
    expect(inTryton).toEqual([expect.objectContaining({ reference: placeOrder.order.id, state: 'quotation', number: order.erpOrderNumber })]);
    // The buyer sees why Tryton holds it, in the order and in the order list: Tryton's credit limit.
    const held = await stack.graphql(HELD, { id: placeOrder.order.id }, token);
    const trytonsReason = { code: 'CREDIT_LIMIT_EXCEEDED', message: expect.stringMatching(/credit limit of \$?5,?000\.00/) };
    expect(held.order).toMatchObject({ status: 'ON_HOLD', holdReason: trytonsReason });
    expect(held.order.holdReason.message).toContain('Globex');
    expect(held.orders.edges.map((e: any) => e.node).find((n: any) => n.id === placeOrder.order.id)).toMatchObject({
      status: 'ON_HOLD',
      holdReason: trytonsReason,
    });
    // A confirmed sale has no hold reason.
    expect(
      held.orders.edges
        .map((e: any) => e.node)
        .filter((n: any) => n.status === 'SUBMITTED')
        .map((n: any) => n.holdReason),
    ).toEqual(expect.arrayContaining([null]));
    expect(held.orders.edges.map((e: any) => e.node).filter((n: any) => n.status !== 'ON_HOLD' && n.holdReason !== null)).toEqual([]);
  });

  it('Tryton stopped: orders queue; Tryton started: each reaches Tryton exactly once', async () => {
    const token = await stack.buyerToken('INITECH');
    // The buyer browsed before: customer and prices are cached, so orders can be accepted offline.
    await stack.graphql(PRICES, { skus: ['SKU-1001', 'SKU-1002'], q: 1 }, token);
    await stack.graphql(CREDIT, {}, token);
    await tryton.stop();
    const ids: string[] = [];
    try {
      for (let n = 0; n < 3; n++) {
        const { placeOrder } = await stack.graphql(
          PLACE,
          { input: { idempotencyKey: `tryton-outage-${n}`, lines: [{ sku: n % 2 ? 'SKU-1002' : 'SKU-1001', quantity: 1 + n }] } },
          token,
        );
        expect(placeOrder.userErrors).toEqual([]);
        expect(placeOrder.order.status).toBe('QUEUED');
        ids.push(placeOrder.order.id);
      }
      expect(await sales(ids).catch(() => 'down')).toBe('down');
    } finally {
      await tryton.start();
    }
    const statuses = await eventually(
      () => Promise.all(ids.map(async (id) => (await stack.graphql(ORDER, { id }, token)).order.status as string)),
      (s) => s.every((status) => status === 'SUBMITTED'),
      60_000,
      500,
    );
    expect(statuses).toEqual(['SUBMITTED', 'SUBMITTED', 'SUBMITTED']);
    const inTryton = await sales(ids);
    expect(inTryton.map((s) => s.reference).sort()).toEqual([...ids].sort());
    expect(new Set(inTryton.map((s) => s.state))).toEqual(new Set(['processing']));
  });
});
