/**
 * Reads Tryton sales back as the port's {@link ErpOrder}s: the sales, their lines, and — only
 * when there are any — their done shipments (with the moves, for shipped quantities) and their
 * issued invoices (with the due dates of their receivable lines). Two calls for a sale that has
 * not shipped yet, at most six for a page of sales that has.
 *
 * Status (Tryton's sale `state`, then its `shipment_state`):
 * draft, quotation → `ON_HOLD` (not confirmed: a person must confirm it in Tryton, e.g. after a
 * credit-limit refusal); confirmed → `OPEN`; processing → `OPEN`, `PARTIALLY_SHIPPED`, `SHIPPED`
 * or, shipped and with an issued invoice, `INVOICED`; done → `INVOICED`; cancelled → `CANCELLED`.
 * erpfront's order id is the sale's `reference`; the PO number its `description`. A held sale
 * says why (`hold-reason.ts`): one more call for a page that has any.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions, ErpOrder, ErpOrderStatus, ErpOrderTotals, Invoice, Shipment } from '../../../ports/erp-connector.ts';
import { HOLD_FIELDS, HoldCurrency, HoldFields, holdReasons } from './hold-reason.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { unitCode } from './units.ts';
import { date, datetime, decimal, id, normalizeDecimal, optionalText, parseAnswer, quantity, related } from './values.ts';

export const SALE_FIELDS = [
  'number',
  'reference',
  'description',
  'state',
  'shipment_state',
  'invoice_state',
  'create_date',
  'party.code',
  'currency.code',
  'total_amount',
  'tax_amount',
  'shipments',
  'invoices',
  ...HOLD_FIELDS,
];

export const SaleRow = z
  .object({
    id,
    number: optionalText,
    reference: optionalText,
    description: optionalText,
    state: z.enum(['draft', 'quotation', 'confirmed', 'processing', 'done', 'cancelled'], { error: 'expected a Tryton 6.0 sale state' }),
    shipment_state: z.string(),
    invoice_state: z.string(),
    create_date: datetime,
    'party.': related({ code: z.string().nullable() }),
    'currency.': related({ code: z.string(), ...HoldCurrency }),
    total_amount: decimal.nullable(),
    tax_amount: decimal.nullable(),
    shipments: z.array(id),
    invoices: z.array(id),
  })
  .extend(HoldFields.shape);
export type SaleRow = z.output<typeof SaleRow>;

const LineRows = z.array(
  z.object({
    id,
    sale: id,
    quantity: quantity.nullable(),
    unit_price: decimal.nullable(),
    'product.': related({ code: z.string().nullable() }),
    'unit.': related({ symbol: z.string() }),
  }),
);
const ShipmentRows = z.array(
  z.object({
    id,
    number: optionalText,
    reference: optionalText,
    effective_date: date.nullable(),
    'carrier.': related({ rec_name: z.string() }).optional(),
    outgoing_moves: z.array(id),
  }),
);
const MoveRows = z.array(z.object({ id, quantity, state: z.string(), origin: z.string().nullable(), 'product.': related({ code: z.string().nullable() }) }));
const InvoiceRows = z.array(
  z.object({
    id,
    number: optionalText,
    state: z.string(),
    invoice_date: date.nullable(),
    total_amount: decimal,
    'currency.': related({ code: z.string() }),
    lines_to_pay: z.array(id),
  }),
);
const MaturityRows = z.array(z.object({ id, maturity_date: date.nullable() }));

/** The port's status of a sale. */
export function statusOf(sale: Pick<SaleRow, 'state' | 'shipment_state'>, invoiced: boolean): ErpOrderStatus {
  switch (sale.state) {
    case 'draft':
    case 'quotation':
      return 'ON_HOLD';
    case 'confirmed':
      return 'OPEN';
    case 'done':
      return 'INVOICED';
    case 'cancelled':
      return 'CANCELLED';
    case 'processing':
      if (sale.shipment_state === 'sent') return invoiced ? 'INVOICED' : 'SHIPPED';
      if (sale.shipment_state === 'partially shipped') return 'PARTIALLY_SHIPPED';
      return 'OPEN';
  }
}

