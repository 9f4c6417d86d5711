/**
 * Placing an order: validate → re-price on the authoritative path → credit decision → availability
 * → write durably → submit to the ERP → answer. Business failures come back as user errors;
 * nothing is written for an order that fails them.
 *
 * @module
 */
import { decideCredit, type CreditDecision } from '../../../domain/credit/credit-decision.ts';
import { creditStatus } from '../../../domain/credit/credit-status.ts';
import { computeAvailability } from '../../../domain/atp/availability.ts';
import { utcDate } from '../../../domain/atp/calendar.ts';
import { Big, formatAmount } from '../../../domain/money.ts';
import { validateOrderInput, type OrderInput, type UserError } from '../../../domain/orders/order-input.ts';
import { DomainError } from '../../../domain/errors.ts';
import { assertSoldTo } from '../../../domain/pricing/sales-restriction.ts';
import type { Principal } from '../../../domain/principal.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { CustomerAccount, ErpConnector, ErpOrderLine, Item, OrderPayment } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import type { Metrics } from '../../../ports/metrics.ts';
import type { OrderStore, StoredOrder } from '../../../ports/order-store.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { PaymentGateway } from '../../../ports/payment-gateway.ts';
import { verifyCard } from './card-payment.ts';
import { ExposureChangedError, IdempotencyClaimLostError } from '../../../ports/store-error.ts';
import { quoteBuyerPrice, type PricedQuote } from '../../../services/buyer-pricing.ts';
import type { Cached, ReadThroughCache } from '../../../services/read-through-cache.ts';
import { atPriority, type RequestScope } from '../../../services/request-scope.ts';
import { inSpan, setDefined, SpanAttributes } from '../../../services/tracing.ts';
import { newOrderId, payloadHash } from './order-identity.ts';
import type { OrderDispatcher } from './order-dispatcher.ts';

export interface OrderPolicy {
  maxLines: number;
  maxQuantity: number;
  /** How old a cached price may be to price an order while the ERP does not answer. */
  priceMaxAgeMs: number;
  /** What happens to an order past the credit limit. */
  overLimit: 'REVIEW' | 'BLOCK';
  allowBackorders: boolean;
  /** How long idempotency keys are kept (at least 24 h). */
  idempotencyTtlMs: number;
  /** How long `placeOrder` waits for the ERP before answering QUEUED. */
  submitWaitMs: number;
  /**
   * How long an idempotency claim outlives its last renewal (IDEMPOTENCY_CLAIM_SECONDS). A running
   * request renews its claim every third of this, so a retry finds the key free this soon after
   * the instance holding it died, and never while it lives.
   */
  claimMs: number;
  /** Whether an account on credit hold may still pay by card (CREDIT_HOLD_ALLOWS_CARD). */
  creditHoldAllowsCard: boolean;
}

export interface PlaceOrderDeps {
  erp: ErpConnector;
  cache: ReadThroughCache;
  store: OrderStore;
  dispatcher: OrderDispatcher;
  clock: Clock;
  metrics: Metrics;
  policy: OrderPolicy;
  /** The largest keys list per ERP call, for the order's own reader. */
  maxBatchSize: number;
  /** Verifies card authorizations; `null`: no gateway, card orders are not taken. */
  payments: PaymentGateway | null;
  logger: Logger;
  /** Company approvals (set by the company feature, after this one); absent: no order waits for one. */
  approvals?: OrderApprovalGate;
}

/** What the approval gate is told of an order about to be written. */
export interface ApprovalCheck {
  scope: RequestScope;
  customerId: string;
  total: string;
  currency: string;
  lines: ReadonlyArray<ErpOrderLine & { category: string | null }>;
  shipToId: string;
}

/** An order that needs approval: `open` records its flow, just before the order is written. */
export interface ApprovalNeeded {
  open(orderId: string, now: number): Promise<void>;
}

/**
 * Decides, before an order is written, whether it waits for the company's approvers: `null` when
 * it does not; user errors when it cannot be taken at all (no approver could ever approve it, a
 * ship-to the buyer may not use).
 */
