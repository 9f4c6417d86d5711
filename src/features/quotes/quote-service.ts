/**
 * Quotes as the buyer sees them: a request kept in the outbox (`quote.create`) until the ERP has
 * it, then the ERP quotation it became, read back in one batched call per page, with the buyer's
 * responses still on their way to the ERP (`quote.respond`) laid over it.
 *
 * @module
 */
import { Big, formatAmount } from '../../domain/money.ts';
import type { UserError } from '../../domain/orders/order-input.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ErpConnector, ErpQuote, ErpQuoteStatus } from '../../ports/erp-connector.ts';
import { ErpError } from '../../ports/erp-error.ts';
import type { Logger } from '../../ports/logger.ts';
import type { OutboxEntry } from '../../ports/outbox-store.ts';
import type { OutboxDispatcher } from '../../services/outbox/outbox-dispatcher.ts';
import { outboxId } from '../../services/outbox/outbox-id.ts';
import { QUOTE_CREATE, type QuoteCreatePayload, type QuoteRespondPayload } from './quote-handlers.ts';

export interface QuoteDeps {
  erp: ErpConnector;
  outbox: OutboxDispatcher;
  clock: Clock;
  limits: { maxLines: number; maxQuantity: number };
}

interface Money {
  amount: string;
  currency: string;
}

export interface QuoteView {
  id: string;
  customerId: string;
  status: ErpQuoteStatus;
  erpQuoteNumber: string | null;
  note: string | null;
  requestedBy: string;
  createdAt: string;
  validUntil: string | null;
  total: Money | null;
  lines: Array<{ sku: string; quantity: number; unitPrice: Money | null }>;
  orderId: string | null;
  erpRefusal: string | null;
  stale: boolean;
  /** The ERP quotation behind it, when read (not in the schema). */
  erp: ErpQuote | null;
}

/** The id of a response of `action` to quote `quoteId` (one accept, one decline; revisions numbered). */
export const responseId = (quoteId: string, action: 'accept' | 'decline' | `revise-${number}`) => `${quoteId}:${action}`;

/** A quote's id: from the customer and the idempotency key, so a retried request finds its quote. */
export const quoteId = (customerId: string, key: string | null): Promise<string> => outboxId('qt', customerId, key);

const money = (amount: string | null, currency: string): Money | null =>
  amount === null ? null : { amount: formatAmount(new Big(amount), currency), currency };

export const utcToday = (now: number) => new Date(now).toISOString().slice(0, 10);

/** The status the buyer sees: a quoted quotation past its validity is expired, whatever the ERP says yet. */
export function effectiveStatus(quote: ErpQuote, today: string): ErpQuoteStatus {
  return quote.status === 'QUOTED' && quote.validUntil !== null && quote.validUntil < today ? 'EXPIRED' : quote.status;
}

/**
 * The views of these quote entries: one `getQuotes` call for all that reached the ERP; while the
 * ERP does not answer, erpfront's knowledge, marked stale.
 */
export async function viewQuotes(deps: QuoteDeps, entries: readonly OutboxEntry[], log: Logger): Promise<QuoteView[]> {
  const inErp = entries.filter((e) => e.status === 'DONE').map((e) => e.id);
  let quotes = new Map<string, ErpQuote>();
  let stale = false;
  if (inErp.length > 0) {
    try {
      quotes = new Map((await deps.erp.getQuotes(inErp, { priority: 'status', log })).map((q) => [q.externalRef, q]));
    } catch (error) {
      if (!(error instanceof ErpError && error.transient)) throw error;
      stale = true;
    }
  }
  const today = utcToday(deps.clock.now());
  return Promise.all(entries.map((entry) => viewOne(deps, entry, quotes.get(entry.id) ?? null, stale, today)));
}

async function viewOne(deps: QuoteDeps, entry: OutboxEntry, quote: ErpQuote | null, stale: boolean, today: string): Promise<QuoteView> {
  const payload = entry.payload as QuoteCreatePayload;
  const currency = quote?.currency ?? '';
  const base: QuoteView = {
    id: entry.id,
    customerId: entry.customerId!,
    status: 'REQUESTED',
    erpQuoteNumber: (entry.result?.erpQuoteNumber as string | undefined) ?? null,
    note: payload.note,
    requestedBy: entry.createdBy,
    createdAt: entry.createdAt,
    validUntil: quote?.validUntil ?? null,
    total: quote ? money(quote.total, currency) : null,
    lines: quote
      ? quote.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: money(l.unitPrice, currency) }))
      : payload.lines.map((l) => ({ ...l, unitPrice: null })),
    orderId: null,
    erpRefusal: entry.refusal?.reason ?? null,
    stale: entry.status === 'DONE' && quote === null && stale,
    erp: quote,
  };
  if (entry.status === 'REFUSED') return { ...base, status: 'WITHDRAWN' };
  if (quote) base.status = effectiveStatus(quote, today);
  // The buyer's responses still on their way to the ERP (or there already) count as given.
  const [accept, decline] = await Promise.all([deps.outbox.store.get(responseId(entry.id, 'accept')), deps.outbox.store.get(responseId(entry.id, 'decline'))]);
  if (accept && accept.status !== 'REFUSED') return { ...base, status: 'ACCEPTED', orderId: (accept.payload as QuoteRespondPayload).orderRef };
  if (decline && decline.status !== 'REFUSED' && base.status !== 'ACCEPTED') return { ...base, status: 'DECLINED' };
  return base;
}

/** Checks a quote request's input; the user errors, none when it is fine. */
export function validateQuoteInput(input: { lines: Array<{ sku: string; quantity: number }>; note?: string | null }, limits: QuoteDeps['limits']): UserError[] {
  const errors: UserError[] = [];
  if (input.lines.length === 0) errors.push({ code: 'NO_LINES', message: 'A quote request needs at least one line.', field: ['lines'] });
  if (input.lines.length > limits.maxLines)
    errors.push({ code: 'TOO_MANY_LINES', message: `A quote request has at most ${limits.maxLines} lines.`, field: ['lines'] });
  const seen = new Set<string>();
  input.lines.forEach((line, i) => {
    const sku = line.sku.trim();
    if (sku === '' || sku.length > 64) errors.push({ code: 'INVALID_SKU', message: 'A SKU is 1 to 64 characters.', field: ['lines', String(i), 'sku'] });
    if (seen.has(sku)) errors.push({ code: 'DUPLICATE_SKU', message: `${sku} is on two lines; put it on one.`, field: ['lines', String(i), 'sku'] });
    seen.add(sku);
    if (!(line.quantity > 0) || line.quantity > limits.maxQuantity)
      errors.push({ code: 'INVALID_QUANTITY', message: `A quantity is above 0 and at most ${limits.maxQuantity}.`, field: ['lines', String(i), 'quantity'] });
  });
  if ((input.note?.length ?? 0) > 1000) errors.push({ code: 'FIELD_TOO_LONG', message: 'A note is at most 1000 characters.', field: ['note'] });
  return errors;
}

/** The quote entry, if it is one (`quote.create`). */
export async function quoteEntry(deps: QuoteDeps, id: string): Promise<OutboxEntry | null> {
  const entry = await deps.outbox.store.get(id);
  return entry && entry.kind === QUOTE_CREATE ? entry : null;
}