/** The sales matching `domain`, in Tryton's `order`, as orders. */
export async function searchSales(
  rpc: TrytonRpc,
  operation: string,
  domain: unknown[],
  page: { offset: number; limit: number | null; order: unknown[] },
  options?: ErpCallOptions,
): Promise<ErpOrder[]> {
  const raw = await rpc.model(operation, 'sale.sale', 'search_read', [domain, page.offset, page.limit, page.order, SALE_FIELDS], {}, options);
  return toOrders(rpc, operation, parseAnswer(z.array(SaleRow), raw, operation, 'sales'), options);
}

/** Completes sale rows with their lines, shipments and invoices. */
export async function toOrders(rpc: TrytonRpc, operation: string, sales: SaleRow[], options?: ErpCallOptions): Promise<ErpOrder[]> {
  if (sales.length === 0) return [];
  const shipmentIds = sales.flatMap((s) => s.shipments);
  const invoiceIds = sales.flatMap((s) => s.invoices);
  const held = sales.filter((s) => s.state === 'draft' || s.state === 'quotation');
  const [lines, shipments, invoices, reasons] = await Promise.all([
    rpc
      .model(
        operation,
        'sale.line',
        'search_read',
        [
          [
            ['sale', 'in', sales.map((s) => s.id)],
            ['type', '=', 'line'],
          ],
          0,
          null,
          [
            ['sale', 'ASC'],
            ['sequence', 'ASC'],
            ['id', 'ASC'],
          ],
          ['sale', 'quantity', 'unit_price', 'product.code', 'unit.symbol'],
        ],
        {},
        options,
      )
      .then((r) => parseAnswer(LineRows, r, operation, 'sale lines')),
    shipmentIds.length === 0 ? [] : readShipments(rpc, operation, shipmentIds, options),
    invoiceIds.length === 0 ? [] : readInvoices(rpc, operation, invoiceIds, options),
    holdReasons(rpc, operation, held, options),
  ]);
  return sales.map((sale) => {
    const own = lines.filter((l) => l.sale === sale.id);
    const shipped = shipments.filter((s) => sale.shipments.includes(s.id));
    const issued = invoices.filter((i) => sale.invoices.includes(i.id));
    const currency = sale['currency.']?.code ?? '';
    return {
      number: sale.number ?? String(sale.id),
      externalRef: sale.reference,
      customerId: sale['party.']?.code ?? '',
      status: statusOf(sale, issued.length > 0),
      poNumber: sale.description,
      createdAt: sale.create_date,
      currency,
      total: normalizeDecimal(sale.total_amount ?? '0', 2),
      lines: own.map((l) => ({
        sku: l['product.']?.code ?? '',
        quantity: l.quantity ?? 0,
        unitPrice: normalizeDecimal(l.unit_price ?? '0'),
        unitOfMeasure: unitCode(l['unit.']?.symbol ?? 'u'),
        shippedQuantity: shipped
          .flatMap((s) => s.moves)
          .filter((m) => m.origin === `sale.line,${l.id}`)
          .reduce((sum, m) => sum + m.quantity, 0),
      })),
      shipments: shipped.map((s) => s.shipment),
      invoices: issued.map(({ id: _id, ...invoice }) => invoice),
      holdReason: reasons.get(sale.id) ?? null,
      totals: saleTotals(sale, currency),
    };
  });
}