export interface OrderApprovalGate {
  check(order: ApprovalCheck): Promise<ApprovalNeeded | { userErrors: UserError[] } | null>;
}

export interface PlaceOrderResult {
  order: StoredOrder | null;
  userErrors: UserError[];
  creditDecision: CreditDecision | null;
  /**
   * When the prices this request priced the order at were read from the ERP (the oldest line's),
   * and whether any came from erpfront's copy because the ERP did not answer (the price sheet, a
   * recent read). Absent when this request priced no order (a user error, a repeated key).
   */
  pricing?: { asOf: string; stale: boolean };
}

const failed = (...userErrors: UserError[]): PlaceOrderResult => ({ order: null, userErrors, creditDecision: null });

/** How an order is placed besides its input. */
export interface PlaceOrderOptions {
  /**
   * Unit prices agreed beforehand (an accepted quote's), by SKU: every line is priced at its
   * locked price instead of the buyer's price of today. Every line's SKU must have one.
   */
  lockedPrices?: ReadonlyMap<string, string>;
}

/**
 * Places an order for the scope's customer on behalf of its principal. Traced as `order place`:
 * its reads, its ERP calls and the wait for the first submission are its children; the span
 * names the order, its status and the user errors' codes.
 */
export function placeOrder(deps: PlaceOrderDeps, scope: RequestScope, input: OrderInput, options: PlaceOrderOptions = {}): Promise<PlaceOrderResult> {
  return inSpan('order place', { attributes: { [SpanAttributes.requestId]: scope.requestId } }, async (span) => {
    const result = await place(deps, scope, input, options);
    setDefined(span, {
      [SpanAttributes.customerId]: scope.customerId,
      [SpanAttributes.orderId]: result.order?.id,
      [SpanAttributes.orderStatus]: result.order?.status,
      'erpfront.order.user_errors': result.userErrors.map((e) => e.code).join(',') || undefined,
    });
    return result;
  });
}

async function place(deps: PlaceOrderDeps, scope: RequestScope, input: OrderInput, options: PlaceOrderOptions): Promise<PlaceOrderResult> {
  const { store, clock, policy, metrics } = deps;
  const { principal, customerId } = scope;
  if (customerId === null)
    throw new DomainError('CUSTOMER_REQUIRED', 'An order belongs to a customer: name one of your assigned customers in the X-Customer-Id header.');
  // The order's own reads wait in the ERP budget at order priority, ahead of catalog browsing.
  const orderScope = atPriority(deps, scope, 'order');
  const inputErrors = validateOrderInput(input, { maxLines: policy.maxLines, maxQuantity: policy.maxQuantity, today: utcDate(clock.now()) });
  if (inputErrors.length) {
    metrics.orderOutcome('INVALID');
    return failed(...inputErrors);
  }

  const key = input.idempotencyKey?.trim() || null;
  const scopedKey = key ? `${customerId}:${key}` : null;
  // This request's own claim on the key: only it completes or releases the claim.
  const claimId = crypto.randomUUID();
  if (scopedKey) {
    const claim = await store.claimIdempotencyKey(scopedKey, await payloadHash(input), {
      now: clock.now(),
      ttlMs: policy.idempotencyTtlMs,
      staleAfterMs: policy.claimMs,
      claimId,
    });
    if (claim.kind === 'mismatch') {
      return failed({
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: 'This idempotency key was used for a different order; use a new key for a new order.',
        field: ['idempotencyKey'],
      });
    }
    if (claim.kind === 'in_use') {
      return keyInUse();
    }
    if (claim.kind === 'completed') {
      const order = await store.get(claim.orderId);
      return { order, userErrors: [], creditDecision: order?.creditDecision ?? null };
    }
  }

  let written = false;
  const renewal = scopedKey ? keepClaim(deps, scopedKey, claimId) : null;
  try {
    const idempotency = scopedKey ? { key: scopedKey, claimId } : null;
    const result = await prepareAndWrite(deps, principal, customerId, orderScope, input, key, idempotency, options);
    written = result.order !== null;
    return result;
  } catch (error) {
    // This request outlived its claim and another took the key over: that one gives the answer.
    if (error instanceof IdempotencyClaimLostError) return keyInUse();
    throw error;
  } finally {
    renewal?.stop();
    // Nothing written (a user error, or a failure): the key is free to be used again.
    if (scopedKey && !written) await store.releaseIdempotencyKey(scopedKey, claimId);
  }
}

