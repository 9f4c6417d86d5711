/**
 * The cXML payloads erpfront writes: PunchOutSetupResponse, ProfileResponse, the
 * PunchOutOrderMessage (the cart), ConfirmationRequest, ShipNoticeRequest and InvoiceDetailRequest.
 *
 * @module
 */
import type { BuyerOrganisation } from '../domain/buyer-organisation.ts';
import { auxiliaryId, type PunchOutSession } from '../domain/session.ts';
import type { ErpInvoice, Shipment } from '../../../ports/erp-connector.ts';
import type { PricedCart } from '../services/cart-pricing.ts';
import { el } from '../xml/xml-writer.ts';
import { cxmlTimestamp, DEFAULT_CXML_VERSION, fulfillRequestDocument, invoiceRequestDocument, messageDocument, responseDocument } from './envelope.ts';

/** `PunchOutSetupResponse` with the session's one-time start URL. */
export function setupResponse(startUrl: string, version: string, now: number): string {
  return responseDocument(200, null, { version, now }, el('PunchOutSetupResponse', {}, el('StartPage', {}, el('URL', {}, startUrl))));
}

/** `ProfileResponse`: the transactions erpfront supports, all at the one cXML URL. */
export function profileResponse(cxmlUrl: string, now: number): string {
  const transaction = (name: string) => el('Transaction', { requestName: name }, el('URL', {}, cxmlUrl));
  return responseDocument(
    200,
    null,
    { version: DEFAULT_CXML_VERSION, now },
    el(
      'ProfileResponse',
      { effectiveDate: cxmlTimestamp(now) },
      el('Option', { name: 'Locale' }, 'en-US'),
      transaction('ProfileRequest'),
      transaction('PunchOutSetupRequest'),
      transaction('OrderRequest'),
    ),
  );
}

/**
 * The cart as a PunchOutOrderMessage: BuyerCookie echoed as received, each line with our SKU, an
 * auxiliary id tying it to this session, the buyer's own price, the UN/CEFACT unit, the UNSPSC
 * classification and the lead time in days.
 */
export function orderMessage(buyer: BuyerOrganisation, session: PunchOutSession, cart: PricedCart, now: number): string {
  // What the buyer may do with this cart later: an inspected cart stays inspect-only.
  const allowed = session.operation === 'inspect' ? 'inspect' : 'edit';
  const items = cart.lines.map((line, i) => {
    const unit = buyer.unitMap[line.unitOfMeasure] ?? line.unitOfMeasure;
    return el(
      'ItemIn',
      { quantity: line.quantity, lineNumber: i + 1 },
      el('ItemID', {}, el('SupplierPartID', {}, line.sku), el('SupplierPartAuxiliaryID', {}, auxiliaryId(session, i))),
      el(
        'ItemDetail',
        {},
        el('UnitPrice', {}, el('Money', { currency: line.unitPrice.currency }, line.unitPrice.amount)),
        el('Description', { 'xml:lang': 'en' }, line.description || line.name, el('ShortName', {}, line.name)),
        el('UnitOfMeasure', {}, unit),
        el('Classification', { domain: line.unspsc ? 'UNSPSC' : 'erpfront-category' }, line.unspsc ?? line.category),
        line.leadTimeDays !== null && el('LeadTime', {}, String(line.leadTimeDays)),
      ),
    );
  });
  const payload = el(
    'PunchOutOrderMessage',
    {},
    // Echoed exactly as received: escaped, never trimmed (PROTOCOL.md §6.2).
    el('BuyerCookie', {}, session.buyerCookie ?? ''),
    el('PunchOutOrderMessageHeader', { operationAllowed: allowed }, el('Total', {}, el('Money', { currency: cart.total.currency }, cart.total.amount))),
    ...items,
  );
  return messageDocument(buyer, session.deploymentMode, payload, now);
}

/** What the documents sent after an order refer to. */
export interface OrderReferenceInfo {
  buyerOrderId: string;
  orderDate: string;
  orderPayloadId: string;
  erpOrderNumber: string | null;
}

function orderReference(ref: OrderReferenceInfo) {
  // orderDate must carry a zone (DTD %datetime.tz); the buyer's own value is copied when it has one.
  const date = /[+-]\d\d:?\d\d$|Z$/.test(ref.orderDate) ? ref.orderDate : undefined;
  return el('OrderReference', { orderID: ref.buyerOrderId, orderDate: date }, el('DocumentReference', { payloadID: ref.orderPayloadId }));
}

