/**
 * An order's approval flow as a state machine: opened when the order is placed, then each tier
 * approved in turn by a different person of the same company holding one of the tier's roles; one
 * rejection ends it; past its expiry it cannot be approved. The requester can never approve their
 * own order, whatever roles they hold: that is checked here, on every step, not left to the roles.
 *
 * Pure: the caller reads the flow, applies a step, and writes it back only if nobody moved it
 * meanwhile (the store's version check), so two approvers at the same instant cannot both take
 * the last tier.
 *
 * @module
 */
import type { CompanyRole } from './directory.ts';
import type { ApprovalTier } from './approval-rules.ts';

/** `CANCELLED`: its order was cancelled (or never written) while it waited. */
export type ApprovalFlowStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED' | 'CANCELLED';

/** One step in an order's history. */
export interface ApprovalEvent {
  /** UTC ISO 8601. */
  at: string;
  /** The subject who took it; `erpfront` for what erpfront did by itself. */
  by: string;
  action: 'REQUESTED' | 'APPROVED' | 'REJECTED' | 'EXPIRED' | 'CANCELLED' | 'REPRICED' | 'QUEUED' | 'ON_HOLD';
  /** Why (the rules matched, the rejection's reason, the tier approved). */
  note: string | null;
}

export interface TierState extends ApprovalTier {
  approvedBy: string | null;
  approvedAt: string | null;
}

export interface ApprovalFlow {
  orderId: string;
  customerId: string;
  /** Who placed the order. */
  requester: string;
  status: ApprovalFlowStatus;
  ruleIds: string[];
  tiers: TierState[];
  /** UTC ISO 8601. */
  createdAt: string;
  expiresAt: string;
  history: ApprovalEvent[];
  /** Moves with every step (the store's optimistic check). */
  version: number;
}

/** Who acts on a flow: the subject and their roles in the order's company. */
export interface Approver {
  subject: string;
  roles: readonly CompanyRole[];
}

export type FlowRefusal = 'SELF_APPROVAL' | 'NOT_APPROVER' | 'APPROVAL_EXPIRED' | 'ALREADY_APPROVED_BY_YOU' | 'INVALID_APPROVAL_STATE' | 'REASON_REQUIRED';

export type FlowStep = { ok: true; flow: ApprovalFlow } | { ok: false; code: FlowRefusal; message: string; flow?: ApprovalFlow };

const iso = (ms: number) => new Date(ms).toISOString();

/** A new flow for an order that needs `tiers`, expiring `ttlMs` after `now`. */
export function openFlow(
  init: { orderId: string; customerId: string; requester: string; ruleIds: string[]; reasons: string[]; tiers: ApprovalTier[] },
  now: number,
  ttlMs: number,
): ApprovalFlow {
  return {
    orderId: init.orderId,
    customerId: init.customerId,
    requester: init.requester,
    status: 'PENDING',
    ruleIds: init.ruleIds,
    tiers: init.tiers.map((t) => ({ approverRoles: [...t.approverRoles], approvedBy: null, approvedAt: null })),
    createdAt: iso(now),
    expiresAt: iso(now + ttlMs),
    history: [{ at: iso(now), by: init.requester, action: 'REQUESTED', note: `needs approval: ${init.reasons.join('; ')}` }],
    version: 0,
  };
}

/** The tier waiting for an approval; `null` when none is (approved, or ended). */
export function currentTier(flow: ApprovalFlow): number | null {
  if (flow.status !== 'PENDING') return null;
  const i = flow.tiers.findIndex((t) => t.approvedBy === null);
  return i < 0 ? null : i;
}

/** The flow as of `now`: a pending flow past its expiry is expired. */
export function expireIfDue(flow: ApprovalFlow, now: number): ApprovalFlow {
  if (flow.status !== 'PENDING' || now < Date.parse(flow.expiresAt)) return flow;
  return step(flow, { status: 'EXPIRED' }, { at: iso(now), by: 'erpfront', action: 'EXPIRED', note: `not approved by ${flow.expiresAt}` });
}

/** Whether `who` may act on the current tier (roles only; self-approval is refused separately). */
export function mayApproveCurrentTier(flow: ApprovalFlow, who: Approver): boolean {
  const i = currentTier(flow);
  return i !== null && who.subject !== flow.requester && flow.tiers[i]!.approverRoles.some((r) => who.roles.includes(r));
}