/**
 * Renews this request's claim while it runs. A renewal that fails (the store is briefly away) is
 * simply tried again at the next beat; should the claim be lost meanwhile, the insert refuses to
 * write (`IdempotencyClaimLostError`), so a key never makes two orders.
 */
function keepClaim(deps: PlaceOrderDeps, key: string, claimId: string): { stop(): void } {
  const timer = setInterval(
    () => {
      deps.store.renewIdempotencyClaim(key, claimId, deps.clock.now()).catch(() => {});
    },
    Math.max(100, Math.floor(deps.policy.claimMs / 3)),
  );
  (timer as { unref?: () => void }).unref?.();
  return { stop: () => clearInterval(timer) };
}

const keyInUse = () =>
  failed({
    code: 'IDEMPOTENCY_KEY_IN_USE',
    message: 'A request with this idempotency key is still being processed; retry in a moment to get its result.',
    field: ['idempotencyKey'],
  });

async function prepareAndWrite(
  deps: PlaceOrderDeps,
  principal: Principal,
  customerId: string,
  scope: RequestScope,
  input: OrderInput,
  key: string | null,
  idempotency: { key: string; claimId: string } | null,
  options: PlaceOrderOptions,
): Promise<PlaceOrderResult> {
  const { clock, policy, metrics, dispatcher } = deps;
  const { reader } = scope;
  const account = await readOrFail(() => reader.account(customerId), 'UNKNOWN_CUSTOMER', `Customer ${customerId} is not known to the ERP.`);
  if (Array.isArray(account)) return failed(...account);
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
  if (errors.length) return failed(...errors);
  const lineItems = items as Array<Cached<Item>>;

  const pricedLines = options.lockedPrices
    ? lockedLines(options.lockedPrices, lineItems, input, clock.now())
    : await priceLines(deps, scope, account.value, lineItems, input);
  if ('errors' in pricedLines) return failed(...pricedLines.errors);
  const { lines: priced, pricing } = pricedLines;
  const total = priced.reduce((sum, line) => sum.plus(new Big(line.unitPrice).times(line.quantity)), new Big(0));
  const totalAmount = formatAmount(total, account.value.currency);

  if (!policy.allowBackorders) {
    const today = utcDate(clock.now());
    for (const [i, line] of priced.entries()) {
      const stock = await readOrFail(() => reader.stock(line.sku), 'UNKNOWN_SKU', `${line.sku} is not in the catalog.`);
      if (Array.isArray(stock)) return failed(...stock);
      const atp = computeAvailability(stock.value, line.quantity, { today });
      if (atp.status !== 'IN_STOCK' && atp.status !== 'LOW_STOCK') {
        errors.push({
          code: 'INSUFFICIENT_STOCK',
          message: `Only ${atp.available} of ${line.sku} can ship now, and backorders are not accepted.`,
          field: ['lines', String(i), 'quantity'],
        });
      }
    }
    if (errors.length) return failed(...errors);
  }

  const payment: OrderPayment =
    input.payment?.method === 'CARD' ? { method: 'CARD', authorizationRef: input.payment.authorizationRef!.trim() } : { method: 'ON_ACCOUNT' };
  if (payment.method === 'CARD') {
    const refused = await verifyCard(deps.payments, payment.authorizationRef, { amount: totalAmount, currency: account.value.currency, customerId });
    if (refused) return failed(refused);
  }
  const approval = deps.approvals
    ? await deps.approvals.check({
        scope,
        customerId,
        total: totalAmount,
        currency: account.value.currency,
        lines: priced.map((line, i) => ({ ...line, category: lineItems[i]!.value.category ?? null })),
        shipToId: shipTo!.id,
      })
    : null;
  if (approval && 'userErrors' in approval) {
    metrics.orderOutcome('INVALID');
    return failed(...approval.userErrors);
  }
  // The credit decision and the insert are one step per customer, in every store: the insert
  // holds only if the customer's exposure is unchanged since it was read, else it is decided again.
  let decided: { order: StoredOrder; credit: CreditDecision } | PlaceOrderResult | null = null;
  for (let round = 0; decided === null; round++) {
    decided = await decideAndWrite(
      deps,
      principal,
      customerId,
      account,
      { poNumber, shipToId: shipTo!.id, payment, lines: priced, totalAmount, input, key, idempotency, approval: approval && openOnce(approval) },
      round,
    );
  }
  if (!('credit' in decided)) return decided;
  const { order, credit } = decided;
  const log = scope.log;
  const placed = {
    orderId: order.id,
    customerId,
    placedBy: order.placedBy,
    total: order.total,
    currency: order.currency,
    lines: order.request.lines.length,
    credit: credit.decision,
  };
  if (order.status === 'ON_HOLD' || order.status === 'PENDING_APPROVAL') {
    metrics.orderOutcome(order.status);
    log.info('order placed', { ...placed, status: order.status });
    return { order, userErrors: [], creditDecision: credit, pricing };
  }
  log.info('order placed', { ...placed, status: 'QUEUED' });
  // The order is safe on disk; give the ERP a moment to take it, else answer QUEUED.
  const settled = (await dispatcher.settle(order.id, policy.submitWaitMs)) ?? order;
  if (settled.status === 'QUEUED') {
    metrics.orderOutcome('QUEUED');
    log.info('order queued', { orderId: order.id, status: 'QUEUED', waitedMs: policy.submitWaitMs });
  }
  return { order: settled, userErrors: [], creditDecision: credit, pricing };
}

