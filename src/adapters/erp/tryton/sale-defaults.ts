/**
 * What Tryton's own client fills in when a person enters a sale, asked of Tryton the same way:
 * the header from the sale's `on_change` of the party (addresses, payment term, price list,
 * warehouse), each line's unit price and taxes from the sale line's `on_change` of the product
 * (with the party's price list and tax rule). Orders and quotations are entered with these, so
 * both get exactly what a salesperson entering them in Tryton would.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions } from '../../../ports/erp-connector.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { decimal, id, parseAnswer } from './values.ts';

const Header = z
  .array(
    z.looseObject({
      invoice_address: id.nullable().optional(),
      shipment_address: id.nullable().optional(),
      payment_term: id.nullable().optional(),
      price_list: id.nullable().optional(),
      warehouse: id.nullable().optional(),
    }),
  )
  .length(1);
const LineChange = z
  .array(
    z.looseObject({
      unit_price: decimal.nullable().optional(),
      taxes: z.looseObject({ add: z.array(z.tuple([z.number(), z.looseObject({ id })])).optional() }).optional(),
    }),
  )
  .length(1);
const WarehouseRows = z.array(z.object({ id, code: z.string().nullable() }));

/** The header Tryton fills for a party (each field may be absent when Tryton has no default). */
export type SaleHeaderDefaults = z.infer<typeof Header>[number];

/** A sale's header as Tryton's client fills it when the party is chosen. */
export async function saleHeaderDefaults(rpc: TrytonRpc, operation: string, partyId: number, options?: ErpCallOptions): Promise<SaleHeaderDefaults> {
  const change = await rpc.model(operation, 'sale.sale', 'on_change', [{ party: partyId, invoice_party: null, lines: [] }, ['party']], {}, options);
  return parseAnswer(Header, change, operation, 'sale header')[0]!;
}

/** A line's unit price (null when Tryton has none) and taxes, as Tryton's client fills them for a product. */
export async function saleLineDefaults(
  rpc: TrytonRpc,
  operation: string,
  line: { product: number; unit: number | null },
  sale: { party: number; currency: number; header: SaleHeaderDefaults },
  options?: ErpCallOptions,
): Promise<{ unitPrice: string | null; taxes: number[] }> {
  const change = await rpc.model(
    operation,
    'sale.line',
    'on_change',
    [
      {
        product: line.product,
        quantity: 1,
        unit: line.unit,
        taxes: [],
        type: 'line',
        '_parent_sale.party': sale.party,
        '_parent_sale.invoice_party': null,
        '_parent_sale.currency': sale.currency,
        '_parent_sale.price_list': sale.header.price_list ?? null,
        '_parent_sale.sale_date': null,
      },
      ['product'],
    ],
    {},
    options,
  );
  const filled = parseAnswer(LineChange, change, operation, 'sale line')[0]!;
  return { unitPrice: filled.unit_price ?? null, taxes: (filled.taxes?.add ?? []).map(([, tax]) => tax.id) };
}

/** Tryton's warehouses, by id order. */
export async function readWarehouses(rpc: TrytonRpc, operation: string, options?: ErpCallOptions) {
  const rows = await rpc.model(operation, 'stock.location', 'search_read', [[['type', '=', 'warehouse']], 0, null, [['id', 'ASC']], ['code']], {}, options);
  return parseAnswer(WarehouseRows, rows, operation, 'warehouses');
}

/** The warehouse a sale ships from: Tryton's default, else the configured code, else the first. */
export function chooseWarehouse(
  header: SaleHeaderDefaults,
  warehouses: ReadonlyArray<{ id: number; code: string | null }>,
  configured?: string,
): number | null {
  return header.warehouse ?? (warehouses.find((w) => w.code === configured) ?? warehouses[0])?.id ?? null;
}
