/**
 * Deciding on orders that wait for approval: approve (tier by tier), reject (one rejection ends
 * it), expire; and carrying an approved order on through the pipeline — credit decided again
 * (the order has been counted in the exposure all along), then queued for the ERP (submitted
 * exactly once by the dispatcher, even while the ERP is down) or held for a credit review.
 *
 * The flow moves first, then the order: a crash between the two leaves an order waiting whose
 * flow has moved on, and the sweep (or the approver's retry) finishes the step.
 *
 * @module
 */
import { hasLockedPrices } from '../../orders/services/order-identity.ts';
import { can, type Actor } from '../../../domain/access/policy.ts';
import { approve, expireIfDue, noted, reject, type ApprovalFlow, type FlowStep } from '../../../domain/company/approval-flow.ts';
import { decideCredit } from '../../../domain/credit/credit-decision.ts';
import { creditStatus } from '../../../domain/credit/credit-status.ts';
import { DomainError } from '../../../domain/errors.ts';
import { Big, formatAmount } from '../../../domain/money.ts';
import type { UserError } from '../../../domain/orders/order-input.ts';
import type { ErpOrderLine } from '../../../ports/erp-connector.ts';
import { isTransientErpError } from '../../../ports/erp-error.ts';
import { quoteBuyerPrice } from '../../../services/buyer-pricing.ts';
import type { StoredOrder } from '../../../ports/order-store.ts';
import { atPriority, openRequestScope, type RequestScope } from '../../../services/request-scope.ts';
import type { PlaceOrderDeps } from '../../orders/services/place-order.ts';
import type { CompanyDirectory } from './company-directory.ts';

export interface ApprovalDeps {
  directory: CompanyDirectory;
  orders: PlaceOrderDeps;
}

export interface ApprovalResult {
  order: StoredOrder | null;
  userErrors: UserError[];
}

const notFound = (id: string): ApprovalResult => ({ order: null, userErrors: [{ code: 'ORDER_NOT_FOUND', message: `No order ${id}.`, field: ['id'] }] });
const refused = (order: StoredOrder | null, code: string, message: string): ApprovalResult => ({ order, userErrors: [{ code, message, field: ['id'] }] });

/** How often a step is tried again when another approver moved the flow at the same instant. */
const MAX_ROUNDS = 5;

/**
 * The caller approves (`reason` absent) or rejects order `id`. An order of another company, or
 * one the caller may not see, does not exist as far as they can tell.
 */
export async function decideOnOrder(deps: ApprovalDeps, scope: RequestScope, id: string, reason?: string): Promise<ApprovalResult> {
  const { store, clock } = deps.orders;
  const order = await store.get(id);
  if (!order) return notFound(id);
  const me = await deps.directory.member(scope, scope.customerId);
  const actor: Actor = { principal: scope.principal, customerId: scope.customerId, companyRoles: me?.roles ?? [] };
  const decision = can(actor, 'order.approve', { customerId: order.customerId, requester: order.placedBy });
  if (decision.verdict !== 'allow') {
    if (decision.verdict === 'deny' && decision.reason === 'OTHER_CUSTOMER') return notFound(id);
    return refused(order, decision.verdict === 'deny' ? decision.reason : 'FORBIDDEN', decision.verdict === 'deny' ? decision.message : 'Not allowed.');
  }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const flow = await deps.directory.store.flow(id);
    if (!flow) return refused(order, 'INVALID_ORDER_STATE', `Order ${id} is ${order.status}; it does not wait for approval.`);
    const current = (await store.get(id))!;
    if (current.status !== 'PENDING_APPROVAL') {
      if (flow.status === 'EXPIRED')
        return refused(current, 'APPROVAL_EXPIRED', `The approval of order ${id} expired at ${flow.expiresAt}; the buyer places it again.`);
      return refused(
        current,
        'INVALID_ORDER_STATE',
        `Order ${id} is ${current.status}; only orders waiting for approval (PENDING_APPROVAL) can be approved or rejected.`,
      );
    }
    // A step interrupted after its flow moved (a crash, a lost reply): finish it. Approved: carried
    // on (asking again is how an approver retries); rejected or expired: said so.
    if (flow.status === 'APPROVED') return { order: await settleFlow(deps, scope, current, flow), userErrors: [] };
    if (flow.status !== 'PENDING') {
      const settled = await settleFlow(deps, scope, current, flow);
      return flow.status === 'EXPIRED'
        ? refused(settled, 'APPROVAL_EXPIRED', `The approval of order ${id} expired at ${flow.expiresAt}; the buyer places it again.`)
        : refused(settled, 'INVALID_ORDER_STATE', `Order ${id}'s approval was rejected; it cannot be approved or rejected again.`);
    }
    const who = { subject: scope.principal.subject, roles: me?.roles ?? [] };
    const step: FlowStep = reason === undefined ? approve(flow, who, clock.now()) : reject(flow, who, reason, clock.now());
    if (!step.ok) {
      if (step.flow && (await deps.directory.store.updateFlow(step.flow))) await settleFlow(deps, scope, current, step.flow);
      return refused((await store.get(id)) ?? current, step.code, step.message);
    }
    if (!(await deps.directory.store.updateFlow(step.flow))) continue; // another approver moved it: read again
    scope.log.info(reason === undefined ? 'order approval' : 'order approval rejected', {
      orderId: id,
      customerId: order.customerId,
      by: who.subject,
      approval: step.flow.status,
    });
    return { order: await settleFlow(deps, scope, current, step.flow), userErrors: [] };
  }
  return refused(order, 'APPROVAL_BUSY', `Order ${id}'s approval kept changing while yours was recorded; retry.`);
}

