/**
 * Capability `returns` over Tryton 6.0: a return is what Tryton's own "Return Sale" wizard makes —
 * a sale whose `origin` is the order's sale, with its header and the returned lines at their
 * prices and taxes, quantities negative — entered as a draft with reference
 * `return:<erpfront's id>`, each line's reason as its note (`Return reason: DAMAGED`, carried to
 * the credit note's line). Sales process it in Tryton as any return: quote and confirm it (the
 * return shipment and the credit note are made), receive the goods, post the credit note.
 *
 * Status: draft, quotation → `REQUESTED`; confirmed, processing → `AUTHORIZED`; a return shipment
 * received (or done), or the sale done → `RECEIVED`; a posted or paid credit note → `CREDITED`,
 * with it as the credit memo (its total positive: what is credited, tax included); cancelled →
 * `REJECTED` when sales never quoted it, `CANCELLED` when they had (Tryton numbers a sale when
 * it is quoted).
 *
 * Exactly once: `createReturn` looks for the reference first. It refuses what the ERP would not
 * take back: an order the customer does not have in Tryton (`UNKNOWN_ORDER`), a product not on
 * it (`SKU_NOT_ON_ORDER`), more than shipped less what its other returns (not cancelled) take back
 * (`RETURN_QUANTITY_EXCEEDS_SHIPPED`).
 *
 * @module
 */
import Big from 'big.js';
import { z } from 'zod';
import type { ErpCallOptions, ErpReturn, ErpReturns, ErpReturnStatus } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { documentNumber, RETURN_PREFIX } from './document-entry.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { enterReturnSale } from './return-entry.ts';
import { date, datetime, decimal, id, normalizeDecimal, optionalText, parseAnswer, quantity, related } from './values.ts';

const RETURN_FIELDS = ['number', 'reference', 'state', 'create_date', 'party.code', 'origin', 'invoices', 'shipment_returns'];
const ReturnRow = z.object({
  id,
  number: optionalText,
  reference: z.string(),
  state: z.enum(['draft', 'quotation', 'confirmed', 'processing', 'done', 'cancelled'], { error: 'expected a Tryton 6.0 sale state' }),
  create_date: datetime,
  'party.': related({ code: z.string().nullable() }),
  origin: z.string().nullable(),
  invoices: z.array(id),
  shipment_returns: z.array(id),
});
const LineRows = z.array(z.object({ id, sale: id, quantity, note: optionalText, 'product.': related({ code: z.string().nullable() }) }));
const OriginRows = z.array(z.object({ id, number: optionalText, reference: optionalText }));
const InvoiceRows = z.array(
  z.object({ id, number: optionalText, state: z.string(), invoice_date: date.nullable(), total_amount: decimal, 'currency.': related({ code: z.string() }) }),
);
const StateRows = z.array(z.object({ id, state: z.string() }));
const REASON = /^Return reason: (\S+)/m;
const saleOf = (origin: string | null) => (origin?.startsWith('sale.sale,') ? Number(origin.slice('sale.sale,'.length)) : null);