function refusedBefore(flow: ApprovalFlow, who: Approver, now: number, verb: string): FlowStep | null {
  const current = expireIfDue(flow, now);
  if (current.status === 'EXPIRED') {
    return {
      ok: false,
      code: 'APPROVAL_EXPIRED',
      message: `The approval of order ${flow.orderId} expired at ${flow.expiresAt}; the buyer places it again.`,
      flow: current,
    };
  }
  if (current.status !== 'PENDING')
    return { ok: false, code: 'INVALID_APPROVAL_STATE', message: `Order ${flow.orderId}'s approval is ${current.status}; it cannot be ${verb}.` };
  if (who.subject === flow.requester) {
    return {
      ok: false,
      code: 'SELF_APPROVAL',
      message: `Order ${flow.orderId} was placed by you: another approver of the company must ${verb === 'approved' ? 'approve' : 'reject'} it.`,
    };
  }
  return null;
}

/** `who` approves the current tier; the flow is `APPROVED` once every tier is. */
export function approve(flow: ApprovalFlow, who: Approver, now: number): FlowStep {
  const refused = refusedBefore(flow, who, now, 'approved');
  if (refused) return refused;
  const i = currentTier(flow)!;
  if (flow.tiers.some((t) => t.approvedBy === who.subject)) {
    return {
      ok: false,
      code: 'ALREADY_APPROVED_BY_YOU',
      message: `You approved an earlier tier of order ${flow.orderId}; tier ${i + 1} needs another person.`,
    };
  }
  const tier = flow.tiers[i]!;
  if (!tier.approverRoles.some((r) => who.roles.includes(r))) {
    return {
      ok: false,
      code: 'NOT_APPROVER',
      message: `Tier ${i + 1} of order ${flow.orderId}'s approval needs a ${tier.approverRoles.join(' or ')} of the company.`,
    };
  }
  const tiers = flow.tiers.map((t, n) => (n === i ? { ...t, approvedBy: who.subject, approvedAt: iso(now) } : t));
  const done = tiers.every((t) => t.approvedBy !== null);
  const note = `tier ${i + 1} of ${tiers.length}${done ? ': approved' : ''}`;
  return { ok: true, flow: step(flow, { tiers, status: done ? 'APPROVED' : 'PENDING' }, { at: iso(now), by: who.subject, action: 'APPROVED', note }) };
}

/** `who` rejects the order: one rejection ends the flow. */
export function reject(flow: ApprovalFlow, who: Approver, reason: string, now: number): FlowStep {
  const refused = refusedBefore(flow, who, now, 'rejected');
  if (refused) return refused;
  const i = currentTier(flow)!;
  const tier = flow.tiers[i]!;
  if (!tier.approverRoles.some((r) => who.roles.includes(r))) {
    return {
      ok: false,
      code: 'NOT_APPROVER',
      message: `Tier ${i + 1} of order ${flow.orderId}'s approval needs a ${tier.approverRoles.join(' or ')} of the company.`,
    };
  }
  const why = reason.trim();
  if (!why || why.length > 500) return { ok: false, code: 'REASON_REQUIRED', message: 'A rejection says why, in 1 to 500 characters.' };
  return { ok: true, flow: step(flow, { status: 'REJECTED' }, { at: iso(now), by: who.subject, action: 'REJECTED', note: why }) };
}

/** A pending flow whose order no longer waits for it (cancelled by its buyer, or never written). */
export function closeForOrder(flow: ApprovalFlow, orderStatus: string | null, now: number): ApprovalFlow {
  const note = orderStatus === null ? 'the order was never written' : `the order is ${orderStatus}`;
  return step(flow, { status: 'CANCELLED' }, { at: iso(now), by: 'erpfront', action: 'CANCELLED', note });
}

/** The flow with a step of the pipeline after approval (re-priced, queued, held) in its history. */
export function noted(flow: ApprovalFlow, event: ApprovalEvent): ApprovalFlow {
  return step(flow, {}, event);
}

function step(flow: ApprovalFlow, change: Partial<ApprovalFlow>, event: ApprovalEvent): ApprovalFlow {
  return { ...flow, ...change, history: [...flow.history, event], version: flow.version + 1 };
}