/**
 * Brings the order in line with its flow once the flow has moved: approved → carried on through
 * the pipeline; rejected or expired → `APPROVAL_REJECTED`; still pending → as it is.
 */
export async function settleFlow(deps: ApprovalDeps, scope: RequestScope, order: StoredOrder, flow: ApprovalFlow): Promise<StoredOrder> {
  const { store, clock } = deps.orders;
  if (flow.status === 'PENDING') return order;
  if (flow.status !== 'APPROVED')
    return (await store.transition(order.id, ['PENDING_APPROVAL'], 'APPROVAL_REJECTED', clock.now())) ?? (await store.get(order.id)) ?? order;
  return continueApproved(deps, scope, order, flow);
}

async function continueApproved(deps: ApprovalDeps, scope: RequestScope, waiting: StoredOrder, approved: ApprovalFlow): Promise<StoredOrder> {
  const { store, clock, policy, dispatcher } = deps.orders;
  let order = waiting;
  let flow = approved;
  // Prices that aged while the order waited are read again, as placing an order now would; agreed
  // prices (an accepted quote's) hold however long the approval took.
  if (!hasLockedPrices(order) && clock.now() - Date.parse(order.createdAt) > policy.priceMaxAgeMs) {
    const repriced = await reprice(deps, scope, order);
    if (repriced === null) {
      // No current price to be had (the ERP is down and the copies are too old): it stays approved
      // and waiting; the sweep carries it on once prices can be read.
      if (flow.history.at(-1)?.note !== WAITING_FOR_PRICES) {
        await recordStep(deps, flow, { at: new Date(clock.now()).toISOString(), by: 'erpfront', action: 'APPROVED', note: WAITING_FOR_PRICES });
      }
      return order;
    }
    if (repriced.total !== order.total || JSON.stringify(repriced.lines) !== JSON.stringify(order.request.lines)) {
      const changed = await store.repriceWaiting(order.id, repriced, clock.now());
      if (!changed) return (await store.get(order.id)) ?? order;
      flow =
        (await recordStep(deps, flow, {
          at: new Date(clock.now()).toISOString(),
          by: 'erpfront',
          action: 'REPRICED',
          note: `prices older than ${Math.round(policy.priceMaxAgeMs / 1000)} s read again: total ${order.total} → ${changed.total} ${order.currency}`,
        })) ?? flow;
      order = changed;
    }
  }
  const credit = await creditAgain(deps, scope, order);
  const to = credit.decision === 'APPROVE' ? 'QUEUED' : 'ON_HOLD';
  const moved = await store.transition(order.id, ['PENDING_APPROVAL'], to, clock.now());
  if (!moved) return (await store.get(order.id)) ?? order; // another instance carried it on, or it was cancelled
  await recordStep(deps, flow, {
    at: new Date(clock.now()).toISOString(),
    by: 'erpfront',
    action: to,
    note: to === 'QUEUED' ? `queued for the ERP${credit.note ? ` (${credit.note})` : ''}` : `held for a credit review: ${credit.note}`,
  });
  scope.log.info('approved order carried on', { orderId: order.id, customerId: order.customerId, status: to });
  if (to !== 'QUEUED') return moved;
  dispatcher.wake();
  // As placing does: give the ERP a moment to take it, else answer QUEUED.
  return (await dispatcher.settle(order.id, policy.submitWaitMs)) ?? moved;
}

/**
 * The credit decision for an approved order, on today's figures. The order has counted in the
 * exposure since it was placed, so it is decided against the exposure without itself. Figures the
 * ERP cannot give now (and erpfront has no copy of): queued on the decision taken when it was
 * placed; the ERP's own credit check still applies when it arrives.
 */
