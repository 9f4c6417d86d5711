/**
 * Capability `quotes` over Tryton 6.0: a request for quotation is a sale with reference
 * `quote:<erpfront's id>`, entered as a draft (lines at Tryton's own price for the party, as its
 * client fills them, for sales to start from; the buyer's note as the sale's comment). Sales answer
 * in Tryton as they quote any sale: edit the line prices of the draft, then press "Quote".
 *
 * Status: draft → `REQUESTED` (prices not given yet: `unitPrice` null); quotation → `QUOTED`, or
 * `EXPIRED` once `validUntil` has passed; confirmed, processing, done (sales confirmed the
 * quotation in Tryton) → `ACCEPTED`; cancelled → what the buyer answered, else `WITHDRAWN`.
 *
 * Validity: Tryton 6.0's sale has no validity date (`quotation_validity` came with 6.2). The
 * convention here is Tryton 6.2's own: a quotation holds for a configured number of days
 * (`quoteValidityDays`, default 30) from its date, the sale's `sale_date` — set to the day of the
 * request when erpfront enters it, and moved by sales (it is editable in draft and quotation) to
 * the day they quote. `validUntil` = `sale_date` + days, the last day the prices hold.
 *
 * The buyer's responses are Tryton notes on the sale (`document-entry.ts`), one per response
 * reference: accept and decline are noted, then close the quotation (cancel it: the accepted
 * order is its own sale, entered by the order pipeline at the quoted prices); a revision request
 * sets the sale back to draft for sales, then is noted. A response is never noted twice, and one
 * found again after a lost reply finishes closing the quotation.
 *
 * @module
 */
import Big from 'big.js';
import { z } from 'zod';
import type { ErpCallOptions, ErpQuote, ErpQuoteResponse, ErpQuotes, ErpQuoteStatus } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { documentNumber, IN_ENGLISH, QUOTE_PREFIX, readNotes, rejected, saleIdOf, writeNote, type DocumentNote } from './document-entry.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { enterQuoteSale, today } from './quote-entry.ts';
import { date, datetime, decimal, id, normalizeDecimal, optionalText, parseAnswer, quantity, related } from './values.ts';

export interface TrytonQuoteOptions {
  /** Days a quotation holds from its sale date (Tryton 6.0 has no validity field). @default 30 */
  quoteValidityDays?: number;
  /** Code of the warehouse sales ship from when the party does not decide it. */
  warehouse?: string;
}

