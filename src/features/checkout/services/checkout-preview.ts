/**
 * The checkout preview: the order a buyer is about to place, drafted exactly as `placeOrder`
 * drafts it (`order-draft.ts`: the same reads, prices and user errors), with each line's
 * availability, the ERP's own subtotal, tax and shipping (capability `checkout`), the credit
 * decision and whether the company's approvers would have to approve it. It writes nothing: no
 * order, no idempotency key, no approval flow, no credit reservation, nothing left in the ERP.
 *
 * While the ERP does not answer, prices come from erpfront's copy as an order's would (within
 * ORDER_PRICE_MAX_AGE_SECONDS) and the preview is `stale` with `asOf`. Tax is then an estimate:
 * the subtotal at the rate the ERP last applied for the customer's ship-to region
 * (`tax-rates.ts`), said in `taxEstimate` with the rate's `asOf`, or `null` when no rate is known;
 * shipping and total are `null`; `totalsUnavailable` says why. Never a figure passed off as the ERP's.
 *
 * @module
 */
import type { CreditDecision } from '../../../domain/credit/credit-decision.ts';
import { utcDate } from '../../../domain/atp/calendar.ts';
import { DomainError } from '../../../domain/errors.ts';
import { money, type Money } from '../../../domain/money.ts';
import { validateOrderInput, type OrderInput, type UserError } from '../../../domain/orders/order-input.ts';
import type { Address, ErpOrderTotals } from '../../../ports/erp-connector.ts';
import { ErpError, isTransientErpError } from '../../../ports/erp-error.ts';
import { availabilityFor, type AvailabilityAnswer } from '../../../services/availability.ts';
import type { PricedQuote } from '../../../services/buyer-pricing.ts';
import { atPriority, type RequestScope } from '../../../services/request-scope.ts';
import { draftOrder } from '../../orders/services/order-draft.ts';
import { estimateTax, keepTaxRate, lastTaxRate, taxRegion, type KnownTaxRate } from './tax-rates.ts';
import { creditBlocked, decideOrderCredit } from '../../orders/services/order-credit.ts';
import type { PlaceOrderDeps } from '../../orders/services/place-order.ts';

/** What a buyer previews: the lines, ship-to and payment of `PlaceOrderInput`. */
export type CheckoutInput = Pick<OrderInput, 'lines' | 'shipToId' | 'payment' | 'poNumber' | 'requestedDate'>;

export interface CheckoutLine {
  sku: string;
  quantity: number;
  unitOfMeasure: string;
  unitPrice: Money;
  /** The price with its source and breaks, as the catalog shows it. */
  price: PricedQuote;
  availability: AvailabilityAnswer;
}

export interface CheckoutPreview {
  lines: CheckoutLine[];
  subtotal: Money | null;
  tax: Money | null;
  shipping: Money | null;
  total: Money | null;
  /** Why tax (or its being an estimate), shipping and total are not the ERP's (it did not answer, or cannot compute them). */
  totalsUnavailable: string | null;
  /** The rate `tax` was estimated at while the ERP did not answer; `null` when `tax` is the ERP's or unknown. */
  taxEstimate: KnownTaxRate | null;
  creditDecision: CreditDecision | null;
  /** Whether the company's approvers would have to approve the order; `null` when not decided. */
  approvalRequired: boolean | null;
  /** True when any figure is erpfront's copy rather than the ERP's answer of this request. */
  stale: boolean;
  /** When the oldest figure was read from the ERP. */
  asOf: string | null;
  userErrors: UserError[];
}

/** What the preview needs: the order pipeline's pieces, and how availability splits. */
export interface PreviewDeps extends PlaceOrderDeps {
  allowSplitShipments: boolean;
}

/** A preview that stops at user errors, as the order would. */
const nothing = (userErrors: UserError[]): CheckoutPreview => ({
  lines: [],
  subtotal: null,
  tax: null,
  shipping: null,
  total: null,
  totalsUnavailable: null,
  taxEstimate: null,
  creditDecision: null,
  approvalRequired: null,
  stale: false,
  asOf: null,
  userErrors,
});

