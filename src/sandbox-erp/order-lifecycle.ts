/**
 * How a sandbox order moves on after it is created, one step at a time:
 * OPEN → PARTIALLY_SHIPPED (part of the lines) → SHIPPED (the rest) → INVOICED.
 *
 * No timers: an order is brought up to date when it is read ({@link catchUp}), each due step
 * dated when it fell due (`lastStepAt + stepMs`), so the same clock gives the same shipments and
 * invoices however often, or seldom, the order is looked at. Once a step has happened it is
 * kept as it was: changing the pace later moves only the steps still to come.
 *
 * @module
 */
import Big from 'big.js';
import type { ErpOrder, ErpOrderRequest, ErpOrderStatus, ErpOrderTotals, Invoice, Shipment } from '../ports/erp-connector.ts';
import { isoDateAfter } from './data-set.ts';
import { rng, type Rng } from './prng.ts';

/** The first order number is `SO-100001`; invoices and shipments reuse the digits. */
export const ORDER_NUMBER_BASE = 100_000;

const CARRIERS = ['UPS', 'FedEx', 'DHL'] as const;
type Carrier = (typeof CARRIERS)[number];

/** An order as the sandbox keeps it: the request as accepted, plus what has happened since. */
export interface SandboxOrder {
  readonly seq: number;
  readonly number: string;
  readonly request: ErpOrderRequest;
  /** Two decimals, in the order's currency; recomputed when a test changes a line (drift). */
  total: string;
  /** Subtotal, tax, shipping and total (`order-totals.ts`); recomputed with `total`. */
  totals: ErpOrderTotals | null;
  readonly createdAtMs: number;
  status: ErpOrderStatus;
  /** When the last step happened (creation at first); the next one is due a step later. */
  lastStepAtMs: number;
  /** Quantity shipped so far, per line (same index as `request.lines`). */
  shipped: number[];
  shipments: Shipment[];
  invoices: Invoice[];
}

/** What a step needs to know beyond the order. */
export interface StepContext {
  /** The data set's seed: carriers and tracking numbers derive from it. */
  seed: number;
  /** The customer's payment terms, for the invoice's due date. */
  netDays: number;
}

/** A new order, OPEN, with nothing shipped. */
export function openOrder(seq: number, request: ErpOrderRequest, total: string, createdAtMs: number, totals: ErpOrderTotals | null = null): SandboxOrder {
  return {
    seq,
    number: `SO-${ORDER_NUMBER_BASE + seq}`,
    request,
    total,
    totals,
    createdAtMs,
    status: 'OPEN',
    lastStepAtMs: createdAtMs,
    shipped: request.lines.map(() => 0),
    shipments: [],
    invoices: [],
  };
}

/** True once nothing more will happen to the order. */
export function isFinal(order: SandboxOrder): boolean {
  return order.status === 'INVOICED' || order.status === 'CANCELLED';
}

/**
 * Applies every step that fell due by `nowMs` at `stepMs` apart; `stepMs` null means orders move
 * only when told to ({@link advanceOrder}).
 */
export function catchUp(order: SandboxOrder, nowMs: number, stepMs: number | null, context: StepContext): void {
  if (stepMs === null) return;
  // Three steps at most lead from OPEN to INVOICED; the bound keeps a bad clock from looping.
  for (let i = 0; i < 3 && !isFinal(order) && order.lastStepAtMs + stepMs <= nowMs; i++) {
    advanceOrder(order, order.lastStepAtMs + stepMs, context);
  }
}

/** Moves the order one step on, dated `atMs`. Returns false when it was already final. */
export function advanceOrder(order: SandboxOrder, atMs: number, context: StepContext): boolean {
  if (isFinal(order)) return false;
  if (order.status === 'OPEN') {
    const part = partialShipment(order.request.lines);
    if (part) {
      ship(order, part, atMs, context);
      order.status = 'PARTIALLY_SHIPPED';
    } else {
      // A single line of one unit cannot go out in part: it ships whole, straight to SHIPPED.
      ship(order, remaining(order), atMs, context);
      order.status = 'SHIPPED';
    }
  } else if (order.status === 'PARTIALLY_SHIPPED') {
    ship(order, remaining(order), atMs, context);
    order.status = 'SHIPPED';
  } else {
    order.invoices.push(invoiceFor(order, atMs, context));
    order.status = 'INVOICED';
  }
  order.lastStepAtMs = atMs;
  return true;
}