/**
 * The approval's flow is opened once, for the first id tried: a credit decision taken again
 * (another order of the customer moved) writes the order under that same id, so no flow is left
 * behind for an id that was never written.
 */
function openOnce(approval: ApprovalNeeded): ApprovalNeeded & { orderId?: string } {
  let opened: { id: string; done: Promise<void> } | null = null;
  return {
    get orderId() {
      return opened?.id;
    },
    open(orderId, now) {
      opened ??= { id: orderId, done: approval.open(orderId, now) };
      return opened.done;
    },
  };
}

/** How often a credit decision is taken again when other orders of the customer keep moving. */
const MAX_CREDIT_ROUNDS = 50;

/**
 * Decides credit on the customer's exposure as it stands and writes the order against that very
 * exposure; `null` when the exposure moved meanwhile (decide again). Orders erpfront accepted but
 * the ERP's figures do not show yet (queued, or submitted after the figures were read) count.
 */
async function decideAndWrite(
  deps: PlaceOrderDeps,
  principal: Principal,
  customerId: string,
  account: Cached<CustomerAccount>,
  draft: {
    poNumber: string | null;
    shipToId: string;
    payment: OrderPayment;
    lines: ErpOrderLine[];
    totalAmount: string;
    input: OrderInput;
    key: string | null;
    idempotency: { key: string; claimId: string } | null;
    approval: (ApprovalNeeded & { orderId?: string }) | null;
  },
  round: number,
): Promise<{ order: StoredOrder; credit: CreditDecision } | PlaceOrderResult | null> {
  const { store, clock, policy, metrics } = deps;
  const exposure = draft.payment.method === 'ON_ACCOUNT' ? await store.pendingExposure(customerId, account.asOf) : null;
  const credit = decideCredit(
    creditStatus(account.value.credit, account.value.currency, exposure ? [exposure.total] : []),
    draft.totalAmount,
    draft.payment,
    policy.overLimit,
    policy.creditHoldAllowsCard,
  );
  if (credit.decision === 'BLOCK') {
    metrics.orderOutcome('BLOCKED');
    const message =
      credit.reason === 'CREDIT_HOLD'
        ? `Customer ${customerId} is on credit hold${account.value.credit.holdReason ? ` (${account.value.credit.holdReason})` : ''}; pay by card or contact accounts receivable.`
        : `This order of ${draft.totalAmount} ${account.value.currency} exceeds customer ${customerId}'s available credit.`;
    return { order: null, userErrors: [{ code: credit.reason!, message, field: [] }], creditDecision: credit };
  }
  const id = draft.approval?.orderId ?? newOrderId(clock.now());
  const { input } = draft;
  // The flow first: an order waiting for approval always has one (a flow left without its order,
  // by a failed insert, is never listed).
  await draft.approval?.open(id, clock.now());
  try {
    const order = await store.insert(
      {
        id,
        customerId,
        // Approval comes first; the credit decision is taken again once approved.
        status: draft.approval ? 'PENDING_APPROVAL' : credit.decision === 'REVIEW' ? 'ON_HOLD' : 'QUEUED',
        request: {
          externalRef: id,
          customerId,
          poNumber: draft.poNumber,
          shipToId: draft.shipToId,
          requestedDate: input.requestedDate ?? null,
          currency: account.value.currency,
          payment: draft.payment,
          notes: input.notes?.trim() || null,
          lines: draft.lines,
        },
        total: draft.totalAmount,
        currency: account.value.currency,
        placedBy: principal.subject,
        creditDecision: credit,
        idempotencyKey: draft.key,
      },
      { now: clock.now(), ...(draft.idempotency ? { idempotency: draft.idempotency } : {}), ...(exposure ? { exposureVersion: exposure.version } : {}) },
    );
    return { order, credit };
  } catch (error) {
    if (error instanceof ExposureChangedError) {
      if (round < MAX_CREDIT_ROUNDS) return null;
      // Dozens of this customer's orders at the same instant: a retry with the same key gets there.
      return failed({
        code: 'CREDIT_CHECK_BUSY',
        message: `Customer ${customerId}'s orders kept changing while this one was being decided; retry with the same idempotency key.`,
        field: [],
      });
    }
    throw error;
  }
}