/** `ConfirmationRequest` type `accept`: the ERP has the order. */
export function confirmationRequest(buyer: BuyerOrganisation, ref: OrderReferenceInfo, now: number): string {
  return fulfillRequestDocument(
    buyer,
    el(
      'ConfirmationRequest',
      {},
      el('ConfirmationHeader', { type: 'accept', noticeDate: cxmlTimestamp(now), confirmID: ref.erpOrderNumber ?? undefined, operation: 'new' }),
      orderReference(ref),
    ),
    now,
  );
}

/** `ShipNoticeRequest` for one shipment, with carrier and tracking number. */
export function shipNoticeRequest(
  buyer: BuyerOrganisation,
  ref: OrderReferenceInfo,
  shipment: Shipment,
  units: ReadonlyMap<string, { lineNumber: number; unit: string }>,
  now: number,
): string {
  return fulfillRequestDocument(
    buyer,
    el(
      'ShipNoticeRequest',
      {},
      el('ShipNoticeHeader', {
        shipmentID: shipment.id,
        operation: 'new',
        noticeDate: cxmlTimestamp(now),
        shipmentDate: cxmlTimestamp(Date.parse(shipment.shippedAt)),
      }),
      el(
        'ShipControl',
        {},
        el('CarrierIdentifier', { domain: 'companyName' }, shipment.carrier),
        el('ShipmentIdentifier', { domain: 'trackingNumber' }, shipment.trackingNumber),
      ),
      el(
        'ShipNoticePortion',
        {},
        orderReference(ref),
        ...shipment.lines.map((line) => {
          const known = units.get(line.sku);
          return el(
            'ShipNoticeItem',
            { quantity: line.quantity, lineNumber: known?.lineNumber ?? 1 },
            el('ItemID', {}, el('SupplierPartID', {}, line.sku)),
            el('UnitOfMeasure', {}, known ? (buyer.unitMap[known.unit] ?? known.unit) : 'EA'),
          );
        }),
      ),
    ),
    now,
  );
}

/**
 * `InvoiceDetailRequest` for one invoice or credit memo of an order: a header invoice (amounts
 * for the whole order, no lines: the ERP's invoice is the record of what was billed), referring to
 * the buyer's OrderRequest and the ERP's order. A credit memo is `purpose="creditMemo"` with a
 * negative due amount, as the DTD asks. erpfront's ERP port carries no tax split, so the total is
 * sent as the subtotal with a zero tax line.
 */
export function invoiceDetailRequest(buyer: BuyerOrganisation, ref: OrderReferenceInfo, invoice: ErpInvoice, now: number): string {
  const amount = (tag: string, value: string) => el(tag, {}, el('Money', { currency: invoice.currency }, value));
  const credit = invoice.kind === 'CREDIT_MEMO';
  // Signed as the DTD wants it: negative for a credit memo, whatever sign the ERP keeps.
  const total = credit && !invoice.total.startsWith('-') ? `-${invoice.total}` : invoice.total;
  const payInDays = Math.max(0, Math.round((Date.parse(invoice.dueDate) - Date.parse(invoice.issuedAt)) / 86_400_000));
  return invoiceRequestDocument(
    buyer,
    el(
      'InvoiceDetailRequest',
      {},
      el(
        'InvoiceDetailRequestHeader',
        {
          invoiceID: invoice.number,
          purpose: credit ? 'creditMemo' : 'standard',
          operation: 'new',
          invoiceDate: cxmlTimestamp(Date.parse(`${invoice.issuedAt}T00:00:00Z`)),
          invoiceOrigin: 'supplier',
        },
        el('InvoiceDetailHeaderIndicator', { isHeaderInvoice: 'yes' }),
        el('InvoiceDetailLineIndicator', {}),
        !credit && el('PaymentTerm', { payInNumberOfDays: payInDays }),
      ),
      el(
        'InvoiceDetailHeaderOrder',
        {},
        el('InvoiceDetailOrderInfo', {}, orderReference(ref), ref.erpOrderNumber !== null && el('SupplierOrderInfo', { orderID: ref.erpOrderNumber })),
        el('InvoiceDetailOrderSummary', { invoiceLineNumber: 1 }, amount('SubtotalAmount', total)),
      ),
      el(
        'InvoiceDetailSummary',
        {},
        amount('SubtotalAmount', total),
        el('Tax', {}, el('Money', { currency: invoice.currency }, '0.00'), el('Description', { 'xml:lang': 'en' }, 'Included in the amounts')),
        amount('NetAmount', total),
        amount('DueAmount', total),
      ),
    ),
    now,
  );
}