async function creditAgain(
  deps: ApprovalDeps,
  scope: RequestScope,
  order: StoredOrder,
): Promise<{ decision: 'APPROVE' | 'REVIEW' | 'BLOCK'; note: string | null }> {
  const { store, policy } = deps.orders;
  const orderScope = atPriority(deps.orders, scope.customerId === order.customerId ? scope : { ...scope, customerId: order.customerId }, 'order');
  let account: Awaited<ReturnType<typeof orderScope.reader.account>>;
  try {
    account = await orderScope.reader.account(order.customerId);
  } catch (error) {
    if (!isTransientErpError(error)) throw error;
    return { decision: 'APPROVE', note: 'credit as decided when placed: the ERP is not answering' };
  }
  const payment = order.request.payment;
  const own = payment.method === 'ON_ACCOUNT' ? order.total : '0';
  const exposure = payment.method === 'ON_ACCOUNT' ? await store.pendingExposure(order.customerId, account.asOf) : { total: '0' };
  const others = new Big(exposure.total).minus(own);
  const status = creditStatus(account.value.credit, account.value.currency, [others.lt(0) ? '0' : others.toString()]);
  const credit = decideCredit(status, order.total, payment, policy.overLimit, policy.creditHoldAllowsCard);
  return { decision: credit.decision, note: credit.reason };
}

/** Adds a pipeline step to the flow's history (a flow moved meanwhile is read again); the flow as written. */
async function recordStep(deps: ApprovalDeps, flow: ApprovalFlow, event: Parameters<typeof noted>[1]): Promise<ApprovalFlow | null> {
  let current: ApprovalFlow | null = flow;
  for (let round = 0; current && round < MAX_ROUNDS; round++) {
    const next = noted(current, event);
    if (await deps.directory.store.updateFlow(next)) return next;
    current = await deps.directory.store.flow(flow.orderId);
  }
  return null;
}

const WAITING_FOR_PRICES = 'approved; waiting for current prices (the ERP is not answering)';

/**
 * The order's lines at the buyer's prices now, on the authoritative path (fresh from the ERP, or a
 * cached price younger than the order price limit); `null` when a line cannot be priced now.
 */
async function reprice(deps: ApprovalDeps, scope: RequestScope, order: StoredOrder): Promise<{ lines: ErpOrderLine[]; total: string } | null> {
  const orderScope = atPriority(deps.orders, scope.customerId === order.customerId ? scope : { ...scope, customerId: order.customerId }, 'order');
  try {
    const account = (await orderScope.reader.account(order.customerId)).value;
    const lines = await Promise.all(
      order.request.lines.map(async (line) => {
        const item = (await orderScope.reader.item(line.sku)).value;
        const quote = await quoteBuyerPrice(orderScope, account, item, line.quantity, { authoritative: { maxAgeMs: deps.orders.policy.priceMaxAgeMs } });
        return { ...line, unitPrice: quote.unitPrice.amount };
      }),
    );
    const total = lines.reduce((sum, line) => sum.plus(new Big(line.unitPrice).times(line.quantity)), new Big(0));
    return { lines, total: formatAmount(total, order.currency) };
  } catch (error) {
    if (isTransientErpError(error) || error instanceof DomainError) {
      scope.log.warn('approved order not re-priced now', { orderId: order.id, err: error instanceof Error ? error.message : String(error) });
      return null;
    }
    throw error;
  }
}

/**
 * The sweep: orders waiting for approval whose approval expired become `APPROVAL_REJECTED`; those
 * whose flow moved on without them (an interrupted step) are brought in line. Runs on every
 * instance; the flow's version and the order's transition keep each step to one of them.
 */
export async function sweepApprovals(deps: ApprovalDeps, options: { limit: number }): Promise<number> {
  const { store, clock, logger } = deps.orders;
  let settled = 0;
  for (const order of await store.listByStatus(['PENDING_APPROVAL'], { limit: options.limit })) {
    let flow = await deps.directory.store.flow(order.id);
    if (!flow) continue;
    const expired = expireIfDue(flow, clock.now());
    if (expired !== flow) {
      if (!(await deps.directory.store.updateFlow(expired))) continue; // an approver got there first
      flow = expired;
    }
    if (flow.status === 'PENDING') continue;
    const scope = openRequestScope(deps.orders, {
      principal: { subject: 'erpfront', roles: new Set(), customerId: order.customerId, repId: null },
      customerId: order.customerId,
      priority: 'order',
      log: logger,
    });
    const after = await settleFlow(deps, scope, order, flow);
    // An approved order still waiting for current prices is tried again next time, quietly.
    if (after.status === 'PENDING_APPROVAL') continue;
    logger.info('order approval settled', { orderId: order.id, customerId: order.customerId, approval: flow.status, status: after.status });
    settled++;
  }
  return settled;
}