export function trytonReturns(rpc: TrytonRpc): ErpReturns {
  async function search(operation: string, domain: unknown[], options?: ErpCallOptions): Promise<ErpReturn[]> {
    const rows = parseAnswer(
      z.array(ReturnRow),
      await rpc.model(operation, 'sale.sale', 'search_read', [domain, 0, null, [['id', 'ASC']], RETURN_FIELDS], {}, options),
      operation,
      'returns',
    );
    if (rows.length === 0) return [];
    const origins = [...new Set(rows.map((r) => saleOf(r.origin)).filter((s) => s !== null))];
    const invoiceIds = rows.flatMap((r) => r.invoices);
    const shipmentIds = rows.flatMap((r) => r.shipment_returns);
    const [lines, orders, invoices, shipments] = await Promise.all([
      rpc
        .model(
          operation,
          'sale.line',
          'search_read',
          [
            [
              ['sale', 'in', rows.map((r) => r.id)],
              ['type', '=', 'line'],
            ],
            0,
            null,
            [
              ['sale', 'ASC'],
              ['sequence', 'ASC'],
              ['id', 'ASC'],
            ],
            ['sale', 'quantity', 'note', 'product.code'],
          ],
          {},
          options,
        )
        .then((r) => parseAnswer(LineRows, r, operation, 'return lines')),
      origins.length === 0
        ? []
        : rpc
            .model(operation, 'sale.sale', 'read', [origins, ['number', 'reference']], {}, options)
            .then((r) => parseAnswer(OriginRows, r, operation, 'orders')),
      invoiceIds.length === 0
        ? []
        : rpc
            .model(operation, 'account.invoice', 'read', [invoiceIds, ['number', 'state', 'invoice_date', 'total_amount', 'currency.code']], {}, options)
            .then((r) => parseAnswer(InvoiceRows, r, operation, 'credit notes')),
      shipmentIds.length === 0
        ? []
        : rpc
            .model(operation, 'stock.shipment.out.return', 'read', [shipmentIds, ['state']], {}, options)
            .then((r) => parseAnswer(StateRows, r, operation, 'return shipments')),
    ]);
    return rows.map((row) => {
      const order = orders.find((o) => o.id === saleOf(row.origin));
      const memo = invoices.find((i) => row.invoices.includes(i.id) && (i.state === 'posted' || i.state === 'paid')) ?? null;
      const received = row.state === 'done' || shipments.some((s) => row.shipment_returns.includes(s.id) && (s.state === 'received' || s.state === 'done'));
      let status: ErpReturnStatus;
      if (row.state === 'cancelled') status = row.number === null ? 'REJECTED' : 'CANCELLED';
      else if (memo) status = 'CREDITED';
      else if (row.state === 'draft' || row.state === 'quotation') status = 'REQUESTED';
      else status = received ? 'RECEIVED' : 'AUTHORIZED';
      return {
        number: documentNumber(row.id),
        externalRef: row.reference.slice(RETURN_PREFIX.length),
        customerId: row['party.']?.code ?? '',
        orderRef: order?.reference ?? '',
        orderNumber: order?.number ?? String(order?.id ?? ''),
        status,
        createdAt: row.create_date,
        lines: lines
          .filter((l) => l.sale === row.id)
          .map((l) => ({ sku: l['product.']?.code ?? '', quantity: Math.abs(l.quantity), reason: REASON.exec(l.note ?? '')?.[1] ?? 'OTHER' })),
        creditMemo:
          memo && status === 'CREDITED'
            ? {
                number: memo.number ?? String(memo.id),
                issuedAt: memo.invoice_date ?? row.create_date.slice(0, 10),
                total: normalizeDecimal(new Big(memo.total_amount).abs().toFixed(), 2),
                currency: memo['currency.']?.code ?? '',
              }
            : null,
      };
    });
  }

  const byReference = async (operation: string, externalRef: string, options?: ErpCallOptions) =>
    (await search(operation, [['reference', '=', `${RETURN_PREFIX}${externalRef}`]], options))[0] ?? null;

  return {
    async createReturn(request, options) {
      const op = 'createReturn';
      if (request.externalRef === '') throw new TypeError('createReturn: expected a non-empty external reference');
      const found = await byReference(op, request.externalRef, options);
      if (found) {
        if (found.customerId !== request.customerId)
          throw new ErpError(
            'ERP_BAD_RESPONSE',
            `createReturn: Tryton's return ${found.number} with reference ${request.externalRef} is ${found.customerId}'s`,
            { operation: op },
          );
        return found;
      }
      await enterReturnSale(rpc, request, options);
      const entered = await byReference(op, request.externalRef, options);
      if (!entered)
        throw new ErpError('ERP_BAD_RESPONSE', `createReturn: Tryton created the return ${request.externalRef} but does not find it`, { operation: op });
      return entered;
    },

    findReturnByExternalRef: (externalRef, options) => byReference('findReturnByExternalRef', externalRef, options),

    async getReturns(externalRefs, options) {
      if (externalRefs.length === 0) return [];
      return search('getReturns', [['reference', 'in', [...new Set(externalRefs)].map((r) => `${RETURN_PREFIX}${r}`)]], options);
    },
  };
}
