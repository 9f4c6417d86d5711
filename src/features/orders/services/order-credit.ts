/**
 * The credit decision on an order and its insert as one step: decided on the customer's exposure as
 * it stands, written only while that exposure is unchanged. Shared with the checkout preview,
 * which takes the same decision without writing.
 *
 * @module
 */
import { decideCredit, type CreditDecision } from '../../../domain/credit/credit-decision.ts';
import { creditStatus } from '../../../domain/credit/credit-status.ts';
import type { OrderInput, UserError } from '../../../domain/orders/order-input.ts';
import { onBehalfOf } from '../../../domain/orders/on-behalf.ts';
import type { Principal } from '../../../domain/principal.ts';
import type { CustomerAccount, ErpOrderLine, OrderPayment } from '../../../ports/erp-connector.ts';
import type { StoredOrder } from '../../../ports/order-store.ts';
import { ExposureChangedError } from '../../../ports/store-error.ts';
import type { Cached } from '../../../services/read-through-cache.ts';
import type { ApprovalNeeded } from './order-approval.ts';
import { newOrderId } from './order-identity.ts';
import type { PlaceOrderDeps } from './place-order.ts';
import { failed, type PlaceOrderResult } from './place-order-result.ts';

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
export async function decideAndWrite(
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
