/**
 * A procurement system's purchase order (cXML OrderRequest) through the same pipeline as
 * `placeOrder`: validated, re-priced, credit-checked, written durably, submitted or queued.
 *
 * Never doubled: the buyer's `orderID` is the order's idempotency key (durable, in the order
 * store: a PO re-sent under a new payloadID, even after a restart, finds its order), and the
 * document's `payloadID` is remembered with its answer (a retried document gets the same answer;
 * a payloadID reused for a different document is refused). Permanent problems answer 4xx with
 * the reason; temporary ones 5xx, which buyers retry (PROTOCOL.md §7-8).
 *
 * @module
 */
import { utcDate } from '../../../domain/atp/calendar.ts';
import type { OrderInput, UserError } from '../../../domain/orders/order-input.ts';
import type { BuyerOrganisation } from '../domain/buyer-organisation.ts';
import { sessionIdOf } from '../domain/session.ts';
import type { Principal } from '../../../domain/principal.ts';
import { untrustedText } from '../../../domain/untrusted-text.ts';
import type { PunchOutStore } from '../../../ports/punchout-store.ts';
import { punchOutIdempotencyKey } from '../../orders/services/order-identity.ts';
import { placeOrder, type PlaceOrderDeps } from '../../orders/services/place-order.ts';
import { openRequestScope } from '../../../services/request-scope.ts';

export interface IncomingOrderLine {
  sku: string;
  auxiliaryId: string | null;
  quantity: number;
  unitOfMeasure: string | null;
  requestedDeliveryDate: string | null;
}

export interface IncomingOrder {
  payloadId: string | null;
  orderId: string;
  orderDate: string | null;
  type: 'new' | 'update' | 'delete';
  comments: string | null;
  lines: IncomingOrderLine[];
}

/** The cXML status to answer, its text, and the erpfront order it concerns. */
export interface OrderAnswer {
  code: number;
  text: string;
  orderId: string | null;
}

export interface OrderIntakeDeps {
  orders: PlaceOrderDeps;
  store: PunchOutStore;
  /** How long a document's answer is remembered (the order's key lives as long in the order store). */
  answerTtlMs: number;
}

const TRANSIENT = new Set(['ERP_UNAVAILABLE', 'IDEMPOTENCY_KEY_IN_USE']);

