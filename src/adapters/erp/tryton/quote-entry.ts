/**
 * Enters a request for quotation as a draft Tryton sale, the way Tryton's client enters a sale: the
 * header from the party's `on_change`, each line's price and taxes from the product's `on_change`
 * (Tryton's own price for the party, for sales to start from), the sale dated today (the start of
 * its validity, `quotes.ts`), the buyer's note as its comment. Unknown parties and products are
 * refused (`ERP_REJECTED`) before anything is written.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions, ErpQuoteRequest } from '../../../ports/erp-connector.ts';
import { IN_ENGLISH, partyAndProducts, QUOTE_PREFIX } from './document-entry.ts';
import type { TrytonRpc } from './json-rpc.ts';
import type { TrytonQuoteOptions } from './quotes.ts';
import { decimal, id, parseAnswer, toDate, toDecimal } from './values.ts';

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

/** Today in UTC, `YYYY-MM-DD`. */
export const today = () => new Date().toISOString().slice(0, 10);

export async function enterQuoteSale(rpc: TrytonRpc, settings: TrytonQuoteOptions, request: ErpQuoteRequest, options?: ErpCallOptions): Promise<void> {
  const op = 'createQuote';
  const { currency } = await rpc.session(options);
  const { party, products } = await partyAndProducts(
    rpc,
    op,
    request.customerId,
    request.lines.map((l) => l.sku),
    options,
  );
  const header = parseAnswer(
    Header,
    await rpc.model(op, 'sale.sale', 'on_change', [{ party: party.id, invoice_party: null, lines: [] }, ['party']], {}, options),
    op,
    'sale header',
  )[0]!;
  const warehouses = parseAnswer(
    z.array(z.object({ id, code: z.string().nullable() })),
    await rpc.model(op, 'stock.location', 'search_read', [[['type', '=', 'warehouse']], 0, null, [['id', 'ASC']], ['code']], {}, options),
    op,
    'warehouses',
  );
  // As Tryton's client fills a line: the party's price and taxes for each product.
  const filled = new Map(
    await Promise.all(
      [...products.values()].map(async (p) => {
        const change = await rpc.model(
          op,
          'sale.line',
          'on_change',
          [
            {
              product: p.id,
              quantity: 1,
              unit: p.sale_uom,
              taxes: [],
              type: 'line',
              '_parent_sale.party': party.id,
              '_parent_sale.invoice_party': null,
              '_parent_sale.currency': currency.id,
              '_parent_sale.price_list': header.price_list ?? null,
              '_parent_sale.sale_date': null,
            },
            ['product'],
          ],
          {},
          options,
        );
        const line = parseAnswer(LineChange, change, op, 'sale line')[0]!;
        return [p.code, { price: line.unit_price ?? '0', taxes: (line.taxes?.add ?? []).map(([, t]) => t.id) }] as const;
      }),
    ),
  );
  const address = header.shipment_address ?? party.addresses[0] ?? null;
  await rpc.model(
    op,
    'sale.sale',
    'create',
    [
      [
        {
          party: party.id,
          invoice_address: header.invoice_address ?? address,
          shipment_address: address,
          payment_term: header.payment_term ?? null,
          price_list: header.price_list ?? null,
          warehouse: header.warehouse ?? (warehouses.find((w) => w.code === settings.warehouse) ?? warehouses[0])?.id ?? null,
          reference: `${QUOTE_PREFIX}${request.externalRef}`,
          sale_date: toDate(today()),
          comment: request.note,
          lines: [
            [
              'create',
              request.lines.map((line) => ({
                type: 'line',
                product: products.get(line.sku)!.id,
                quantity: line.quantity,
                unit: products.get(line.sku)!.sale_uom,
                unit_price: toDecimal(filled.get(line.sku)!.price),
                taxes: [['add', filled.get(line.sku)!.taxes]],
              })),
            ],
          ],
        },
      ],
    ],
    IN_ENGLISH,
    options,
  );
}
