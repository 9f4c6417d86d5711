/**
 * Which orders need approval, and by whom: the default rule (a buyer's spending limits) and the
 * rules a company adds. Pure: the caller passes the order, the requester's entry and their spend
 * this month; the answer is the approval tiers the order needs, or none.
 *
 * @module
 */
import { Big } from '../money.ts';
import { COMPANY_ROLES, limitError, type CompanyBuyer, type CompanyRole, type CompanyUserError } from './directory.ts';

/** What makes a rule apply to an order. */
export type ApprovalCondition =
  /** The order's total is over `amount` (the customer's currency). */
  | { kind: 'ORDER_TOTAL_OVER'; amount: string }
  /** Some line orders more than `quantity`. */
  | { kind: 'LINE_QUANTITY_OVER'; quantity: number }
  /** Some line is a product of `category` (the catalog's category id). */
  | { kind: 'PRODUCT_CATEGORY'; category: string }
  /** Every order of a requester holding `role`. */
  | { kind: 'REQUESTER_ROLE'; role: CompanyRole }
  /** Every order a sales rep places on the company's behalf (the company approves its reps' orders). */
  | { kind: 'SALES_REP_ORDER' };

/** One tier: any one person holding one of `approverRoles` approves it. */
export interface ApprovalTier {
  approverRoles: CompanyRole[];
}

/** A company's approval rule. */
export interface ApprovalRule {
  id: string;
  name: string;
  condition: ApprovalCondition;
  /** The rule applies only to requesters holding one of these; empty: to everyone. */
  requesterRoles: CompanyRole[];
  /** One to three tiers, approved in order. */
  tiers: ApprovalTier[];
}

/** The id of the built-in rule: spending limits. */
export const LIMIT_RULE_ID = 'spending-limits';

/** What the rules see of an order. */
export interface OrderFacts {
  total: string;
  lines: ReadonlyArray<{ sku: string; quantity: number; category: string | null }>;
  /** Placed by a sales rep on the company's behalf (the requester then holds no company role). */
  placedByRep?: boolean;
}

/** Why an order needs approval, and the tiers it needs. */
export interface ApprovalRequirement {
  /** The rules that matched (the built-in one as {@link LIMIT_RULE_ID}). */
  ruleIds: string[];
  /** Sentences for the history: why approval is needed. */
  reasons: string[];
  tiers: ApprovalTier[];
}

export const MAX_TIERS = 3;

/**
 * The approval an order needs, or `null` when it needs none. `monthSpend` is the requester's
 * orders this calendar month before this one. Several matching rules: the one with the most
 * tiers decides the tiers (the strictest), every match is named.
 */
export function requiredApproval(order: OrderFacts, requester: CompanyBuyer, monthSpend: string, rules: readonly ApprovalRule[]): ApprovalRequirement | null {
  const matched: Array<{ id: string; reason: string; tiers: ApprovalTier[] }> = [];
  const total = new Big(order.total);
  if (requester.orderLimit !== null && total.gt(requester.orderLimit)) {
    matched.push({
      id: LIMIT_RULE_ID,
      reason: `the order total ${order.total} is over the requester's order limit of ${requester.orderLimit}`,
      tiers: [{ approverRoles: ['APPROVER'] }],
    });
  } else if (requester.monthlyLimit !== null && total.plus(monthSpend).gt(requester.monthlyLimit)) {
    matched.push({
      id: LIMIT_RULE_ID,
      reason: `the order takes the requester's spend this month to ${total.plus(monthSpend).toString()}, over their monthly limit of ${requester.monthlyLimit}`,
      tiers: [{ approverRoles: ['APPROVER'] }],
    });
  }
  for (const rule of rules) {
    if (rule.requesterRoles.length && !rule.requesterRoles.some((r) => requester.roles.includes(r))) continue;
    const why = conditionMet(rule.condition, order, requester);
    if (why) matched.push({ id: rule.id, reason: `rule "${rule.name}": ${why}`, tiers: rule.tiers });
  }
  if (matched.length === 0) return null;
  const strictest = matched.reduce((a, b) => (b.tiers.length > a.tiers.length ? b : a));
  return { ruleIds: matched.map((m) => m.id), reasons: matched.map((m) => m.reason), tiers: strictest.tiers };
}