/** The order in the port's shape: what the API answers. */
export function toErpOrder(order: SandboxOrder): ErpOrder {
  const { request } = order;
  return {
    number: order.number,
    externalRef: request.externalRef,
    customerId: request.customerId,
    status: order.status,
    poNumber: request.poNumber,
    createdAt: new Date(order.createdAtMs).toISOString(),
    currency: request.currency,
    total: order.total,
    totals: order.totals && { ...order.totals },
    lines: request.lines.map((line, i) => ({ ...line, shippedQuantity: order.shipped[i] ?? 0 })),
    shipments: order.shipments.map((s) => ({ ...s, lines: s.lines.map((l) => ({ ...l })) })),
    invoices: order.invoices.map((invoice) => ({ ...invoice })),
  };
}

/**
 * The first shipment, as quantities per line: the first half of the lines in full, or half of a
 * single line's quantity; `null` when the order cannot be split (one line of less than two units).
 */
function partialShipment(lines: ErpOrderRequest['lines']): number[] | null {
  if (lines.length >= 2) {
    const shipNow = Math.ceil(lines.length / 2);
    return lines.map((line, i) => (i < shipNow ? line.quantity : 0));
  }
  const half = Math.floor((lines[0]?.quantity ?? 0) / 2);
  return half >= 1 ? [half] : null;
}

/** What is left to ship, per line; `Big` so that 2.7 − 1 is 1.7, not 1.7000000000000002. */
function remaining(order: SandboxOrder): number[] {
  return order.request.lines.map((line, i) => Number(new Big(line.quantity).minus(order.shipped[i] ?? 0)));
}

function ship(order: SandboxOrder, quantities: number[], atMs: number, context: StepContext): void {
  const index = order.shipments.length + 1;
  const draw = rng(context.seed, 'order-shipment', order.seq, index);
  const carrier = rng(context.seed, 'order-carrier', order.seq).pick(CARRIERS);
  const lines: Shipment['lines'] = [];
  quantities.forEach((quantity, i) => {
    if (quantity <= 0) return;
    order.shipped[i] = Number(new Big(order.shipped[i] ?? 0).plus(quantity));
    lines.push({ sku: order.request.lines[i]!.sku, quantity });
  });
  order.shipments.push({
    id: `SH-${ORDER_NUMBER_BASE + order.seq}-${index}`,
    carrier,
    trackingNumber: trackingNumber(carrier, draw),
    shippedAt: new Date(atMs).toISOString(),
    lines,
  });
}

function invoiceFor(order: SandboxOrder, atMs: number, context: StepContext): Invoice {
  const issued = new Date(atMs);
  return {
    number: `INV-${ORDER_NUMBER_BASE + order.seq}`,
    kind: 'INVOICE',
    issuedAt: issued.toISOString().slice(0, 10),
    dueDate: isoDateAfter(issued, context.netDays),
    total: order.total,
    currency: order.request.currency,
    // A card authorized at checkout is captured when the order is invoiced.
    paid: order.request.payment.method === 'CARD',
  };
}

/** Tracking numbers in each carrier's usual format (UPS `1Z` + 16, FedEx 12 digits, DHL 10). */
function trackingNumber(carrier: Carrier, draw: Rng): string {
  const digits = (n: number) => Array.from({ length: n }, () => String(draw.int(0, 9))).join('');
  if (carrier === 'UPS') {
    const account = Array.from({ length: 6 }, () => draw.pick([...'0123456789ABCDEFGHJKLMNPRSTUVWXYZ'])).join('');
    return `1Z${account}03${digits(8)}`;
  }
  return digits(carrier === 'FedEx' ? 12 : 10);
}
