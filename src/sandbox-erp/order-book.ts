/**
 * The sandbox ERP's orders: the only state it keeps besides faults and counters. Orders are
 * entered after the business rules (`order-rules.ts`), numbered `SO-100001` on, and move on by
 * themselves over time (`order-lifecycle.ts`).
 *
 * Like a real ERP without a unique constraint on the external reference, the book does not
 * deduplicate: the same `externalRef` entered twice is two orders. A facade that submits an
 * order twice shows up in `/__control/orders`.
 *
 * Orders on account count toward the customer's credit: open orders until invoiced, balance
 * after. The data set itself stays immutable; customers are answered with their figures adjusted.
 *
 * @module
 */
import Big from 'big.js';
import type { CustomerAccount, ErpOrder, ErpOrderLine, ErpOrderRequest, ErpOrderStatus } from '../ports/erp-connector.ts';
import type { DataSet } from './data-set.ts';
import { advanceOrder, catchUp, isFinal, openOrder, toErpOrder, type SandboxOrder } from './order-lifecycle.ts';
import { orderTotal, refusalOf, type Refusal } from './order-rules.ts';
import { orderTotals } from './order-totals.ts';

/** An order as `GET /__control/orders` lists it. */
export interface ControlOrderView {
  externalRef: string;
  number: string;
  customerId: string;
  lines: ErpOrderLine[];
  status: ErpOrderStatus;
  createdAt: string;
  total: string;
}

export type CreateResult = { ok: true; order: ErpOrder } | { ok: false; refusal: Refusal };

/** A line changed behind erpfront's back (drift): the line of `sku`, with a new quantity and/or unit price. */
export interface LineChange {
  sku: string;
  quantity?: number;
  unitPrice?: string;
}

export interface OrderBook {
  /** Enters the order, or refuses it: checking and committing happen in one synchronous step. */
  create(request: ErpOrderRequest): CreateResult;
  /** Every order with this reference, oldest first (normally none or one). */
  byExternalRef(externalRef: string): ErpOrder[];
  /** A page of a customer's orders, newest first. */
  byCustomer(customerId: string, offset: number, limit: number): { value: ErpOrder[]; total: number };
  /** Every order of a customer as it stands now, oldest first. */
  ofCustomer(customerId: string): ErpOrder[];
  /** Cancels an order nothing of which has shipped: the order, `unknown`, or `shipped` when too late. */
  cancel(number: string): ErpOrder | 'unknown' | 'shipped';
  /** Moves one order a step on now: the order, `unknown`, or `final` when nothing is left to do. */
  advance(number: string): ErpOrder | 'unknown' | 'final';
  /** Every order, in creation order. */
  list(): ControlOrderView[];
  /**
   * Drift: deletes every order with this reference, as if someone removed it in the ERP; the
   * orders deleted (none when the reference is unknown). Their numbers are not given out again.
   */
  remove(externalRef: string): ErpOrder[];
  /**
   * Drift: changes a line of every order with this reference (its total follows); the orders as
   * changed, `unknown` when no order has the reference, `no-line` when none has a line of the SKU.
   */
  changeLine(externalRef: string, change: LineChange): ErpOrder[] | 'unknown' | 'no-line';
  /** The customer with its credit figures including the sandbox's orders on account. */
  customer(account: CustomerAccount): CustomerAccount;
  /** No orders, numbering from `SO-100001` again; customers' figures back to the data set's. */
  reset(): void;
}

export interface OrderBookOptions {
  /** Milliseconds since the epoch. */
  clock: () => number;
  /** The current pace of order progress; `null` when orders move only when told to. */
  stepMs: () => number | null;
}