function conditionMet(condition: ApprovalCondition, order: OrderFacts, requester: CompanyBuyer): string | null {
  switch (condition.kind) {
    case 'ORDER_TOTAL_OVER':
      return new Big(order.total).gt(condition.amount) ? `the order total ${order.total} is over ${condition.amount}` : null;
    case 'LINE_QUANTITY_OVER': {
      const line = order.lines.find((l) => l.quantity > condition.quantity);
      return line ? `${line.sku} is ordered in a quantity over ${condition.quantity}` : null;
    }
    case 'PRODUCT_CATEGORY': {
      const line = order.lines.find((l) => l.category === condition.category);
      return line ? `${line.sku} is in category ${condition.category}` : null;
    }
    case 'REQUESTER_ROLE':
      return requester.roles.includes(condition.role) ? `every order of a ${condition.role} needs approval` : null;
    case 'SALES_REP_ORDER':
      return order.placedByRep ? 'every order a sales rep places for the company needs approval' : null;
  }
}

/** Everything wrong with a rule as a company admin wrote it; empty when it can be kept. */
export function validateRule(rule: Omit<ApprovalRule, 'id'> & { id?: string | null }): CompanyUserError[] {
  const errors: CompanyUserError[] = [];
  const at = (f: string) => ['input', f];
  if (!rule.name.trim() || rule.name.length > 100)
    errors.push({ code: 'INVALID_RULE_NAME', message: 'A rule needs a name of 1 to 100 characters.', field: at('name') });
  if (rule.id !== undefined && rule.id !== null && (!/^[A-Za-z0-9._-]{1,64}$/.test(rule.id) || rule.id === LIMIT_RULE_ID)) {
    errors.push({ code: 'INVALID_RULE_ID', message: `A rule id is 1 to 64 letters, digits, '.', '_' or '-', and not ${LIMIT_RULE_ID}.`, field: at('id') });
  }
  if (rule.tiers.length < 1 || rule.tiers.length > MAX_TIERS) {
    errors.push({ code: 'INVALID_TIERS', message: `A rule has 1 to ${MAX_TIERS} approver tiers.`, field: at('tiers') });
  }
  rule.tiers.forEach((tier, i) => {
    // Approving needs an approving role (the access policy): a tier of BUYERs could never be approved.
    if (!tier.approverRoles.length || tier.approverRoles.some((r) => r !== 'APPROVER' && r !== 'ADMIN')) {
      errors.push({
        code: 'INVALID_TIERS',
        message: `Tier ${i + 1} must name APPROVER, ADMIN or both.`,
        field: ['input', 'tiers', String(i), 'approverRoles'],
      });
    }
  });
  const c = rule.condition;
  if (c.kind === 'ORDER_TOTAL_OVER') {
    const e = limitError(c.amount, 'amount');
    if (e) errors.push({ ...e, code: 'INVALID_CONDITION', field: ['input', 'condition', 'amount'] });
  } else if (c.kind === 'LINE_QUANTITY_OVER') {
    if (!Number.isFinite(c.quantity) || c.quantity < 0) {
      errors.push({ code: 'INVALID_CONDITION', message: 'quantity must be a non-negative number.', field: ['input', 'condition', 'quantity'] });
    }
  } else if (c.kind === 'PRODUCT_CATEGORY') {
    if (!c.category || c.category.length > 100)
      errors.push({ code: 'INVALID_CONDITION', message: 'category must name a catalog category.', field: ['input', 'condition', 'category'] });
  } else if (c.kind === 'REQUESTER_ROLE') {
    if (!COMPANY_ROLES.includes(c.role))
      errors.push({ code: 'INVALID_CONDITION', message: 'role must be ADMIN, APPROVER or BUYER.', field: ['input', 'condition', 'role'] });
  } else if (c.kind !== 'SALES_REP_ORDER') {
    errors.push({ code: 'INVALID_CONDITION', message: 'Unknown condition kind.', field: ['input', 'condition', 'kind'] });
  }
  return errors;
}
