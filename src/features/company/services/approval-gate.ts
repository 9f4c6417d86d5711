/**
 * The approval gate of the order pipeline: before an order is written, it decides from the
 * company's directory and rules whether the order waits for approvers (the default rule: a
 * buyer's order over their order limit, or one taking them over their monthly limit; and the
 * company's own rules), refuses it when nobody could ever approve it (`NO_APPROVER`), and keeps a
 * buyer to their allowed ship-tos. A flow it opens is written before its order.
 *
 * A sales rep's order on the company's behalf is gated by the company's rules that apply to every
 * requester (no requester roles), among them `SALES_REP_ORDER` — how a company says that its reps'
 * orders need its approval. The rep holds no company role, so the built-in limits rule and
 * role-bound rules never match them, and they can never approve.
 *
 * @module
 */
import { openFlow } from '../../../domain/company/approval-flow.ts';
import { requiredApproval, type ApprovalTier } from '../../../domain/company/approval-rules.ts';
import { monthStart, newBuyer, type CompanyBuyer } from '../../../domain/company/directory.ts';
import { Big } from '../../../domain/money.ts';
import { onBehalfOf } from '../../../domain/orders/on-behalf.ts';
import type { UserError } from '../../../domain/orders/order-input.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { OrderStore } from '../../../ports/order-store.ts';
import type { ApprovalCheck, ApprovalNeeded, OrderApprovalGate } from '../../orders/services/order-approval.ts';
import type { CompanyDirectory } from './company-directory.ts';

/** Orders read to sum a buyer's month: enough for any buyer's month of orders through erpfront. */
const MONTH_SCAN = 2000;

export interface ApprovalGateDeps {
  directory: CompanyDirectory;
  orders: OrderStore;
  clock: Clock;
  /** How long an approval may wait (APPROVAL_TTL_SECONDS). */
  ttlMs: number;
}

export function createApprovalGate(deps: ApprovalGateDeps): OrderApprovalGate {
  const { directory, orders } = deps;
  return {
    async check(order: ApprovalCheck): Promise<ApprovalNeeded | { userErrors: UserError[] } | null> {
      const { scope, customerId } = order;
      const me = await directory.member(scope, customerId);
      const rep = me ? null : onBehalfOf(scope.principal, customerId);
      if (!me && !rep) return null;
      if (me?.allowedShipToIds && !me.allowedShipToIds.includes(order.shipToId)) {
        return {
          userErrors: [
            { code: 'SHIP_TO_NOT_ALLOWED', message: `You may order to ${me.allowedShipToIds.join(', ')} only, not ${order.shipToId}.`, field: ['shipToId'] },
          ],
        };
      }
      // A rep requests as someone with no company role and no limits (never written to the directory).
      const requester: CompanyBuyer = me ?? { ...newBuyer(customerId, scope.principal.subject, 'BUYER', new Date(deps.clock.now()).toISOString()), roles: [] };
      const rules = await directory.store.rules(customerId);
      // A month's spend is read only for a buyer with a monthly limit.
      const spend = requester.monthlyLimit === null ? '0' : await monthSpend(orders, customerId, requester.subject, deps.clock.now());
      const needed = requiredApproval({ total: order.total, lines: order.lines, placedByRep: rep !== null }, requester, spend, rules);
      if (!needed) return null;
      if (rep) needed.reasons.unshift(`placed by sales rep ${rep.repId} on behalf of customer ${customerId}`);
      const missing = await unapprovable(directory, customerId, requester, needed.tiers);
      if (missing) return { userErrors: [{ code: 'NO_APPROVER', message: missing, field: [] }] };
      return {
        async open(orderId, now) {
          const flow = openFlow(
            { orderId, customerId, requester: requester.subject, ruleIds: needed.ruleIds, reasons: needed.reasons, tiers: needed.tiers },
            now,
            deps.ttlMs,
          );
          await directory.store.createFlow(flow);
        },
      };
    },
  };
}

/** The requester's orders this calendar month (UTC) that count: all but cancelled and refused ones. */
async function monthSpend(orders: OrderStore, customerId: string, subject: string, now: number): Promise<string> {
  const since = new Date(monthStart(now)).toISOString();
  const mine = await orders.listByCustomer(customerId, { statuses: ['PENDING_APPROVAL', 'QUEUED', 'ON_HOLD', 'SUBMITTED'], limit: MONTH_SCAN });
  return mine
    .filter((o) => o.placedBy === subject && o.createdAt >= since)
    .reduce((sum, o) => sum.plus(o.total), new Big(0))
    .toString();
}

/**
 * Why no one could approve an order needing `tiers`, or `null` when they can: each tier needs
 * someone holding one of its roles other than the requester, and each tier a different person.
 */
async function unapprovable(directory: CompanyDirectory, customerId: string, requester: CompanyBuyer, tiers: ApprovalTier[]): Promise<string | null> {
  const people = (await directory.store.buyers(customerId, { limit: 10_000 })).filter((b) => b.subject !== requester.subject);
  const used = new Set<string>();
  for (const [i, tier] of tiers.entries()) {
    const candidate = people.find((p) => !used.has(p.subject) && tier.approverRoles.some((r) => p.roles.includes(r)));
    if (!candidate) {
      return `This order needs approval, but company ${customerId} has no ${tier.approverRoles.join(' or ')} ${tiers.length > 1 ? `for tier ${i + 1} ` : ''}other than you: ask your company's admin to name one, or order within your limits.`;
    }
    used.add(candidate.subject);
  }
  return null;
}
