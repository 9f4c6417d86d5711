/**
 * Customer invoices from Tryton's `account.invoice` (type `out`, posted or paid): the customer id
 * is the party's code. Three calls answer a whole batch: the invoices, then (together) the move
 * lines they are to be paid by (`lines_to_pay`, whose maturity dates are the due dates) and the
 * sales they bill (a return's credit note belongs to the order the goods came with: one more read).
 *
 * Tryton books a credit note as an invoice with negative amounts, which is the port's convention:
 * a negative total is a `CREDIT_MEMO`. `amount_to_pay` is what is still open; a posted invoice
 * with nothing to pay is paid. Documents: Tryton renders its invoice report as ODT unless a
 * converter is installed; erpfront does not pass it on yet (`hasDocument: false`).
 *
 * @module
 */
import Big from 'big.js';
import { z } from 'zod';
import type { ErpCallOptions, ErpInvoice, ErpInvoiceDocument, ErpInvoices } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { RETURN_PREFIX } from './document-entry.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { date, decimal, id, optionalText, parseAnswer, related } from './values.ts';

const InvoiceRows = z.array(
  z.object({
    id,
    number: z.string().min(1, { error: 'expected the number of a posted invoice' }),
    'party.': related({ code: z.string().nullable() }),
    invoice_date: date,
    state: z.enum(['posted', 'paid']),
    total_amount: decimal,
    amount_to_pay: decimal.nullable(),
    lines_to_pay: z.array(id),
    sales: z.array(id),
  }),
);

const MoveLineRows = z.array(z.object({ id, maturity_date: date.nullable(), reconciliation: id.nullable() }));
const SaleRows = z.array(z.object({ id, number: optionalText, reference: optionalText, origin: z.string().nullable() }));

const PARTIES = 'party.party';

export function trytonInvoices(rpc: TrytonRpc): ErpInvoices {
  return {
    async getInvoices(customerIds: readonly string[], options?: ErpCallOptions): Promise<Array<ErpInvoice[] | Error>> {
      const operation = 'getInvoices';
      const codes = [...new Set(customerIds)].filter((c) => c !== '');
      if (codes.length === 0) return customerIds.map((c) => notFound(c));
      const { currency } = await rpc.session(options);
      // Parties first is not needed: an unknown code simply has no invoices, and is checked below.
      const [invoiceAnswer, partyAnswer] = await Promise.all([
        rpc.model(
          operation,
          'account.invoice',
          'search_read',
          [
            [
              ['party.code', 'in', codes],
              ['type', '=', 'out'],
              ['state', 'in', ['posted', 'paid']],
            ],
            0,
            null,
            [
              ['invoice_date', 'DESC'],
              ['number', 'DESC'],
            ],
            ['number', 'party.code', 'invoice_date', 'state', 'total_amount', 'amount_to_pay', 'lines_to_pay', 'sales'],
          ],
          {},
          options,
        ),
        rpc.model(operation, PARTIES, 'search_read', [[['code', 'in', codes]], 0, null, null, ['code']], {}, options),
      ]);
      const invoices = parseAnswer(InvoiceRows, invoiceAnswer, operation, 'invoices');
      const known = new Set(parseAnswer(z.array(z.object({ id, code: z.string() })), partyAnswer, operation, 'parties').map((p) => p.code));
      const lineIds = [...new Set(invoices.flatMap((i) => i.lines_to_pay))];
      const saleIds = [...new Set(invoices.flatMap((i) => i.sales))];
      const [lineAnswer, saleAnswer] = await Promise.all([
        lineIds.length === 0 ? [] : rpc.model(operation, 'account.move.line', 'read', [lineIds, ['maturity_date', 'reconciliation']], {}, options),
        saleIds.length === 0 ? [] : rpc.model(operation, 'sale.sale', 'read', [saleIds, ['number', 'reference', 'origin']], {}, options),
      ]);
      const lines = new Map(parseAnswer(MoveLineRows, lineAnswer, operation, 'lines to pay').map((l) => [l.id, l]));
      const sales = await withReturnedOrders(rpc, operation, parseAnswer(SaleRows, saleAnswer, operation, 'sales'), options);
      const byCustomer = new Map<string, ErpInvoice[]>(codes.filter((c) => known.has(c)).map((c) => [c, []]));
      for (const invoice of invoices) {
        const code = invoice['party.']?.code;
        if (!code) continue;
        const toPay = invoice.lines_to_pay.map((l) => lines.get(l)).filter((l) => l !== undefined);
        // The earliest maturity still open is when the invoice falls due; a paid one keeps its first.
        const maturities = (toPay.some((l) => l.reconciliation === null) ? toPay.filter((l) => l.reconciliation === null) : toPay)
          .map((l) => l.maturity_date)
          .filter((d): d is string => d !== null)
          .sort();
        const open = new Big(invoice.state === 'paid' ? '0' : (invoice.amount_to_pay ?? '0'));
        const sale = invoice.sales.length > 0 ? sales.get(invoice.sales[0]!) : undefined;
        byCustomer.get(code)?.push({
          number: invoice.number,
          kind: new Big(invoice.total_amount).lt(0) ? 'CREDIT_MEMO' : 'INVOICE',
          customerId: code,
          issuedAt: invoice.invoice_date,
          dueDate: maturities[0] ?? invoice.invoice_date,
          total: new Big(invoice.total_amount).toFixed(2),
          openAmount: open.toFixed(2),
          currency: currency.code,
          state: open.eq(0) ? 'PAID' : 'OPEN',
          orderNumber: sale?.number ?? null,
          orderExternalRef: sale?.reference ?? null,
          hasDocument: false,
        });
      }
      return customerIds.map((c) => byCustomer.get(c) ?? notFound(c));
    },

    async getInvoiceDocument(_number: string, _options?: ErpCallOptions): Promise<ErpInvoiceDocument | null> {
      return null;
    },
  };
}

/**
 * The sales by id, a return sale (`returns.ts`) standing for the order it returns goods of: its
 * credit note belongs to that order. One more read, only when a page has a return's credit note.
 */
async function withReturnedOrders(
  rpc: TrytonRpc,
  operation: string,
  rows: z.output<typeof SaleRows>,
  options?: ErpCallOptions,
): Promise<Map<number, z.output<typeof SaleRows>[number]>> {
  const originOf = (row: z.output<typeof SaleRows>[number]) =>
    row.reference?.startsWith(RETURN_PREFIX) && row.origin?.startsWith('sale.sale,') ? Number(row.origin.slice('sale.sale,'.length)) : null;
  const originIds = [...new Set(rows.map(originOf).filter((o) => o !== null))];
  const origins =
    originIds.length === 0
      ? new Map()
      : new Map(
          parseAnswer(
            SaleRows,
            await rpc.model(operation, 'sale.sale', 'read', [originIds, ['number', 'reference', 'origin']], {}, options),
            operation,
            'returned orders',
          ).map((o) => [o.id, o]),
        );
  return new Map(rows.map((row) => [row.id, origins.get(originOf(row) ?? 0) ?? row]));
}

function notFound(code: string): ErpError {
  return new ErpError('ERP_NOT_FOUND', `Customer ${code} does not exist in the ERP`, { operation: 'getInvoices' });
}
