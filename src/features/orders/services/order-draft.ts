/**
 * An order drafted as `placeOrder` would take it, before anything is written: the account's rules
 * (PO number, ship-to), every line's item (sold to the customer, in its unit), its price on the
 * authoritative path, stock where backorders are refused, and a card's authorization. Shared by
 * placing an order and by the checkout preview, so a preview meets exactly the user errors the
 * order would.
 *
 * @module
 */
import { computeAvailability } from '../../../domain/atp/availability.ts';
import { utcDate } from '../../../domain/atp/calendar.ts';
import { DomainError } from '../../../domain/errors.ts';
import { Big, formatAmount } from '../../../domain/money.ts';
import type { OrderInput, UserError } from '../../../domain/orders/order-input.ts';
import { assertSoldTo } from '../../../domain/pricing/sales-restriction.ts';
import type { Address, CustomerAccount, ErpOrderLine, Item, OrderPayment } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { quoteBuyerPrice, type PricedQuote } from '../../../services/buyer-pricing.ts';
import type { Cached } from '../../../services/read-through-cache.ts';
import type { RequestScope } from '../../../services/request-scope.ts';
import { verifyCard } from './card-payment.ts';
import type { PlaceOrderDeps } from './place-order.ts';

/** What drafting needs of the order pipeline. */
export type DraftDeps = Pick<PlaceOrderDeps, 'clock' | 'policy' | 'payments'>;

/** An order ready to be decided on (credit, approval) and written, or previewed. */
export interface OrderDraft {
  account: Cached<CustomerAccount>;
  poNumber: string | null;
  shipTo: Address;
  /** The lines' items, in the input's order. */
  items: Array<Cached<Item>>;
  /** The lines as the ERP is sent them, at the prices quoted. */
  lines: ErpOrderLine[];
  /** Each line's price with its source and breaks, in the input's order; none for agreed prices (`lockedPrices`). */
  quotes: PricedQuote[];
  /** When the prices were read (the oldest line's), and whether any came from erpfront's copy. */
  pricing: { asOf: string; stale: boolean };
  /** The lines' amount, in the account's currency. */
  totalAmount: string;
  payment: OrderPayment;
}

/**
 * Drafts the order of `input` (already validated) for `customerId`, reading at the scope's
 * priority: the draft, or every user error found (at once where they can be found together).
 */
export async function draftOrder(
  deps: DraftDeps,
  scope: RequestScope,
  customerId: string,
  input: OrderInput,
  options: { lockedPrices?: ReadonlyMap<string, string> } = {},
): Promise<OrderDraft | { userErrors: UserError[] }> {
  const { clock, policy } = deps;
  const { reader } = scope;
  const account = await readOrFail(() => reader.account(customerId), 'UNKNOWN_CUSTOMER', `Customer ${customerId} is not known to the ERP.`);
  if (Array.isArray(account)) return { userErrors: account };
  const errors: UserError[] = [];

  const poNumber = input.poNumber?.trim() || null;
  if (account.value.poRequired && !poNumber) {
    errors.push({ code: 'PO_NUMBER_REQUIRED', message: `Customer ${customerId} requires a purchase-order number on every order.`, field: ['poNumber'] });
  }
  const shipTo = input.shipToId
    ? account.value.shipTos.find((s) => s.id === input.shipToId)
    : (account.value.shipTos.find((s) => s.isDefault) ?? account.value.shipTos[0]);
  if (!shipTo) {
    errors.push({
      code: 'UNKNOWN_SHIP_TO',
      message: `${input.shipToId ?? 'A default ship-to'} is not one of customer ${customerId}'s addresses.`,
      field: ['shipToId'],
    });
  }

  const items = await Promise.all(
    input.lines.map((line) => readOrFail(() => reader.item(line.sku.trim()), 'UNKNOWN_SKU', `${line.sku.trim()} is not in the catalog.`)),
  );
  items.forEach((item, i) => {
    const at = ['lines', String(i)];
    if (Array.isArray(item)) {
      errors.push(...item.map((e) => ({ ...e, field: [...at, 'sku'] })));
      return;
    }
    try {
      assertSoldTo(item.value, account.value);
    } catch (error) {
      errors.push({ code: 'NOT_SOLD_TO_CUSTOMER', message: (error as Error).message, field: [...at, 'sku'] });
    }
    const unit = input.lines[i]!.unit;
    if (unit && unit !== item.value.unitOfMeasure) {
      errors.push({ code: 'UNIT_MISMATCH', message: `${item.value.sku} is sold in ${item.value.unitOfMeasure}, not ${unit}.`, field: [...at, 'unit'] });
    }
  });
  if (errors.length) return { userErrors: errors };
  const lineItems = items as Array<Cached<Item>>;

  // Agreed prices (an accepted quote's) instead of today's buyer prices.
  const pricedLines = options.lockedPrices
    ? lockedLines(options.lockedPrices, lineItems, input, clock.now())
    : await priceLines(deps, scope, account.value, lineItems, input);
  if ('errors' in pricedLines) return { userErrors: pricedLines.errors };
  const { lines: priced, pricing, quotes } = pricedLines;
  const total = priced.reduce((sum, line) => sum.plus(new Big(line.unitPrice).times(line.quantity)), new Big(0));
  const totalAmount = formatAmount(total, account.value.currency);

  if (!policy.allowBackorders) {
    const today = utcDate(clock.now());
    for (const [i, line] of priced.entries()) {
      const stock = await readOrFail(() => reader.stock(line.sku), 'UNKNOWN_SKU', `${line.sku} is not in the catalog.`);
      if (Array.isArray(stock)) return { userErrors: stock };
      const atp = computeAvailability(stock.value, line.quantity, { today });
      if (atp.status !== 'IN_STOCK' && atp.status !== 'LOW_STOCK') {
        errors.push({
          code: 'INSUFFICIENT_STOCK',
          message: `Only ${atp.available} of ${line.sku} can ship now, and backorders are not accepted.`,
          field: ['lines', String(i), 'quantity'],
        });
      }
    }
    if (errors.length) return { userErrors: errors };
  }

  const payment: OrderPayment =
    input.payment?.method === 'CARD' ? { method: 'CARD', authorizationRef: input.payment.authorizationRef!.trim() } : { method: 'ON_ACCOUNT' };
  if (payment.method === 'CARD') {
    const refused = await verifyCard(deps.payments, payment.authorizationRef, { amount: totalAmount, currency: account.value.currency, customerId });
    if (refused) return { userErrors: [refused] };
  }
  return { account, poNumber, shipTo: shipTo!, items: lineItems, lines: priced, quotes, pricing, totalAmount, payment };
}

