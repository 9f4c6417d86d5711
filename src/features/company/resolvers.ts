/**
 * Company resolvers: the company and its directory, managing buyers and approval rules, and
 * deciding on orders that wait for approval. Access is the policy's, with the caller's company
 * roles read from the directory (never from the token).
 *
 * @module
 */
import { can, type Action, type Actor } from '../../domain/access/policy.ts';
import { closeForOrder, currentTier, expireIfDue, mayApproveCurrentTier, type ApprovalEvent, type ApprovalFlow } from '../../domain/company/approval-flow.ts';
import { validateRule, type ApprovalCondition, type ApprovalRule, type ApprovalTier } from '../../domain/company/approval-rules.ts';
import type { CompanyBuyer, CompanyRole } from '../../domain/company/directory.ts';
import { DomainError } from '../../domain/errors.ts';
import { money } from '../../domain/money.ts';
import type { StoredOrder } from '../../ports/order-store.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import { pageSize } from '../../transport/graphql/cursor.ts';
import { requireCustomer } from '../../transport/graphql/guards.ts';
import { loadCustomer } from '../catalog/resolvers/customer.ts';
import { fromStored, type OrderView } from '../orders/services/order-view.ts';
import { decideOnOrder, type ApprovalDeps } from './services/approvals.ts';

function company(context: GraphQLContext): ApprovalDeps & { currencyOf(customerId: string): Promise<string> } {
  const deps = context.services.company;
  if (!deps) throw new DomainError('FORBIDDEN', 'Company accounts are not available on this deployment.');
  return { ...deps, currencyOf: async (customerId) => (await loadCustomer(context, customerId)).currency };
}

/** The caller as the policy sees it, with their roles in the company the request acts for (read once per request). */
const actors = new WeakMap<object, Promise<Actor>>();
function companyActor(context: GraphQLContext): Promise<Actor> {
  let actor = actors.get(context);
  if (!actor) {
    actor = company(context)
      .directory.member(context, context.customerId)
      .then((me) => ({ principal: context.principal, customerId: context.customerId, companyRoles: me?.roles ?? [] }));
    actors.set(context, actor);
  }
  return actor;
}

/** `FORBIDDEN` with the policy's sentence unless the caller may take `action` on `customerId`'s company. */
async function authorizeCompany(context: GraphQLContext, action: Action, customerId: string | null): Promise<void> {
  const decision = can(await companyActor(context), action, { customerId });
  if (decision.verdict !== 'allow') throw new DomainError('FORBIDDEN', decision.verdict === 'deny' ? decision.message : 'This is not allowed for this token.');
}

interface CompanyParent {
  id: string;
}

const buyerView = async (context: GraphQLContext, buyer: CompanyBuyer) => {
  const currency = buyer.orderLimit === null && buyer.monthlyLimit === null ? 'XXX' : await company(context).currencyOf(buyer.customerId);
  return {
    ...buyer,
    orderLimit: buyer.orderLimit === null ? null : money(buyer.orderLimit, currency),
    monthlyLimit: buyer.monthlyLimit === null ? null : money(buyer.monthlyLimit, currency),
  };
};

const ruleView = (rule: ApprovalRule) => ({ ...rule, condition: { amount: null, quantity: null, category: null, role: null, ...rule.condition } });

export const ViewerCompany = {
  company: async (_: unknown, __: unknown, context: GraphQLContext): Promise<CompanyParent | null> => {
    if (context.customerId === null || !context.services.company) return null;
    await authorizeCompany(context, 'company.read', context.customerId);
    return { id: context.customerId };
  },
};

export const Company = {
  name: async (parent: CompanyParent, _: unknown, context: GraphQLContext) => (await loadCustomer(context, parent.id)).name,
  defaultRole: async (parent: CompanyParent, _: unknown, context: GraphQLContext) => (await company(context).directory.store.settings(parent.id)).defaultRole,
  me: async (parent: CompanyParent, _: unknown, context: GraphQLContext) => {
    const me = await company(context).directory.member(context, parent.id);
    return me ? buyerView(context, me) : null;
  },
  buyers: async (parent: CompanyParent, args: { first?: number | null }, context: GraphQLContext) => {
    const list = await company(context).directory.store.buyers(parent.id, { limit: pageSize(args.first, 500, 10_000) });
    return Promise.all(list.map((b) => buyerView(context, b)));
  },
  approvalRules: async (parent: CompanyParent, _: unknown, context: GraphQLContext) => (await company(context).directory.store.rules(parent.id)).map(ruleView),
};

