/**
 * The order scenarios of the ErpConnector conformance suite (registered by
 * `runErpConnectorContract` when the fixtures have `orders`). Connector-agnostic: every order is
 * built from the fixtures, and every external reference is new, because a real ERP keeps the
 * orders of earlier runs.
 *
 * @module
 */
import Big from 'big.js';
import { expect, it } from 'vitest';
import type { ErpConnector, ErpOrder, ErpOrderRequest } from '../../src/ports/erp-connector.ts';
import { ErpError } from '../../src/ports/erp-error.ts';

/** An order without its external reference: the suite gives each one a new reference. */
export type OrderDraft = Omit<ErpOrderRequest, 'externalRef'>;

/** What the order scenarios need to know about the ERP. */
export interface OrderFixtures {
  /**
   * An order on account the ERP accepts, with at least two lines, and may accept several times
   * (the suite enters a few): a customer in good standing, its ship-to and currency, items it buys.
   */
  accepted: OrderDraft;
  /** The total the ERP computes for `accepted` (taxes included, if the ERP adds any). */
  acceptedTotal: string;
  /** An order the ERP refuses (e.g. from a customer on credit hold), and the reason it gives. */
  refused: { order: OrderDraft; reason: string };
  /**
   * An order the ERP enters but holds for a person (Tryton: a sale over the credit limit stays a
   * quotation); absent when the ERP refuses such orders instead.
   */
  held?: OrderDraft;
  /** Whether `createOrder` itself finds an order entered earlier with the same reference. */
  deduplicatesByReference?: boolean;
}