export function createOrderBook(data: DataSet, options: OrderBookOptions): OrderBook {
  let orders: SandboxOrder[] = [];
  let byNumber = new Map<string, SandboxOrder>();
  let byRef = new Map<string, SandboxOrder[]>();
  let byCustomerId = new Map<string, SandboxOrder[]>();
  /** The next order's sequence: deleted orders' numbers are never given out again. */
  let nextSeq = 1;

  const contextOf = (order: SandboxOrder) => ({
    seed: data.seed,
    netDays: data.customersById.get(order.request.customerId)?.paymentTerms.netDays ?? 30,
  });
  /** Brings the orders up to the clock before anyone sees them. */
  const fresh = (list: readonly SandboxOrder[]): readonly SandboxOrder[] => {
    const now = options.clock();
    const stepMs = options.stepMs();
    for (const order of list) if (!isFinal(order)) catchUp(order, now, stepMs, contextOf(order));
    return list;
  };

  function withOrders(account: CustomerAccount): CustomerAccount {
    const own = byCustomerId.get(account.id);
    if (!own) return account;
    let openOrders = new Big(account.credit.openOrders);
    let balance = new Big(account.credit.balance);
    for (const order of fresh(own)) {
      if (order.request.payment.method !== 'ON_ACCOUNT' || order.status === 'CANCELLED') continue;
      if (order.status === 'INVOICED') balance = balance.plus(order.total);
      else openOrders = openOrders.plus(order.total);
    }
    return { ...account, credit: { ...account.credit, openOrders: openOrders.toFixed(2), balance: balance.toFixed(2) } };
  }

  return {
    create(request) {
      const base = data.customersById.get(request.customerId);
      const total = orderTotal(request.lines);
      const refusal = refusalOf(request, data, base && withOrders(base), total);
      if (refusal) return { ok: false, refusal };
      // The refusal rules checked the ship-to: it is one of the customer's addresses.
      const shipTo = base!.shipTos.find((address) => address.id === request.shipToId)!;
      const order = openOrder(nextSeq++, structuredClone(request), total, options.clock(), orderTotals(request.lines, shipTo, request.currency));
      orders.push(order);
      byNumber.set(order.number, order);
      push(byRef, request.externalRef, order);
      push(byCustomerId, request.customerId, order);
      return { ok: true, order: toErpOrder(order) };
    },

    byExternalRef(externalRef) {
      return fresh(byRef.get(externalRef) ?? []).map(toErpOrder);
    },

    byCustomer(customerId, offset, limit) {
      const own = byCustomerId.get(customerId) ?? [];
      // Newest first: the list is in creation order, so the page is taken from the end.
      const end = Math.max(0, own.length - offset);
      const page = own.slice(Math.max(0, end - limit), end).reverse();
      return { value: fresh(page).map(toErpOrder), total: own.length };
    },

    ofCustomer(customerId) {
      return fresh(byCustomerId.get(customerId) ?? []).map(toErpOrder);
    },

    cancel(number) {
      const order = byNumber.get(number);
      if (!order) return 'unknown';
      fresh([order]);
      if (order.status !== 'OPEN' && order.status !== 'CANCELLED') return 'shipped';
      order.status = 'CANCELLED';
      return toErpOrder(order);
    },

    advance(number) {
      const order = byNumber.get(number);
      if (!order) return 'unknown';
      fresh([order]);
      return advanceOrder(order, options.clock(), contextOf(order)) ? toErpOrder(order) : 'final';
    },

    list() {
      return fresh(orders).map((order) => ({
        externalRef: order.request.externalRef,
        number: order.number,
        customerId: order.request.customerId,
        lines: order.request.lines.map((line) => ({ ...line })),
        status: order.status,
        createdAt: new Date(order.createdAtMs).toISOString(),
        total: order.total,
      }));
    },

    remove(externalRef) {
      const gone = byRef.get(externalRef) ?? [];
      if (gone.length === 0) return [];
      const removed = fresh(gone).map(toErpOrder);
      const dropped = new Set(gone);
      orders = orders.filter((o) => !dropped.has(o));
      byRef.delete(externalRef);
      for (const order of gone) {
        byNumber.delete(order.number);
        const own = (byCustomerId.get(order.request.customerId) ?? []).filter((o) => !dropped.has(o));
        byCustomerId.set(order.request.customerId, own);
      }
      return removed;
    },

    changeLine(externalRef, change) {
      const held = fresh(byRef.get(externalRef) ?? []);
      if (held.length === 0) return 'unknown';
      const lines = held.flatMap((order) => order.request.lines.filter((line) => line.sku === change.sku).map((line) => ({ order, line })));
      if (lines.length === 0) return 'no-line';
      for (const { line } of lines) {
        if (change.quantity !== undefined) line.quantity = change.quantity;
        if (change.unitPrice !== undefined) line.unitPrice = change.unitPrice;
      }
      for (const order of new Set(lines.map((l) => l.order))) {
        order.total = orderTotal(order.request.lines);
        const shipTo = data.customersById.get(order.request.customerId)?.shipTos.find((address) => address.id === order.request.shipToId);
        order.totals = shipTo ? orderTotals(order.request.lines, shipTo, order.request.currency) : null;
      }
      return held.map(toErpOrder);
    },

    customer: withOrders,

    reset() {
      orders = [];
      byNumber = new Map();
      byRef = new Map();
      byCustomerId = new Map();
      nextSeq = 1;
    },
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