/** Previews the order of `input` for the scope's customer. */
export async function previewCheckout(deps: PreviewDeps, scope: RequestScope, input: CheckoutInput): Promise<CheckoutPreview> {
  const { customerId } = scope;
  if (customerId === null)
    throw new DomainError('CUSTOMER_REQUIRED', 'A checkout belongs to a customer: name one of your assigned customers in the X-Customer-Id header.');
  const { clock, policy } = deps;
  const inputErrors = validateOrderInput(input, { maxLines: policy.maxLines, maxQuantity: policy.maxQuantity, today: utcDate(clock.now()) });
  if (inputErrors.length) return nothing(inputErrors);
  // The buyer is at checkout: its reads wait in the ERP budget as an order's do.
  const orderScope = atPriority(deps, scope, 'order');
  const draft = await draftOrder(deps, orderScope, customerId, input);
  if ('userErrors' in draft) return nothing(draft.userErrors);
  const currency = draft.account.value.currency;

  // Every read is started at once, so the request's loaders batch them into one call per kind.
  const [availability, totals, credit, approval] = await Promise.all([
    Promise.all(draft.lines.map((line) => availabilityFor(orderScope.reader, line.sku, line.quantity, clock, { allowSplit: deps.allowSplitShipments }))),
    erpTotals(deps, scope, draft.shipTo, { customerId, shipToId: draft.shipTo.id, currency, payment: draft.payment, lines: draft.lines }),
    decideOrderCredit(deps, customerId, draft.account, draft.totalAmount, draft.payment),
    deps.approvals
      ? deps.approvals.check({
          scope: orderScope,
          customerId,
          total: draft.totalAmount,
          currency,
          lines: draft.lines.map((line, i) => ({ ...line, category: draft.items[i]!.value.category ?? null })),
          shipToId: draft.shipTo.id,
        })
      : null,
  ]);

  const userErrors: UserError[] = [];
  if (credit.credit.decision === 'BLOCK') userErrors.push(creditBlocked(credit.credit, customerId, draft.account.value, draft.totalAmount));
  if (approval && 'userErrors' in approval) userErrors.push(...approval.userErrors);
  if ('userErrors' in totals) userErrors.push(...totals.userErrors);

  const lines = draft.lines.map(
    (line, i): CheckoutLine => ({
      sku: line.sku,
      quantity: line.quantity,
      unitOfMeasure: line.unitOfMeasure,
      unitPrice: money(line.unitPrice, currency),
      price: draft.quotes[i]!,
      availability: availability[i]!,
    }),
  );
  const estimate = 'unavailable' in totals ? totals.rate : null;
  const readAt = [
    draft.pricing.asOf,
    draft.account.asOf,
    ...availability.map((a) => a.asOf),
    ...('asOf' in totals ? [totals.asOf] : []),
    ...(estimate ? [estimate.asOf] : []),
  ];
  // biome-ignore lint/complexity/useMathMinMax: ISO 8601 instants, compared as text
  const asOf = readAt.filter(Boolean).reduce((oldest, at) => (at < oldest ? at : oldest));
  const stale = draft.pricing.stale || draft.account.stale || availability.some((a) => a.stale) || 'unavailable' in totals;
  const erp = 'totals' in totals ? totals.totals : null;
  const subtotal = money(erp?.subtotal ?? draft.totalAmount, currency);
  return {
    lines,
    subtotal,
    tax: erp ? money(erp.tax, currency) : estimate ? estimateTax(subtotal, estimate) : null,
    shipping: erp ? money(erp.shipping, currency) : null,
    total: erp ? money(erp.total, currency) : null,
    totalsUnavailable: 'unavailable' in totals ? totals.unavailable : null,
    taxEstimate: estimate,
    creditDecision: credit.credit,
    approvalRequired: approval === null ? false : 'open' in approval ? true : null,
    stale,
    asOf,
    userErrors,
  };
}

type TotalsAnswer =
  | { totals: ErpOrderTotals; asOf: string }
  /** `rate`: the last known tax rate for the ship-to, to estimate tax with; `null` when none is known. */
  | { unavailable: string; rate: KnownTaxRate | null }
  | { userErrors: UserError[] };

/**
 * The ERP's totals for the draft, its tax rate kept for the ship-to's region; why there are none
 * when it cannot give them now, with the last rate it applied there.
 */
async function erpTotals(
  deps: PreviewDeps,
  scope: RequestScope,
  shipTo: Address,
  draft: Parameters<PlaceOrderDeps['erp']['quoteTotals']>[0],
): Promise<TotalsAnswer> {
  if (!deps.erp.supports('checkout')) {
    return {
      unavailable: 'This ERP does not compute tax and shipping before an order is placed; they are computed when the order is entered.',
      rate: null,
    };
  }
  try {
    const totals = await deps.erp.quoteTotals(draft, { priority: 'order' });
    await keepTaxRate(deps.cache, draft.customerId, shipTo, totals, scope.log);
    return { totals, asOf: new Date(deps.clock.now()).toISOString() };
  } catch (error) {
    if (isTransientErpError(error)) {
      const rate = await lastTaxRate(deps.cache, draft.customerId, shipTo, scope.log);
      return {
        unavailable: rate
          ? `The ERP is not answering: tax is estimated on the subtotal at the rate the ERP applied to ${rate.region} on ${rate.asOf} (taxEstimate); shipping, its tax and the total are not known until it answers again.`
          : `The ERP is not answering, and no tax rate it applied to ${taxRegion(shipTo)} for this customer is known: tax, shipping and the total are not known until it answers again.`,
        rate,
      };
    }
    // The ERP would not enter such an order: the same refusal the order would meet, in erpfront's words.
    if (error instanceof ErpError && error.code === 'ERP_REJECTED') {
      return {
        userErrors: [
          { code: error.reason ?? 'REJECTED', message: 'The ERP would not take this order as it stands; check the ship-to and the lines.', field: [] },
        ],
      };
    }
    throw error;
  }
}