/** Reads through the reader; a missing record (`notFound`) or an unreachable ERP becomes a user error. */
async function readOrFail<T>(read: () => T | Promise<T>, notFound: string, notFoundMessage: string): Promise<T | UserError[]> {
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

/** Every line at its locked price (an accepted quote's); a line without one is reported. */
function lockedLines(
  prices: ReadonlyMap<string, string>,
  items: Array<Cached<Item>>,
  input: OrderInput,
  now: number,
): { lines: ErpOrderLine[]; pricing: { asOf: string; stale: boolean } } | { errors: UserError[] } {
  const errors: UserError[] = [];
  const lines = items.map((item, i) => {
    const unitPrice = prices.get(item.value.sku);
    if (unitPrice === undefined)
      errors.push({ code: 'NO_LOCKED_PRICE', message: `${item.value.sku} has no agreed price on this order.`, field: ['lines', String(i), 'sku'] });
    return { sku: item.value.sku, quantity: input.lines[i]!.quantity, unitPrice: unitPrice ?? '0', unitOfMeasure: item.value.unitOfMeasure };
  });
  return errors.length ? { errors } : { lines, pricing: { asOf: new Date(now).toISOString(), stale: false } };
}

/**
 * Prices every line through the pricing service on the authoritative path: fresh from the ERP when
 * it answers (at the scope's order priority), else the cached price if younger than the policy
 * allows. Every line that cannot be priced is reported, each at its own line.
 */
async function priceLines(
  deps: PlaceOrderDeps,
  scope: RequestScope,
  account: CustomerAccount,
  items: Array<Cached<Item>>,
  input: OrderInput,
): Promise<{ lines: ErpOrderLine[]; pricing: { asOf: string; stale: boolean } } | { errors: UserError[] }> {
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
  return { lines, pricing: { asOf, stale: quotes.some((quote) => quote!.stale) } };
}
