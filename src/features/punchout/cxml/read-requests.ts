/**
 * Reads the request payloads erpfront acts on: PunchOutSetupRequest and OrderRequest. Element
 * order is not enforced (Coupa put Contact before BrowserFormPost), values are trimmed except the
 * BuyerCookie, which is kept exactly to be echoed (PROTOCOL.md §6.2).
 *
 * @module
 */
import type { PunchOutOperation } from '../domain/session.ts';
import { excerpt } from '../../../domain/untrusted-text.ts';
import { child, children, rawText, text, textAt, type XmlElement } from '../xml/safe-xml.ts';
import { CxmlReadError } from './read-envelope.ts';

/** An `ItemOut` line: our SKU, its auxiliary id (our cart key), and quantity. */
export interface ItemOutLine {
  lineNumber: number | null;
  sku: string;
  auxiliaryId: string | null;
  quantity: number;
  unitOfMeasure: string | null;
  unitPrice: { amount: string; currency: string } | null;
  requestedDeliveryDate: string | null;
}

export interface SetupRequest {
  operation: PunchOutOperation | 'source';
  /** As received, whitespace and all. */
  buyerCookie: string;
  browserFormPostUrl: string;
  /** Email or name of the end user, for the audit trail. */
  user: string | null;
  selectedSku: string | null;
  itemsOut: ItemOutLine[];
}

export interface OrderRequestDoc {
  orderId: string;
  orderDate: string | null;
  type: 'new' | 'update' | 'delete';
  orderVersion: string | null;
  total: { amount: string; currency: string } | null;
  comments: string | null;
  /** For update/delete: the payloadID of the OrderRequest this one replaces. */
  documentReference: string | null;
  lines: ItemOutLine[];
}

function quantityOf(raw: string | undefined, where: string): number {
  const quantity = Number((raw ?? '').trim());
  if (!Number.isFinite(quantity) || quantity <= 0) throw new CxmlReadError(400, `${where}: quantity "${excerpt(raw ?? '', 40)}" is not a positive number.`);
  return quantity;
}

function moneyOf(element: XmlElement | undefined): { amount: string; currency: string } | null {
  const amount = text(element);
  return element && amount ? { amount, currency: (element.attributes.currency ?? '').trim() } : null;
}

/** Reads the `ItemOut` lines of a setup or order request. */
export function readItemOut(parent: XmlElement): ItemOutLine[] {
  return children(parent, 'ItemOut').map((item, i) => {
    const where = `ItemOut ${excerpt(item.attributes.lineNumber ?? String(i + 1), 20)}`;
    const sku = textAt(item, 'ItemID', 'SupplierPartID');
    if (!sku) throw new CxmlReadError(400, `${where}: ItemID/SupplierPartID is missing; it must be the SupplierPartID erpfront sent in the cart.`);
    const lineNumber = Number(item.attributes.lineNumber);
    return {
      lineNumber: Number.isInteger(lineNumber) ? lineNumber : null,
      sku,
      auxiliaryId: textAt(item, 'ItemID', 'SupplierPartAuxiliaryID'),
      quantity: quantityOf(item.attributes.quantity, where),
      unitOfMeasure: textAt(item, 'ItemDetail', 'UnitOfMeasure'),
      unitPrice: moneyOf(child(child(child(item, 'ItemDetail'), 'UnitPrice'), 'Money')),
      requestedDeliveryDate: item.attributes.requestedDeliveryDate?.trim() || null,
    };
  });
}

/** Reads a PunchOutSetupRequest. */
export function readSetupRequest(payload: XmlElement): SetupRequest {
  const operation = (payload.attributes.operation ?? '').trim().toLowerCase();
  if (!['create', 'edit', 'inspect', 'source'].includes(operation)) {
    throw new CxmlReadError(400, `PunchOutSetupRequest operation is "${excerpt(operation, 40)}"; expected create, edit or inspect.`);
  }
  const cookie = child(payload, 'BuyerCookie');
  if (!cookie || rawText(cookie).trim() === '')
    throw new CxmlReadError(400, 'PunchOutSetupRequest has no BuyerCookie; the cart cannot be matched to your requisition without one.');
  const url = textAt(payload, 'BrowserFormPost', 'URL');
  if (!url) throw new CxmlReadError(400, 'PunchOutSetupRequest has no BrowserFormPost URL; erpfront would not know where to return the cart.');
  const extrinsic = (name: string) => text(children(payload, 'Extrinsic').find((e) => e.attributes.name?.toLowerCase() === name.toLowerCase()));
  const contact = child(payload, 'Contact');
  return {
    operation: operation as SetupRequest['operation'],
    buyerCookie: rawText(cookie),
    browserFormPostUrl: url,
    user: extrinsic('UserEmail') ?? text(child(contact, 'Email')) ?? text(child(contact, 'Name')) ?? extrinsic('UniqueName'),
    selectedSku: textAt(payload, 'SelectedItem', 'ItemID', 'SupplierPartID'),
    itemsOut: readItemOut(payload),
  };
}

/** Reads an OrderRequest. */
export function readOrderRequest(payload: XmlElement): OrderRequestDoc {
  const header = child(payload, 'OrderRequestHeader');
  if (!header) throw new CxmlReadError(400, 'OrderRequest has no OrderRequestHeader.');
  const orderId = header.attributes.orderID?.trim();
  if (!orderId) throw new CxmlReadError(400, 'OrderRequestHeader has no orderID (your purchase-order number).');
  const type = (header.attributes.type ?? 'new').trim().toLowerCase();
  if (type !== 'new' && type !== 'update' && type !== 'delete')
    throw new CxmlReadError(400, `OrderRequestHeader type is "${excerpt(type, 40)}"; expected new, update or delete.`);
  return {
    orderId,
    orderDate: header.attributes.orderDate?.trim() || null,
    type,
    orderVersion: header.attributes.orderVersion?.trim() || null,
    total: moneyOf(child(child(header, 'Total'), 'Money')),
    comments: text(child(header, 'Comments')),
    documentReference: child(header, 'DocumentReference')?.attributes.payloadID?.trim() || null,
    lines: readItemOut(payload),
  };
}
