/**
 * Placing an order: validate → re-price on the authoritative path → credit decision → availability
 * → write durably → submit to the ERP → answer. Business failures come back as user errors;
 * nothing is written for an order that fails them.
 *
 * @module
 */
import { decideCredit, type CreditDecision } from '../../../domain/credit/credit-decision.ts';
import { creditStatus } from '../../../domain/credit/credit-status.ts';
import { utcDate } from '../../../domain/atp/calendar.ts';
import { validateOrderInput, type OrderInput, type UserError } from '../../../domain/orders/order-input.ts';
import { DomainError } from '../../../domain/errors.ts';
import { onBehalfOf } from '../../../domain/orders/on-behalf.ts';
import type { Principal } from '../../../domain/principal.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { CustomerAccount, ErpConnector, ErpOrderLine, OrderPayment } from '../../../ports/erp-connector.ts';
import type { Metrics } from '../../../ports/metrics.ts';
import type { OrderStore, StoredOrder } from '../../../ports/order-store.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { PaymentGateway } from '../../../ports/payment-gateway.ts';
import { draftOrder } from './order-draft.ts';
import { ExposureChangedError, IdempotencyClaimLostError } from '../../../ports/store-error.ts';
import type { Cached, ReadThroughCache } from '../../../services/read-through-cache.ts';
import { atPriority, type RequestScope } from '../../../services/request-scope.ts';
import { inSpan, setDefined, SpanAttributes } from '../../../services/tracing.ts';
import { newOrderId, payloadHash } from './order-identity.ts';
import type { OrderDispatcher } from './order-dispatcher.ts';
import type { CreditLanes } from './credit-lanes.ts';

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

/**
 * The credit decision on an order of `totalAmount` as the customer's exposure stands: the ERP's
 * figures plus the orders erpfront accepted that they do not show yet. Reads, never writes; the
 * exposure's version lets the insert hold only while it is unchanged.
 */
export async function decideOrderCredit(
  deps: Pick<PlaceOrderDeps, 'store' | 'policy'>,
  customerId: string,
  account: Cached<CustomerAccount>,
  totalAmount: string,
  payment: OrderPayment,
): Promise<{ credit: CreditDecision; exposure: { total: string; version: string } | null }> {
  const { store, policy } = deps;
  const exposure = payment.method === 'ON_ACCOUNT' ? await store.pendingExposure(customerId, account.asOf) : null;
  const credit = decideCredit(
    creditStatus(account.value.credit, account.value.currency, exposure ? [exposure.total] : []),
    totalAmount,
    payment,
    policy.overLimit,
    policy.creditHoldAllowsCard,
  );
  return { credit, exposure };
}

/** The user error of an order the credit decision blocks. */
export function creditBlocked(credit: CreditDecision, customerId: string, account: CustomerAccount, totalAmount: string): UserError {
  const message =
    credit.reason === 'CREDIT_HOLD'
      ? `Customer ${customerId} is on credit hold${account.credit.holdReason ? ` (${account.credit.holdReason})` : ''}; pay by card or contact accounts receivable.`
      : `This order of ${totalAmount} ${account.currency} exceeds customer ${customerId}'s available credit.`;
  return { code: credit.reason!, message, field: [] };
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
  const { store, clock, metrics } = deps;
  const { credit, exposure } = await decideOrderCredit(deps, customerId, account, draft.totalAmount, draft.payment);
  if (credit.decision === 'BLOCK') {
    metrics.orderOutcome('BLOCKED');
    return { order: null, userErrors: [creditBlocked(credit, customerId, account.value, draft.totalAmount)], creditDecision: credit };
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
        // A sales rep's order for their customer says so, in the order itself (the audit trail).
        onBehalf: onBehalfOf(principal, customerId),
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
