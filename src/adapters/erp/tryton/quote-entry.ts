import type { ErpCallOptions, ErpQuoteRequest } from '../../../ports/erp-connector.ts';
import { IN_ENGLISH, partyAndProducts, QUOTE_PREFIX } from './document-entry.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { chooseWarehouse, readWarehouses, saleHeaderDefaults, saleLineDefaults } from './sale-defaults.ts';
import type { TrytonQuoteOptions } from './quotes.ts';
import { toDate, toDecimal } from './values.ts';

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
  const [header, warehouses] = await Promise.all([saleHeaderDefaults(rpc, op, party.id, options), readWarehouses(rpc, op, options)]);
  // As Tryton's client fills a line: the party's price and taxes for each product.
  const filled = new Map(
    await Promise.all(
      [...products.values()].map(
        async (p) =>
          [p.code, await saleLineDefaults(rpc, op, { product: p.id, unit: p.sale_uom }, { party: party.id, currency: currency.id, header }, options)] as const,
      ),
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
          warehouse: chooseWarehouse(header, warehouses, settings.warehouse),
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
                unit_price: toDecimal(filled.get(line.sku)!.unitPrice ?? '0'),
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