interface SetBuyerInput {
  subject: string;
  roles: CompanyRole[];
  orderLimit?: string | null;
  monthlyLimit?: string | null;
  allowedShipToIds?: string[] | null;
}

interface RuleInput {
  id?: string | null;
  name: string;
  condition: { kind: ApprovalCondition['kind']; amount?: string | null; quantity?: number | null; category?: string | null; role?: CompanyRole | null };
  requesterRoles?: CompanyRole[] | null;
  tiers: ApprovalTier[];
}

function toCondition(input: RuleInput['condition']): ApprovalCondition {
  switch (input.kind) {
    case 'ORDER_TOTAL_OVER':
      return { kind: input.kind, amount: input.amount ?? '' };
    case 'LINE_QUANTITY_OVER':
      return { kind: input.kind, quantity: input.quantity ?? Number.NaN };
    case 'PRODUCT_CATEGORY':
      return { kind: input.kind, category: input.category ?? '' };
    case 'SALES_REP_ORDER':
      return { kind: input.kind };
    default:
      return { kind: 'REQUESTER_ROLE', role: (input.role ?? '') as CompanyRole };
  }
}

export const CompanyMutations = {
  setCompanyBuyer: async (_: unknown, args: { input: SetBuyerInput }, context: GraphQLContext) => {
    const customerId = requireCustomer(context, 'Company buyers');
    await authorizeCompany(context, 'company.manageBuyers', customerId);
    const deps = company(context);
    const result = await deps.directory.setBuyer(customerId, args.input, context.principal.subject);
    if ('userErrors' in result) return { buyer: null, userErrors: result.userErrors };
    context.log.info('company buyer changed', { customerId, subject: result.buyer.subject, roles: result.buyer.roles, by: context.principal.subject });
    return { buyer: await buyerView(context, result.buyer), userErrors: [] };
  },

  setCompanyDefaultRole: async (_: unknown, args: { role: CompanyRole }, context: GraphQLContext) => {
    const customerId = requireCustomer(context, 'Company settings');
    await authorizeCompany(context, 'company.manageBuyers', customerId);
    await company(context).directory.store.setDefaultRole(customerId, args.role);
    return { company: { id: customerId }, userErrors: [] };
  },

  setApprovalRule: async (_: unknown, args: { input: RuleInput }, context: GraphQLContext) => {
    const customerId = requireCustomer(context, 'Approval rules');
    await authorizeCompany(context, 'company.manageRules', customerId);
    const { input } = args;
    const rule: ApprovalRule = {
      id: input.id ?? `rule-${crypto.randomUUID().slice(0, 8)}`,
      name: input.name,
      condition: toCondition(input.condition),
      requesterRoles: input.requesterRoles ?? [],
      tiers: input.tiers.map((t) => ({ approverRoles: t.approverRoles })),
    };
    const errors = validateRule({ ...rule, id: input.id ?? null });
    if (errors.length) return { rule: null, userErrors: errors };
    await company(context).directory.store.putRule(customerId, rule);
    context.log.info('approval rule set', { customerId, ruleId: rule.id, by: context.principal.subject });
    return { rule: ruleView(rule), userErrors: [] };
  },

  removeApprovalRule: async (_: unknown, args: { id: string }, context: GraphQLContext) => {
    const customerId = requireCustomer(context, 'Approval rules');
    await authorizeCompany(context, 'company.manageRules', customerId);
    const removed = await company(context).directory.store.removeRule(customerId, args.id);
    return { removed, userErrors: removed ? [] : [{ code: 'RULE_NOT_FOUND', message: `No approval rule ${args.id}.`, field: ['id'] }] };
  },

  approveOrder: async (_: unknown, args: { id: string }, context: GraphQLContext) => {
    const result = await decideOnOrder(company(context), context, args.id);
    return { order: result.order ? fromStored(result.order) : null, userErrors: result.userErrors };
  },

  rejectOrder: async (_: unknown, args: { id: string; reason: string }, context: GraphQLContext) => {
    const result = await decideOnOrder(company(context), context, args.id, args.reason);
    return { order: result.order ? fromStored(result.order) : null, userErrors: result.userErrors };
  },
};