/** Done shipments only: a waiting or packed one has not left yet. */
async function readShipments(rpc: TrytonRpc, operation: string, ids: number[], options?: ErpCallOptions) {
  const rows = parseAnswer(
    ShipmentRows,
    await rpc.model(
      operation,
      'stock.shipment.out',
      'search_read',
      [
        [
          ['id', 'in', ids],
          ['state', '=', 'done'],
        ],
        0,
        null,
        [['id', 'ASC']],
        ['number', 'reference', 'effective_date', 'carrier.rec_name', 'outgoing_moves'],
      ],
      {},
      options,
    ),
    operation,
    'shipments',
  );
  const moveIds = rows.flatMap((s) => s.outgoing_moves);
  const moves =
    moveIds.length === 0
      ? []
      : parseAnswer(
          MoveRows,
          await rpc.model(operation, 'stock.move', 'read', [moveIds, ['quantity', 'state', 'origin', 'product.code']], {}, options),
          operation,
          'shipment moves',
        );
  return rows.map((s) => {
    const own = moves.filter((m) => s.outgoing_moves.includes(m.id) && m.state === 'done');
    const shipment: Shipment = {
      id: s.number ?? String(s.id),
      carrier: s['carrier.']?.rec_name ?? '',
      // Tryton 6.0 keeps tracking numbers in stock_package_shipping; the shipment's reference stands in.
      trackingNumber: s.reference ?? '',
      shippedAt: `${s.effective_date ?? new Date().toISOString().slice(0, 10)}T00:00:00.000Z`,
      lines: own.map((m) => ({ sku: m['product.']?.code ?? '', quantity: m.quantity })),
    };
    return { id: s.id, shipment, moves: own };
  });
}

/** Posted and paid invoices and credit notes: a draft invoice has not been issued. */
async function readInvoices(rpc: TrytonRpc, operation: string, ids: number[], options?: ErpCallOptions): Promise<Array<Invoice & { id: number }>> {
  const rows = parseAnswer(
    InvoiceRows,
    await rpc.model(
      operation,
      'account.invoice',
      'search_read',
      [
        [
          ['id', 'in', ids],
          ['state', 'in', ['posted', 'paid']],
        ],
        0,
        null,
        [['id', 'ASC']],
        ['number', 'state', 'invoice_date', 'total_amount', 'currency.code', 'lines_to_pay'],
      ],
      {},
      options,
    ),
    operation,
    'invoices',
  );
  const lineIds = rows.flatMap((r) => r.lines_to_pay);
  const maturities =
    lineIds.length === 0
      ? []
      : parseAnswer(
          MaturityRows,
          await rpc.model(operation, 'account.move.line', 'read', [lineIds, ['maturity_date']], {}, options),
          operation,
          'receivable lines',
        );
  return rows.map((r) => {
    const issuedAt = r.invoice_date ?? new Date().toISOString().slice(0, 10);
    const due =
      maturities
        .filter((m) => r.lines_to_pay.includes(m.id))
        .map((m) => m.maturity_date ?? issuedAt)
        .sort()
        .at(-1) ?? issuedAt;
    const negative = r.total_amount.startsWith('-');
    return {
      id: r.id,
      number: r.number ?? String(r.id),
      // Tryton 6.0 has one invoice type per direction; a credit note is an invoice with a negative total.
      kind: negative ? 'CREDIT_MEMO' : 'INVOICE',
      issuedAt,
      dueDate: due,
      total: normalizeDecimal(negative ? r.total_amount.slice(1) : r.total_amount, 2),
      currency: r['currency.']?.code ?? '',
      paid: r.state === 'paid',
    };
  });
}

/** A sale's amounts in the port's shape (Tryton 6.0 charges no shipping on a sale without `sale_shipment_cost`). */
export function saleTotals(
  sale: { untaxed_amount?: string | null; tax_amount?: string | null; total_amount?: string | null },
  currency: string,
): ErpOrderTotals {
  return {
    subtotal: normalizeDecimal(sale.untaxed_amount ?? '0', 2),
    tax: normalizeDecimal(sale.tax_amount ?? '0', 2),
    shipping: '0.00',
    total: normalizeDecimal(sale.total_amount ?? '0', 2),
    currency,
  };
}