async function sha256(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The principal of a procurement system acting for its buyer's customer: the audit trail names it. */
function systemPrincipal(buyer: BuyerOrganisation): Principal {
  return { subject: `cxml:${buyer.id}`, roles: new Set(['punchout']), customerId: buyer.customerId, repId: null };
}

/** Accepts (or refuses) one OrderRequest for `buyer`, exactly once per PO. */
export async function acceptOrderRequest(deps: OrderIntakeDeps, buyer: BuyerOrganisation, order: IncomingOrder): Promise<OrderAnswer> {
  const { store } = deps;
  const now = deps.orders.clock.now();
  if (!order.payloadId) return { code: 400, text: 'The cXML payloadID is missing; erpfront needs it to recognise a re-sent order.', orderId: null };
  const documentKey = `${buyer.id}:${order.payloadId}`;
  const hash = await sha256(JSON.stringify(order));
  const earlier = await store.answered(documentKey, now);
  if (earlier) {
    if (earlier.payloadHash === hash) return { code: earlier.code, text: earlier.text, orderId: earlier.orderId };
    return {
      code: 409,
      text: `payloadID ${order.payloadId} was already used for a different document; every new document needs a new payloadID.`,
      orderId: earlier.orderId,
    };
  }
  const answer =
    order.type === 'new'
      ? await placeNew(deps, buyer, order)
      : order.type === 'delete'
        ? await cancel(deps, buyer, order)
        : {
            code: 450,
            text: `Change orders (type="update") are not accepted for orderID ${order.orderId}: send type="delete" while the order has not reached the ERP and a new order with a new orderID, or contact the supplier.`,
            orderId: null,
          };
  // Temporary failures are not remembered: the buyer's retry must run again.
  if (answer.code < 500) await store.rememberAnswer(documentKey, { payloadHash: hash, ...answer }, { now, ttlMs: deps.answerTtlMs });
  return answer;
}

async function placeNew(deps: OrderIntakeDeps, buyer: BuyerOrganisation, order: IncomingOrder): Promise<OrderAnswer> {
  const clock = deps.orders.clock;
  const today = utcDate(clock.now());
  const fromBuyerUnit = new Map(Object.entries(buyer.unitMap).map(([ours, theirs]) => [theirs.toUpperCase(), ours]));
  // A delivery date in the past (an old PO re-sent) means "as soon as possible", not an error.
  const dates = order.lines.map((l) => l.requestedDeliveryDate?.slice(0, 10)).filter((d): d is string => !!d && /^\d{4}-\d{2}-\d{2}$/.test(d) && d >= today);
  const sessions = [...new Set(order.lines.map((l) => sessionIdOf(l.auxiliaryId)).filter((s): s is string => s !== null))];
  const notes = [order.comments, sessions.length ? `PunchOut cart ${sessions.join(', ')}` : null].filter(Boolean).join('\n').slice(0, 1000) || null;
  const input: OrderInput = {
    idempotencyKey: punchOutIdempotencyKey(order.orderId),
    poNumber: order.orderId,
    lines: order.lines.map((l) => {
      const unit = l.unitOfMeasure?.trim().toUpperCase() || null;
      return { sku: l.sku, quantity: l.quantity, unit: unit ? (fromBuyerUnit.get(unit) ?? unit) : null };
    }),
    requestedDate: dates.sort().at(-1) ?? null,
    notes,
  };
  // The document is the request: its scope acts for the buyer's customer, at order priority.
  const scope = openRequestScope(deps.orders, { principal: systemPrincipal(buyer), customerId: buyer.customerId, priority: 'order' });
  let result;
  try {
    result = await placeOrder(deps.orders, scope, input);
  } catch (error) {
    console.error(`erpfront: cXML OrderRequest ${untrustedText(order.orderId)} of buyer ${buyer.id} failed unexpectedly`, error);
    return { code: 500, text: 'The order could not be taken right now; nothing was recorded. Retry later.', orderId: null };
  }
  if (result.order) {
    const o = result.order;
    await deps.store.linkOrder({
      orderId: o.id,
      buyerId: buyer.id,
      buyerOrderId: order.orderId,
      orderPayloadId: order.payloadId!,
      orderDate: order.orderDate ?? new Date(clock.now()).toISOString(),
      confirmed: false,
      noticedShipments: [],
      attempts: 0,
      nextAttemptAt: clock.now(),
      lastError: null,
    });
    return { code: 200, text: `OK: order ${o.id} ${o.status}${o.erpOrderNumber ? ` (ERP ${o.erpOrderNumber})` : ''}`, orderId: o.id };
  }
  return refusal(order.orderId, result.userErrors);
}

/** Maps placeOrder's user errors onto a cXML status: temporary → 500, a reused PO → 409, else 400. */
function refusal(orderId: string, errors: UserError[]): OrderAnswer {
  const describe = (e: UserError) => `${e.code}${e.field.length ? ` at ${fieldLabel(e.field)}` : ''}: ${e.message}`;
  const text = errors.map(describe).join(' ');
  if (errors.some((e) => e.code === 'IDEMPOTENCY_KEY_REUSED')) {
    return {
      code: 409,
      text: `orderID ${orderId} was already ordered with different content; a change needs a new orderID (or type="delete" first).`,
      orderId: null,
    };
  }
  if (errors.some((e) => TRANSIENT.has(e.code))) return { code: 500, text: `Temporarily unable to take the order, retry later. ${text}`, orderId: null };
  return { code: 400, text: `The order was not accepted. ${text}`, orderId: null };
}

function fieldLabel(field: string[]): string {
  // `lines.2.sku` reads better to a buyer as "ItemOut 3".
  return field[0] === 'lines' && field[1] !== undefined ? `ItemOut ${Number(field[1]) + 1}` : field.join('.');
}

async function cancel(deps: OrderIntakeDeps, buyer: BuyerOrganisation, order: IncomingOrder): Promise<OrderAnswer> {
  const link = await deps.store.linkByBuyerOrder(buyer.id, order.orderId);
  if (!link) return { code: 400, text: `No order with orderID ${order.orderId} was received from you; nothing to delete.`, orderId: null };
  const { store: orders, clock } = deps.orders;
  const moved = await orders.transition(link.orderId, ['QUEUED', 'ON_HOLD', 'REJECTED'], 'CANCELLED', clock.now());
  if (moved) return { code: 200, text: `OK: order ${link.orderId} (orderID ${order.orderId}) cancelled.`, orderId: link.orderId };
  const current = await orders.get(link.orderId);
  return {
    code: 409,
    text: `Order ${link.orderId} (orderID ${order.orderId}) is ${current?.status ?? 'unknown'} and already with the ERP; it cannot be deleted through cXML any more. Contact the supplier.`,
    orderId: link.orderId,
  };
}