const CURSOR = /^approval:(ord_[A-Za-z0-9]{1,80})$/;
const encode = (orderId: string) => Buffer.from(`approval:${orderId}`).toString('base64url');
function decode(after: string | null | undefined): string | null {
  if (!after) return null;
  const match = CURSOR.exec(Buffer.from(after, 'base64url').toString());
  if (!match) throw new DomainError('INVALID_ARGUMENT', 'after is not a cursor of ordersAwaitingApproval: pass an endCursor it returned.');
  return match[1]!;
}

export const CompanyQueries = {
  ordersAwaitingApproval: async (_: unknown, args: { first?: number | null; after?: string | null }, context: GraphQLContext) => {
    const customerId = requireCustomer(context, 'Orders awaiting approval');
    await authorizeCompany(context, 'order.approve', customerId);
    const deps = company(context);
    const first = pageSize(args.first, 20, 100);
    const me = { subject: context.principal.subject, roles: (await companyActor(context)).companyRoles ?? [] };
    const now = deps.orders.clock.now();
    const nodes: Array<{ flow: ApprovalFlow; order: StoredOrder }> = [];
    let after = decode(args.after);
    let hasNextPage = false;
    // Read in pages until `first` the caller may act on are found (others' own orders, tiers they cannot approve, are passed over).
    for (let scanned = 0; nodes.length < first && scanned < 2000; ) {
      const flows = await deps.directory.store.pendingFlows(customerId, { limit: 100, after });
      scanned += flows.length;
      for (const flow of flows) {
        after = flow.orderId;
        if (nodes.length === first) {
          hasNextPage = true;
          break;
        }
        if (!mayApproveCurrentTier(expireIfDue(flow, now), me)) continue;
        const order = await deps.orders.store.get(flow.orderId);
        if (order?.status === 'PENDING_APPROVAL') nodes.push({ flow, order });
        // Its order was cancelled meanwhile, or never written (a failed insert; a flow is written just
        // before its order, so only one older than a minute): the flow is closed, so the company's
        // pending list holds only orders that wait.
        else if (order?.status === 'CANCELLED' || (order === null && Date.parse(flow.createdAt) < now - 60_000))
          await deps.directory.store.updateFlow(closeForOrder(flow, order?.status ?? null, now));
      }
      if (flows.length < 100 || hasNextPage) break;
    }
    const edges = nodes.map(({ order }) => ({ cursor: encode(order.id), node: fromStored(order) }));
    return {
      edges,
      pageInfo: { hasNextPage, hasPreviousPage: args.after != null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    };
  },
};

/** What an order's approval shows: the flow, and the pipeline's steps after it. */
export const OrderApprovalField = {
  approval: async (order: OrderView, _: unknown, context: GraphQLContext) => {
    const deps = context.services.company;
    if (!deps || !order.id.startsWith('ord_')) return null;
    const flow = await deps.directory.store.flow(order.id);
    if (!flow) return null;
    const shown = expireIfDue(flow, deps.orders.clock.now());
    const history: ApprovalEvent[] = [...shown.history];
    if (order.submittedAt && order.erpOrderNumber) {
      history.push({ at: order.submittedAt, by: 'erpfront', action: 'SUBMITTED' as ApprovalEvent['action'], note: `in the ERP as ${order.erpOrderNumber}` });
    }
    return { status: shown.status, ruleIds: shown.ruleIds, tiers: shown.tiers, expiresAt: shown.expiresAt, history, currentTier: currentTier(shown) };
  },
};