const QUOTE_FIELDS = ['number', 'reference', 'state', 'sale_date', 'create_date', 'comment', 'party.code', 'currency.code'];
const QuoteRow = z.object({
  id,
  number: optionalText,
  reference: z.string(),
  state: z.enum(['draft', 'quotation', 'confirmed', 'processing', 'done', 'cancelled'], { error: 'expected a Tryton 6.0 sale state' }),
  sale_date: date.nullable(),
  create_date: datetime,
  comment: optionalText,
  'party.': related({ code: z.string().nullable() }),
  'currency.': related({ code: z.string() }),
});
type QuoteRow = z.output<typeof QuoteRow>;
const LineRows = z.array(z.object({ id, sale: id, quantity, unit_price: decimal.nullable(), 'product.': related({ code: z.string().nullable() }) }));
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export function trytonQuotes(rpc: TrytonRpc, settings: TrytonQuoteOptions = {}): ErpQuotes {
  const validityDays = settings.quoteValidityDays ?? 30;

  async function search(operation: string, domain: unknown[], options?: ErpCallOptions): Promise<ErpQuote[]> {
    const rows = parseAnswer(
      z.array(QuoteRow),
      await rpc.model(operation, 'sale.sale', 'search_read', [domain, 0, null, [['id', 'ASC']], QUOTE_FIELDS], {}, options),
      operation,
      'quotations',
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [lines, notes] = await Promise.all([
      rpc
        .model(
          operation,
          'sale.line',
          'search_read',
          [
            [
              ['sale', 'in', ids],
              ['type', '=', 'line'],
            ],
            0,
            null,
            [
              ['sale', 'ASC'],
              ['sequence', 'ASC'],
              ['id', 'ASC'],
            ],
            ['sale', 'quantity', 'unit_price', 'product.code'],
          ],
          {},
          options,
        )
        .then((r) => parseAnswer(LineRows, r, operation, 'quotation lines')),
      readNotes(rpc, operation, ids, options),
    ]);
    return rows.map((row) =>
      toQuote(
        row,
        lines.filter((l) => l.sale === row.id),
        notes.filter((n) => n.sale === row.id),
      ),
    );
  }

  function toQuote(row: QuoteRow, lines: z.output<typeof LineRows>, notes: DocumentNote[]): ErpQuote {
    // Prices count once sales quoted: a draft's are Tryton's defaults, not an answer.
    const priced = row.state !== 'draft' && !(row.state === 'cancelled' && row.number === null);
    const validUntil = priced ? addDays(row.sale_date ?? row.create_date.slice(0, 10), validityDays) : null;
    const quoteLines = lines.map((l) => ({
      sku: l['product.']?.code ?? '',
      quantity: l.quantity,
      unitPrice: priced && l.unit_price !== null ? normalizeDecimal(l.unit_price) : null,
    }));
    const total =
      priced && quoteLines.every((l) => l.unitPrice !== null)
        ? quoteLines.reduce((sum, l) => sum.plus(new Big(l.unitPrice!).times(l.quantity)), new Big(0)).toFixed(2)
        : null;
    return {
      number: documentNumber(row.id),
      externalRef: row.reference.slice(QUOTE_PREFIX.length),
      customerId: row['party.']?.code ?? '',
      status: statusOf(row, notes, validUntil),
      note: row.comment,
      currency: row['currency.']?.code ?? '',
      createdAt: row.create_date,
      validUntil,
      lines: quoteLines,
      total,
      responses: notes.map((n) => ({ ref: n.ref, action: n.action as ErpQuoteResponse['action'], note: n.note, orderRef: n.orderRef, at: n.at })),
    };
  }

  function statusOf(row: QuoteRow, notes: DocumentNote[], validUntil: string | null): ErpQuoteStatus {
    const last = notes.at(-1)?.action;
    // The buyer's answer holds even before the sale was moved (a reply lost in between).
    if (last === 'ACCEPT') return 'ACCEPTED';
    if (last === 'DECLINE') return 'DECLINED';
    switch (row.state) {
      case 'draft':
        return 'REQUESTED';
      case 'quotation':
        return validUntil !== null && validUntil < today() ? 'EXPIRED' : 'QUOTED';
      case 'cancelled':
        return 'WITHDRAWN';
      default:
        return 'ACCEPTED';
    }
  }

  async function byReference(operation: string, externalRef: string, options?: ErpCallOptions): Promise<ErpQuote | null> {
    return (await search(operation, [['reference', '=', `${QUOTE_PREFIX}${externalRef}`]], options))[0] ?? null;
  }

  /** Moves the sale as the response asks, if it has not moved yet. */
  async function move(op: string, saleId: number, state: QuoteRow['state'], action: ErpQuoteResponse['action'], options?: ErpCallOptions) {
    if ((action === 'ACCEPT' || action === 'DECLINE') && (state === 'draft' || state === 'quotation'))
      await rpc.model(op, 'sale.sale', 'cancel', [[saleId]], IN_ENGLISH, options);
    if (action === 'REVISE' && state === 'quotation') await rpc.model(op, 'sale.sale', 'draft', [[saleId]], IN_ENGLISH, options);
  }

  return {
    async createQuote(request, options) {
      const op = 'createQuote';
      if (request.externalRef === '') throw new TypeError('createQuote: expected a non-empty external reference');
      // Found first: a request whose reply was lost is not entered twice.
      const found = await byReference(op, request.externalRef, options);
      if (found) {
        if (found.customerId !== request.customerId)
          throw new ErpError(
            'ERP_BAD_RESPONSE',
            `createQuote: Tryton's quotation ${found.number} with reference ${request.externalRef} is ${found.customerId}'s`,
            { operation: op },
          );
        return found;
      }
      await enterQuoteSale(rpc, settings, request, options);
      const entered = await byReference(op, request.externalRef, options);
      if (!entered)
        throw new ErpError('ERP_BAD_RESPONSE', `createQuote: Tryton created the quotation ${request.externalRef} but does not find it`, { operation: op });
      return entered;
    },

    findQuoteByExternalRef: (externalRef, options) => byReference('findQuoteByExternalRef', externalRef, options),

    async getQuotes(externalRefs, options) {
      if (externalRefs.length === 0) return [];
      return search('getQuotes', [['reference', 'in', [...new Set(externalRefs)].map((r) => `${QUOTE_PREFIX}${r}`)]], options);
    },

    async respondToQuote(number, response, options) {
      const op = 'respondToQuote';
      const saleId = saleIdOf(number);
      const read = async () =>
        saleId === null
          ? null
          : ((
              await search(
                op,
                [
                  ['id', '=', saleId],
                  ['reference', 'like', `${QUOTE_PREFIX}%`],
                ],
                options,
              )
            )[0] ?? null);
      const rowState = async () =>
        parseAnswer(
          z.array(z.object({ id, state: QuoteRow.shape.state })).length(1),
          await rpc.model(op, 'sale.sale', 'read', [[saleId], ['state']], {}, options),
          op,
          'sale',
        )[0]!.state;
      const quote = await read();
      if (!quote) throw new ErpError('ERP_NOT_FOUND', `respondToQuote: Tryton has no quotation ${number}`, { operation: op });
      const recorded = quote.responses.find((r) => r.ref === response.ref);
      if (recorded) {
        // Recorded before a lost reply: finish closing the quotation, then answer as it stands. (A
        // revision moved the sale before its note: a quotation now is sales' new answer.)
        if (recorded.action !== 'REVISE' && quote.responses.at(-1)?.ref === response.ref) await move(op, saleId!, await rowState(), recorded.action, options);
        return (await read())!;
      }
      if (response.action === 'ACCEPT') {
        if (quote.status === 'EXPIRED') throw rejected(op, `Tryton's quotation ${number} expired on ${quote.validUntil}`, 'QUOTE_EXPIRED');
        if (quote.status !== 'QUOTED') throw rejected(op, `Tryton's quotation ${number} is ${quote.status}, not QUOTED`, 'QUOTE_NOT_OPEN');
      } else if (quote.status !== 'REQUESTED' && quote.status !== 'QUOTED') {
        throw rejected(op, `Tryton's quotation ${number} is ${quote.status}`, 'QUOTE_NOT_OPEN');
      }
      // A revision goes back to sales before its note (so a lost reply resends it onto a draft);
      // an accept or a decline is noted first, and holds even if the cancel after it is lost.
      if (response.action === 'REVISE') await move(op, saleId!, await rowState(), 'REVISE', options);
      await writeNote(rpc, op, saleId!, response, options);
      if (response.action !== 'REVISE') await move(op, saleId!, await rowState(), response.action, options);
      return (await read())!;
    },
  };
}
