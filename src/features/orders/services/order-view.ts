/**
 * One view of an order, wherever it is: still in erpfront's queue, or in the ERP (where it moves
 * on to shipping and invoicing).
 *
 * @module
 */
import { money, type Money } from '../../../domain/money.ts';
import type { OnBehalf } from '../../../domain/orders/on-behalf.ts';
import type { ErpConnector, ErpHoldReason, ErpOrder, ErpOrderStatus, Invoice, Shipment } from '../../../ports/erp-connector.ts';
import { isTransientErpError } from '../../../ports/erp-error.ts';
import type { StoredOrder } from '../../../ports/order-store.ts';

export type OrderStatus =
  | 'QUEUED'
  | 'SUBMITTED'
  | 'ON_HOLD'
  | 'REJECTED'
  | 'CANCELLED'
  | 'PARTIALLY_SHIPPED'
  | 'SHIPPED'
  | 'INVOICED'
  | 'PENDING_APPROVAL'
  | 'APPROVAL_REJECTED';

export interface OrderView {
  id: string;
  customerId: string;
  status: OrderStatus;
  erpOrderNumber: string | null;
  poNumber: string | null;
  total: Money;
  /** The ERP's subtotal, tax, shipping and total, once the order is in an ERP that says; `null` otherwise. */
  totals: { subtotal: Money; tax: Money; shipping: Money; total: Money } | null;
  lines: Array<{ sku: string; quantity: number; unitPrice: Money; unitOfMeasure: string; shippedQuantity: number }>;
  createdAt: string;
  submittedAt: string | null;
  requestedDate: string | null;
  shipToId: string | null;
  notes: string | null;
  placedBy: string | null;
  /** Set when a sales rep placed it on the customer's behalf. */
  onBehalf: OnBehalf | null;
  creditDecision: { decision: string; reason: string | null } | null;
  rejection: { reason: string; message: string } | null;
  /**
   * Why the ERP holds the order (ON_HOLD in the ERP), in the ERP's words; `null` otherwise. An
   * order erpfront itself holds for a credit review says why in `creditDecision`.
   */
  holdReason: ErpHoldReason | null;
  lastError: string | null;
  shipments: Shipment[];
  invoices: Array<Omit<Invoice, 'total' | 'currency'> & { total: Money }>;
  /** True when the ERP could not be asked and the status is erpfront's last knowledge. */
  stale: boolean;
}

const FROM_ERP: Readonly<Record<ErpOrderStatus, OrderStatus>> = {
  OPEN: 'SUBMITTED',
  ON_HOLD: 'ON_HOLD',
  PARTIALLY_SHIPPED: 'PARTIALLY_SHIPPED',
  SHIPPED: 'SHIPPED',
  INVOICED: 'INVOICED',
  CANCELLED: 'CANCELLED',
};

/** The view of an order erpfront holds, with the ERP's progress when it is in the ERP. */
export async function viewOrder(stored: StoredOrder, erp: ErpConnector): Promise<OrderView> {
  const local = fromStored(stored);
  if (stored.status !== 'SUBMITTED') return local;
  try {
    const inErp = await erp.findOrderByExternalRef(stored.id, { priority: 'status' });
    return inErp ? { ...local, ...progress(inErp) } : local;
  } catch (error) {
    if (isTransientErpError(error)) return { ...local, stale: true };
    throw error;
  }
}

export function fromStored(o: StoredOrder): OrderView {
  return {
    id: o.id,
    customerId: o.customerId,
    status: o.status,
    erpOrderNumber: o.erpOrderNumber,
    poNumber: o.request.poNumber,
    total: money(o.total, o.currency),
    totals: null,
    lines: o.request.lines.map((l) => ({ ...l, unitPrice: money(l.unitPrice, o.currency), shippedQuantity: 0 })),
    createdAt: o.createdAt,
    submittedAt: o.submittedAt,
    requestedDate: o.request.requestedDate,
    shipToId: o.request.shipToId,
    notes: o.request.notes,
    placedBy: o.placedBy,
    onBehalf: o.onBehalf ?? null,
    creditDecision: o.creditDecision,
    rejection: o.rejection,
    holdReason: null,
    lastError: o.status === 'QUEUED' ? o.lastError : null,
    shipments: [],
    invoices: [],
    stale: false,
  };
}

/** What the ERP knows better than erpfront: status, shipped quantities, shipments, invoices. */
function progress(o: ErpOrder): Partial<OrderView> {
  return {
    status: FROM_ERP[o.status],
    erpOrderNumber: o.number,
    holdReason: heldFor(o),
    totals: totalsOf(o),
    lines: o.lines.map((l) => ({ ...l, unitPrice: money(l.unitPrice, o.currency) })),
    shipments: o.shipments,
    invoices: o.invoices.map((i) => ({ ...i, total: money(i.total, i.currency) })),
  };
}

/** An order in the ERP that erpfront did not place (or placed long ago): the ERP's view only. */
export function fromErp(o: ErpOrder): OrderView {
  return {
    id: o.externalRef ?? o.number,
    customerId: o.customerId,
    status: FROM_ERP[o.status],
    erpOrderNumber: o.number,
    poNumber: o.poNumber,
    total: money(o.total, o.currency),
    totals: totalsOf(o),
    lines: o.lines.map((l) => ({ ...l, unitPrice: money(l.unitPrice, o.currency) })),
    createdAt: o.createdAt,
    submittedAt: o.createdAt,
    requestedDate: null,
    shipToId: null,
    notes: null,
    placedBy: null,
    onBehalf: null,
    creditDecision: null,
    rejection: null,
    holdReason: heldFor(o),
    lastError: null,
    shipments: o.shipments,
    invoices: o.invoices.map((i) => ({ ...i, total: money(i.total, i.currency) })),
    stale: false,
  };
}

/** The ERP's hold reason while it holds the order; a connector without one answers none. */
function heldFor(o: ErpOrder): ErpHoldReason | null {
  return o.status === 'ON_HOLD' ? (o.holdReason ?? null) : null;
}

/** The ERP's totals of the order, when its connector reads them. */
function totalsOf(o: ErpOrder): OrderView['totals'] {
  const t = o.totals;
  return t
    ? { subtotal: money(t.subtotal, t.currency), tax: money(t.tax, t.currency), shipping: money(t.shipping, t.currency), total: money(t.total, t.currency) }
    : null;
}
