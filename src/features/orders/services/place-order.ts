/**
 * Placing an order: validate → re-price on the authoritative path → credit decision → availability
 * → write durably → submit to the ERP → answer. Business failures come back as user errors;
 * nothing is written for an order that fails them.
 *
 * @module
 */
import type { CreditDecision } from '../../../domain/credit/credit-decision.ts';
import { utcDate } from '../../../domain/atp/calendar.ts';
import { validateOrderInput, type OrderInput } from '../../../domain/orders/order-input.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { Principal } from '../../../domain/principal.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { ErpConnector } from '../../../ports/erp-connector.ts';
import type { Metrics } from '../../../ports/metrics.ts';
import type { OrderStore, StoredOrder } from '../../../ports/order-store.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { PaymentGateway } from '../../../ports/payment-gateway.ts';
import { draftOrder } from './order-draft.ts';
import { IdempotencyClaimLostError } from '../../../ports/store-error.ts';
import type { ReadThroughCache } from '../../../services/read-through-cache.ts';
import { atPriority, type RequestScope } from '../../../services/request-scope.ts';
import { inSpan, setDefined, SpanAttributes } from '../../../services/tracing.ts';
import { payloadHash } from './order-identity.ts';
import type { OrderDispatcher } from './order-dispatcher.ts';
import type { CreditLanes } from './credit-lanes.ts';
import { keepClaim, keyInUse } from './idempotency-claim.ts';
import { openOnce, type OrderApprovalGate } from './order-approval.ts';
import { decideAndWrite } from './order-credit.ts';
import { failed, type PlaceOrderResult } from './place-order-result.ts';

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
  /** A customer's credit decisions in this process, one at a time (see credit-lanes.ts). */
  creditLanes: CreditLanes;
  /** Company approvals (set by the company feature, after this one); absent: no order waits for one. */
  approvals?: OrderApprovalGate;
}

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
  const { policy, metrics, dispatcher } = deps;
  const drafted = await draftOrder(deps, scope, customerId, input, options);
  if ('userErrors' in drafted) return failed(...drafted.userErrors);
  const { account, poNumber, shipTo, items: lineItems, lines: priced, pricing, totalAmount, payment } = drafted;
  const approval = deps.approvals
    ? await deps.approvals.check({
        scope,
        customerId,
        total: totalAmount,
        currency: account.value.currency,
        lines: priced.map((line, i) => ({ ...line, category: lineItems[i]!.value.category ?? null })),
        shipToId: shipTo.id,
      })
    : null;
  if (approval && 'userErrors' in approval) {
    metrics.orderOutcome('INVALID');
    return failed(...approval.userErrors);
  }
  // The credit decision and the insert are one step per customer, in every store: the insert
  // holds only if the customer's exposure is unchanged since it was read, else it is decided again.
  const draft = { poNumber, shipToId: shipTo.id, payment, lines: priced, totalAmount, input, key, idempotency, approval: approval && openOnce(approval) };
  const decided = await deps.creditLanes.run(customerId, async () => {
    let outcome: { order: StoredOrder; credit: CreditDecision } | PlaceOrderResult | null = null;
    for (let round = 0; outcome === null; round++) outcome = await decideAndWrite(deps, principal, customerId, account, draft, round);
    return outcome;
  });
  if (!('credit' in decided)) return decided;
  const { order, credit } = decided;
  const log = scope.log;
  const placed = {
    orderId: order.id,
    customerId,
    placedBy: order.placedBy,
    ...(order.onBehalf ? { onBehalfRep: order.onBehalf.repId } : {}),
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