/** Every line at its locked price (an accepted quote's); a line without one is reported. */
function lockedLines(
  prices: ReadonlyMap<string, string>,
  items: Array<Cached<Item>>,
  input: OrderInput,
  now: number,
): { lines: ErpOrderLine[]; quotes: PricedQuote[]; pricing: { asOf: string; stale: boolean } } | { errors: UserError[] } {
  const errors: UserError[] = [];
  const lines = items.map((item, i) => {
    const unitPrice = prices.get(item.value.sku);
    if (unitPrice === undefined)
      errors.push({ code: 'NO_LOCKED_PRICE', message: `${item.value.sku} has no agreed price on this order.`, field: ['lines', String(i), 'sku'] });
    return { sku: item.value.sku, quantity: input.lines[i]!.quantity, unitPrice: unitPrice ?? '0', unitOfMeasure: item.value.unitOfMeasure };
  });
  return errors.length ? { errors } : { lines, quotes: [], pricing: { asOf: new Date(now).toISOString(), stale: false } };
}

/** Reads through the reader; a missing record (`notFound`) or an unreachable ERP becomes a user error. */
export async function readOrFail<T>(read: () => T | Promise<T>, notFound: string, notFoundMessage: string): Promise<T | UserError[]> {
  try {
    return await read();
  } catch (error) {
    // erpfront's own sentence: the ERP's text may name its records, its URL or its users.
    if (error instanceof ErpError && error.code === 'ERP_NOT_FOUND') return [{ code: notFound, message: notFoundMessage, field: [] }];
    if (error instanceof ErpError && error.transient) {
      return [
        { code: 'ERP_UNAVAILABLE', message: 'The ERP is not answering and erpfront has no recent copy of data this order needs; retry shortly.', field: [] },
      ];
    }
    if (error instanceof DomainError) return [{ code: error.code, message: error.message, field: [] }];
    throw error;
  }
}

/**
 * Prices every line through the pricing service on the authoritative path: fresh from the ERP when
 * it answers (at the scope's order priority), else the cached price if younger than the policy
 * allows. Every line that cannot be priced is reported, each at its own line.
 */
async function priceLines(
  deps: DraftDeps,
  scope: RequestScope,
  account: CustomerAccount,
  items: Array<Cached<Item>>,
  input: OrderInput,
): Promise<{ lines: ErpOrderLine[]; quotes: PricedQuote[]; pricing: { asOf: string; stale: boolean } } | { errors: UserError[] }> {
  const authoritative = { maxAgeMs: deps.policy.priceMaxAgeMs };
  const errors: UserError[] = [];
  // All lines are asked at once, so their prices reach the ERP in one batch.
  const quotes = await Promise.all(
    items.map(async (item, i): Promise<PricedQuote | null> => {
      try {
        return await quoteBuyerPrice(scope, account, item.value, input.lines[i]!.quantity, { authoritative });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        errors[i] = { code: error.code, message: error.message, field: ['lines', String(i)] };
        return null;
      }
    }),
  );
  if (errors.length) return { errors: errors.filter(Boolean) };
  const lines = quotes.map((quote, i) => ({
    sku: items[i]!.value.sku,
    quantity: quote!.quantity,
    unitPrice: quote!.unitPrice.amount,
    unitOfMeasure: items[i]!.value.unitOfMeasure,
  }));
  // biome-ignore lint/complexity/useMathMinMax: ISO 8601 instants, compared as text
  const asOf = quotes.reduce((oldest, quote) => (quote!.asOf < oldest ? quote!.asOf : oldest), quotes[0]!.asOf);
  return { lines, quotes: quotes as PricedQuote[], pricing: { asOf, stale: quotes.some((quote) => quote!.stale) } };
}
