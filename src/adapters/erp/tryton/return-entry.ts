/**
 * Enters a return as Tryton's own "Return Sale" wizard makes one: a copy of the order's sale
 * header with the order as `origin`, the returned lines at the order's prices and taxes with
 * negative quantities, each line's reason as its note. Refused first (`ERP_REJECTED`): an order
 * the customer does not have in Tryton (`UNKNOWN_ORDER`), a product not on it
 * (`SKU_NOT_ON_ORDER`), more than its done shipments sent less what its other returns (not
 * cancelled) take back (`RETURN_QUANTITY_EXCEEDS_SHIPPED`).
 *
 * @module
 */
import Big from 'big.js';
import { z } from 'zod';
import type { ErpCallOptions, ErpReturnRequest } from '../../../ports/erp-connector.ts';
import { IN_ENGLISH, rejected, RETURN_PREFIX } from './document-entry.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { searchSales } from './sale-read.ts';
import { decimal, id, optionalText, parseAnswer, quantity, related } from './values.ts';

const OrderHeader = z.array(
  z.object({
    id,
    number: optionalText,
    party: id,
    invoice_address: id.nullable(),
    shipment_address: id.nullable(),
    payment_term: id.nullable(),
    price_list: id.nullable().optional(),
    warehouse: id.nullable(),
    currency: id,
  }),
);
const OrderLines = z.array(
  z.object({
    id,
    product: id.nullable(),
    'product.': related({ code: z.string().nullable() }),
    unit: id.nullable(),
    unit_price: decimal.nullable(),
    taxes: z.array(id),
  }),
);

/** Checks the request against the order in Tryton and enters the return sale (see the module comment). */
export async function enterReturnSale(rpc: TrytonRpc, request: ErpReturnRequest, options?: ErpCallOptions): Promise<void> {
  const op = 'createReturn';
  const domain = [
    ['reference', '=', request.orderRef],
    ['party.code', '=', request.customerId],
    ['state', 'not in', ['draft', 'cancelled']],
  ];
  const [[order], headers] = await Promise.all([
    searchSales(rpc, op, domain, { offset: 0, limit: 1, order: [['id', 'ASC']] }, options),
    rpc
      .model(
        op,
        'sale.sale',
        'search_read',
        [domain, 0, 1, [['id', 'ASC']], ['number', 'party', 'invoice_address', 'shipment_address', 'payment_term', 'price_list', 'warehouse', 'currency']],
        {},
        options,
      )
      .then((r) => parseAnswer(OrderHeader, r, op, 'order')),
  ]);
  const header = headers[0];
  if (!order || !header) throw rejected(op, `Tryton has no order ${request.orderRef} of ${request.customerId}`, 'UNKNOWN_ORDER');
  const [orderLines, returned] = await Promise.all([
    rpc
      .model(
        op,
        'sale.line',
        'search_read',
        [
          [
            ['sale', '=', header.id],
            ['type', '=', 'line'],
          ],
          0,
          null,
          [['id', 'ASC']],
          ['product', 'product.code', 'unit', 'unit_price', 'taxes'],
        ],
        {},
        options,
      )
      .then((r) => parseAnswer(OrderLines, r, op, 'order lines')),
    rpc
      .model(
        op,
        'sale.line',
        'search_read',
        [
          [
            ['sale.origin', '=', `sale.sale,${header.id}`],
            ['sale.state', '!=', 'cancelled'],
            ['type', '=', 'line'],
          ],
          0,
          null,
          null,
          ['quantity', 'product.code'],
        ],
        {},
        options,
      )
      .then((r) => parseAnswer(z.array(z.object({ id, quantity, 'product.': related({ code: z.string().nullable() }) })), r, op, 'returned lines')),
  ]);
  for (const line of request.lines) {
    const source = orderLines.find((l) => l['product.']?.code === line.sku);
    if (!source) throw rejected(op, `${line.sku} is not on Tryton's sale ${order.number}`, 'SKU_NOT_ON_ORDER');
    const shipped = order.lines.filter((l) => l.sku === line.sku).reduce((sum, l) => sum.plus(l.shippedQuantity), new Big(0));
    const back = returned.filter((l) => l['product.']?.code === line.sku).reduce((sum, l) => sum.minus(l.quantity), new Big(0));
    if (shipped.minus(back).lt(line.quantity))
      throw rejected(
        op,
        `at most ${shipped.minus(back).toString()} of ${line.sku} can be returned on Tryton's sale ${order.number} (${shipped} shipped, ${back} returned)`,
        'RETURN_QUANTITY_EXCEEDS_SHIPPED',
      );
  }
  await rpc.model(
    op,
    'sale.sale',
    'create',
    [
      [
        {
          party: header.party,
          invoice_address: header.invoice_address,
          shipment_address: header.shipment_address,
          payment_term: header.payment_term,
          price_list: header.price_list ?? null,
          warehouse: header.warehouse,
          currency: header.currency,
          reference: `${RETURN_PREFIX}${request.externalRef}`,
          origin: `sale.sale,${header.id}`,
          description: `Return of ${order.number}`,
          lines: [
            [
              'create',
              request.lines.map((line) => {
                const source = orderLines.find((l) => l['product.']?.code === line.sku)!;
                return {
                  type: 'line',
                  product: source.product,
                  quantity: -line.quantity,
                  unit: source.unit,
                  unit_price: source.unit_price === null ? null : { __class__: 'Decimal', decimal: source.unit_price },
                  taxes: [['add', source.taxes]],
                  note: `Return reason: ${line.reason}`,
                };
              }),
            ],
          ],
        },
      ],
    ],
    IN_ENGLISH,
    options,
  );
}