/** What the scenarios reach of the running suite (read when a test runs, after `beforeAll`). */
export interface OrderSuiteContext {
  connector(): ErpConnector;
  fixtures(): OrderFixtures | undefined;
  outage(): ((on: boolean) => Promise<void>) | undefined;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A reference no run has used before. */
export function newExternalRef(): string {
  return `erpfront-contract-${crypto.randomUUID()}`;
}

/** Registers the order scenarios inside the suite's `describe`, for what the ERP does. */
export function orderScenarios(can: { holdsOrders: boolean; deduplicatesByReference: boolean }, canStop: boolean, suite: OrderSuiteContext): void {
  const setup = () => {
    const fixtures = suite.fixtures();
    if (!fixtures) throw new Error('the connector declares it takes orders, but its fixtures have no `orders`');
    return { connector: suite.connector(), fx: fixtures };
  };
  const when = (condition: boolean) => (condition ? it : () => {});

  it('createOrder enters an OPEN order, which findOrderByExternalRef finds with the same lines and total', async () => {
    const { connector, fx } = setup();
    const externalRef = newExternalRef();
    const before = Date.now();
    const created = await connector.createOrder({ ...fx.accepted, externalRef });
    expectOrderFor(created, { ...fx.accepted, externalRef }, fx.acceptedTotal);
    expect(created.status).toBe('OPEN');
    expect(created.shipments).toEqual([]);
    expect(created.invoices).toEqual([]);
    for (const line of created.lines) expect(line.shippedQuantity).toBe(0);
    // Allow for the ERP's clock being a few minutes off ours.
    expect(Math.abs(Date.parse(created.createdAt) - before)).toBeLessThan(5 * 60_000);

    const found = await connector.findOrderByExternalRef(externalRef);
    expect(found).not.toBeNull();
    expect(found!.number).toBe(created.number);
    expectOrderFor(found!, { ...fx.accepted, externalRef }, fx.acceptedTotal);
  });

  it('findOrderByExternalRef answers null for a reference the ERP does not know', async () => {
    const { connector } = setup();
    expect(await connector.findOrderByExternalRef(newExternalRef())).toBeNull();
  });

  it('createOrder rejects a refused order with ERP_REJECTED and the ERP’s reason, and enters nothing', async () => {
    const { connector, fx } = setup();
    const externalRef = newExternalRef();
    const error = await connector.createOrder({ ...fx.refused.order, externalRef }).then(
      (order) => {
        throw new Error(`expected a refusal, the ERP entered ${order.number}`);
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ErpError);
    expect(error).toMatchObject({ code: 'ERP_REJECTED', operation: 'createOrder', reason: fx.refused.reason, transient: false });
    expect((error as Error).message).not.toBe('');
    expect(await connector.findOrderByExternalRef(externalRef)).toBeNull();
  });

  when(can.holdsOrders)('createOrder answers ON_HOLD for an order the ERP holds, and entering it again changes nothing', async () => {
    const { connector, fx } = setup();
    const externalRef = newExternalRef();
    const held = await connector.createOrder({ ...fx.held!, externalRef });
    expect(held.status).toBe('ON_HOLD');
    expect(held.externalRef).toBe(externalRef);
    // The ERP's reason travels with the order: a code, and words a buyer can read.
    const reason = { code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/), message: expect.stringMatching(/\S/) };
    expect(held.holdReason).toEqual(reason);
    // A retry after a lost reply sends the same order again: the ERP still holds one, the same.
    const again = await connector.createOrder({ ...fx.held!, externalRef });
    expect(again.number).toBe(held.number);
    expect(again.status).toBe('ON_HOLD');
    const found = await connector.findOrderByExternalRef(externalRef);
    expect(found).toMatchObject({ number: held.number, status: 'ON_HOLD', holdReason: reason });
    // The same reason, in the same words, whether just entered or read back later.
    expect(found?.holdReason).toEqual(held.holdReason);
    const listed = await connector.listOrders(fx.held!.customerId, { offset: 0, limit: 50 });
    expect(listed.orders.filter((o) => o.externalRef === externalRef)).toHaveLength(1);
  });

  it('declares what its ERP does with a reference it holds already: resumes the entry, refuses a duplicate, or enters a second', async () => {
    const { connector, fx } = setup();
    expect(connector.resumesOrderEntry).toBe(can.deduplicatesByReference);
    const externalRef = newExternalRef();
    const first = await connector.createOrder({ ...fx.accepted, externalRef });
    const second = await connector.createOrder({ ...fx.accepted, externalRef }).then(
      (order) => order,
      (e: unknown) => e,
    );
    if (connector.refusesDuplicateExternalRef) {
      // The dispatcher resends an order in doubt at once on such an ERP: it must really refuse.
      expect(second).toBeInstanceOf(ErpError);
      expect(second).toMatchObject({ code: 'ERP_DUPLICATE_REF', operation: 'createOrder', transient: false });
      expect((await connector.findOrdersByExternalRef(externalRef)).map((o) => o.number)).toEqual([first.number]);
    } else if (can.deduplicatesByReference) {
      expect((second as ErpOrder).number).toBe(first.number);
      expect((second as ErpOrder).status).toBe(first.status);
      expect((await connector.findOrdersByExternalRef(externalRef)).map((o) => o.number)).toEqual([first.number]);
    } else {
      // Two orders: erpfront must look an order up (and respect the ERP's time limit) before sending it again.
      expect((second as ErpOrder).number).not.toBe(first.number);
      expect((await connector.findOrderByExternalRef(externalRef))?.number).toBe(first.number);
      expect((await connector.findOrdersByExternalRef(externalRef)).map((o) => o.number)).toEqual([first.number, (second as ErpOrder).number]);
    }
    expect(await connector.findOrdersByExternalRef(newExternalRef())).toEqual([]);
  });

  it('listOrders pages a customer’s orders, newest first', async () => {
    const { connector, fx } = setup();
    const older = await connector.createOrder({ ...fx.accepted, externalRef: newExternalRef() });
    const newer = await connector.createOrder({ ...fx.accepted, externalRef: newExternalRef() });
    const page = await connector.listOrders(fx.accepted.customerId, { offset: 0, limit: 20 });
    expect(page.total).toBeGreaterThanOrEqual(2);
    const numbers = page.orders.map((o) => o.number);
    expect(numbers).toContain(older.number);
    expect(numbers).toContain(newer.number);
    expect(numbers.indexOf(newer.number)).toBeLessThan(numbers.indexOf(older.number));
    for (const order of page.orders) expect(order.customerId).toBe(fx.accepted.customerId);
    const listed = page.orders.find((o) => o.number === newer.number)!;
    expectOrderFor(listed, { ...fx.accepted, externalRef: newer.externalRef! }, fx.acceptedTotal);

    const second = await connector.listOrders(fx.accepted.customerId, { offset: 1, limit: 1 });
    expect(second.orders).toHaveLength(1);
    expect(second.orders[0]!.number).toBe(page.orders[1]!.number);
  });

  when(canStop)('createOrder rejects with ERP_UNAVAILABLE during an outage, and enters nothing', async () => {
    const { connector, fx } = setup();
    const outage = suite.outage();
    if (!outage) throw new Error('the connector declares it can be stopped, but gave no outage switch');
    const externalRef = newExternalRef();
    await outage(true);
    try {
      const error = await connector.createOrder({ ...fx.accepted, externalRef }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ErpError);
      expect(error).toMatchObject({ code: 'ERP_UNAVAILABLE', operation: 'createOrder', transient: true });
    } finally {
      await outage(false);
    }
    expect(await connector.findOrderByExternalRef(externalRef)).toBeNull();
  });
}

/**
 * The order is the request as entered: same customer, reference, PO, currency, lines and total.
 * Money is compared as numbers, since an ERP may answer `"21.4100"` for `"21.41"`.
 */
function expectOrderFor(order: ErpOrder, request: ErpOrderRequest, total: string): void {
  expect(order.number).toMatch(/\S/);
  expect(order).toMatchObject({
    externalRef: request.externalRef,
    customerId: request.customerId,
    poNumber: request.poNumber,
    currency: request.currency,
  });
  expect(order.total).toMatch(DECIMAL);
  expect(new Big(order.total).toString()).toBe(new Big(total).toString());
  const comparable = (lines: ErpOrderRequest['lines']) =>
    lines.map(({ sku, quantity, unitPrice, unitOfMeasure }) => ({ sku, quantity, unitPrice: new Big(unitPrice).toString(), unitOfMeasure }));
  expect(comparable(order.lines)).toEqual(comparable(request.lines));
}
