/**
 * Company accounts over HTTP: the acceptance scenarios of buyer directories and order approvals,
 * written once and run against an embedded erpfront and a scale-out one (each step may land on
 * another instance). Tokens are real JWTs with their own subjects: company roles come from
 * erpfront's directory, never from the token.
 */
import { expect, it } from 'vitest';
import { signToken } from '../../scripts/sign-token.ts';
import { erpOrders, eventually } from './orders.ts';
import type { Stack } from './stack.ts';

export interface CompanyTarget {
  /** The instance for step `i` (embedded: always the one). */
  at(i: number): Stack;
  secret: string;
  sandboxUrl: string;
  opsToken(): Promise<string>;
  faults(faults: Record<string, unknown>): Promise<unknown>;
  /** The APPROVAL_TTL_SECONDS the target runs with. */
  approvalTtlSeconds: number;
}

const COMPANY = /* GraphQL */ `query { viewer { company { id name buyers { subject roles orderLimit { amount currency } monthlyLimit { amount currency } } approvalRules { id } me { subject roles } } } }`;
const SET_BUYER = /* GraphQL */ `mutation SetCompanyBuyer($input: SetCompanyBuyerInput!) { setCompanyBuyer(input: $input) { buyer { subject roles orderLimit { amount } } userErrors { code message field } } }`;
const APPROVE = /* GraphQL */ `mutation ApproveOrder($id: ID!) { approveOrder(id: $id) { order { id status } userErrors { code message } } }`;
const REJECT = /* GraphQL */ `mutation RejectOrder($id: ID!, $reason: String!) { rejectOrder(id: $id, reason: $reason) { order { id status } userErrors { code message } } }`;
const AWAITING = /* GraphQL */ `query { ordersAwaitingApproval(first: 20) { edges { node { id status total { amount } placedBy } } } }`;
const PLACE = /* GraphQL */ `mutation PlaceOrder($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status total { amount } placedBy } userErrors { code message } creditDecision { decision } } }`;
const ORDER = /* GraphQL */ `query Order($id: ID!) { order(id: $id) { id status erpOrderNumber placedBy approval { status tiers { approvedBy } history { by action note } } } }`;
const SET_RULE = /* GraphQL */ `mutation SetRule($input: SetApprovalRuleInput!) { setApprovalRule(input: $input) { rule { id tiers { approverRoles } } userErrors { code message } } }`;
const REMOVE_RULE = /* GraphQL */ `mutation RemoveRule($id: ID!) { removeApprovalRule(id: $id) { removed userErrors { code } } }`;

/** Runs the acceptance scenarios against `target()` (set up by the caller's beforeAll). */
export function companyAcceptance(target: () => CompanyTarget) {
  let step = 0;
  /** The next instance in turn: consecutive steps reach different instances in scale-out. */
  const next = () => target().at(step++);
  const token = (customerId: string, subject: string) => signToken({ secret: target().secret, roles: ['buyer'], customerId, subject });
  const as = async (
    who: { customerId: string; subject: string },
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) => {
    const answer = await next().graphql(query, variables, { token: await token(who.customerId, who.subject), headers });
    return answer;
  };
  const asOps = async (customerId: string, query: string, variables: Record<string, unknown>) =>
    next().graphql(query, variables, { token: await target().opsToken(), headers: { 'x-customer-id': customerId } });

  // Company A (its admin, approver, a second-tier admin, a buyer with a 1,000 limit), company B
  // (an admin and an approver), company C (a buyer with a limit and no approver at all).
  const A = 'C0001';
  const B = 'C0002';
  const C = 'C0003';
  const adminA = { customerId: A, subject: 'ada@a.example' };
  const approverA = { customerId: A, subject: 'abel@a.example' };
  const buyerA = { customerId: A, subject: 'bo@a.example' };
  const adminB = { customerId: B, subject: 'bea@b.example' };
  const approverB = { customerId: B, subject: 'ben@b.example' };
  const buyerC = { customerId: C, subject: 'cy@c.example' };
  let unitPrice = 0;
  let keyNo = 0;

  /** Places an order of about `amount` (whole units of SKU-00001 at the buyer's price). */
  async function placeAbout(who: { customerId: string; subject: string }, amount: number) {
    const quantity = Math.ceil(amount / unitPrice);
    const answer = await as(who, PLACE, {
      input: { idempotencyKey: `co-${Date.now()}-${keyNo++}`, poNumber: `PO-${keyNo}`, lines: [{ sku: 'SKU-00001', quantity }] },
    });
    expect(answer.body.errors).toBeUndefined();
    return answer.body.data.placeOrder as {
      order: { id: string; status: string; total: { amount: string }; placedBy: string } | null;
      userErrors: Array<{ code: string }>;
    };
  }
  const erpHolds = async (id: string) => (await erpOrders(target().at(0))).filter((o) => o.externalRef === id).length;
  const statusOf = async (who: { customerId: string; subject: string }, id: string) => (await as(who, ORDER, { id })).body.data.order;

  it('ops designate the first admin (no one is admin by being first); the admin sets up roles and limits', async () => {
    // No credit limit for the test companies: what is tested is approval, not credit.
    for (const customerId of [A, B, C]) {
      const response = await fetch(`${target().sandboxUrl}/__control/changes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'creditLimit', customerId, limit: null }),
      });
      expect(response.ok).toBe(true);
    }
    // The first person seen is registered as a plain BUYER, and cannot manage anyone.
    const first = await as(adminA, COMPANY);
    expect(first.body.data.viewer.company.me).toEqual({ subject: adminA.subject, roles: ['BUYER'] });
    const refused = await as(adminA, SET_BUYER, { input: { subject: adminA.subject, roles: ['ADMIN'] } });
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');

    for (const [customerId, admin] of [
      [A, adminA],
      [B, adminB],
    ] as const) {
      const made = await asOps(customerId, SET_BUYER, { input: { subject: admin.subject, roles: ['ADMIN'] } });
      expect(made.body.data.setCompanyBuyer).toEqual({ buyer: { subject: admin.subject, roles: ['ADMIN'], orderLimit: null }, userErrors: [] });
    }
    const setUp = [
      [adminA, { subject: approverA.subject, roles: ['APPROVER', 'BUYER'] }],
      [adminA, { subject: buyerA.subject, roles: ['BUYER'], orderLimit: '1000' }],
      [adminB, { subject: approverB.subject, roles: ['APPROVER'] }],
    ] as const;
    for (const [admin, input] of setUp) {
      const answer = await as(admin, SET_BUYER, { input });
      expect(answer.body.data.setCompanyBuyer.userErrors).toEqual([]);
    }
    expect(
      (await asOps(C, SET_BUYER, { input: { subject: buyerC.subject, roles: ['BUYER'], orderLimit: '10' } })).body.data.setCompanyBuyer.userErrors,
    ).toEqual([]);

    const company = (await as(buyerA, COMPANY)).body.data.viewer.company;
    expect(company.id).toBe(A);
    expect(company.buyers.find((b: { subject: string }) => b.subject === buyerA.subject)).toMatchObject({
      roles: ['BUYER'],
      orderLimit: { amount: '1000.00' },
    });
    const price = await as(buyerA, '{ products(skus: ["SKU-00001"]) { price { unitPrice { amount } } } }');
    unitPrice = Number(price.body.data.products[0].price.unitPrice.amount);
    expect(unitPrice).toBeGreaterThan(0);
  });

  it('a buyer with a 1,000 order limit places 1,500: PENDING_APPROVAL, not in the ERP; they cannot approve it; another company cannot see it; the approver approves and the ERP holds it once', async () => {
    const placed = await placeAbout(buyerA, 1500);
    expect(placed.userErrors).toEqual([]);
    expect(placed.order).toMatchObject({ status: 'PENDING_APPROVAL', placedBy: buyerA.subject });
    expect(Number(placed.order!.total.amount)).toBeGreaterThan(1000);
    const id = placed.order!.id;
    expect(await statusOf(buyerA, id)).toMatchObject({ status: 'PENDING_APPROVAL', approval: { status: 'PENDING' } });
    expect(await erpHolds(id)).toBe(0);

    const self = await as(buyerA, APPROVE, { id });
    expect(self.body.data.approveOrder.userErrors.map((e: { code: string }) => e.code)).toEqual(['SELF_APPROVAL']);

    // Another company's approver: exactly the answer for an order that does not exist.
    const other = (await as(approverB, APPROVE, { id })).body.data.approveOrder;
    const none = (await as(approverB, APPROVE, { id: 'ord_doesnotexist0000' })).body.data.approveOrder;
    expect(other).toEqual({ order: null, userErrors: [{ code: 'ORDER_NOT_FOUND', message: `No order ${id}.` }] });
    expect(none).toEqual({ order: null, userErrors: [{ code: 'ORDER_NOT_FOUND', message: 'No order ord_doesnotexist0000.' }] });
    expect((await as(approverB, REJECT, { id, reason: 'no' })).body.data.rejectOrder.userErrors[0].code).toBe('ORDER_NOT_FOUND');
    expect((await as(approverB, ORDER, { id })).body.data.order).toBeNull();
    expect((await as(approverB, AWAITING)).body.data.ordersAwaitingApproval.edges).toEqual([]);

    const awaiting = (await as(approverA, AWAITING)).body.data.ordersAwaitingApproval.edges.map((e: { node: { id: string } }) => e.node);
    expect(awaiting).toContainEqual({ id, status: 'PENDING_APPROVAL', total: placed.order!.total, placedBy: buyerA.subject });
    // The requester's own order is not theirs to approve: not listed for them.
    expect((await as(buyerA, AWAITING)).body.errors[0].extensions.code).toBe('FORBIDDEN');

    const approved = (await as(approverA, APPROVE, { id })).body.data.approveOrder;
    expect(approved.userErrors).toEqual([]);
    expect(['SUBMITTED', 'QUEUED']).toContain(approved.order.status);
    const done = await eventually(
      () => statusOf(buyerA, id),
      (o) => o.status === 'SUBMITTED',
    );
    expect(done.status).toBe('SUBMITTED');
    expect(await erpHolds(id)).toBe(1);
    // Approving again changes nothing.
    expect((await as(approverA, APPROVE, { id })).body.data.approveOrder.userErrors[0].code).toBe('INVALID_ORDER_STATE');
    expect(await erpHolds(id)).toBe(1);
    expect(done.approval.history.map((h: { action: string; by: string }) => [h.action, h.by])).toEqual([
      ['REQUESTED', buyerA.subject],
      ['APPROVED', approverA.subject],
      ['QUEUED', 'erpfront'],
      ['SUBMITTED', 'erpfront'],
    ]);
  });

  it('with the ERP down at approval time the approved order is QUEUED, and submitted once after recovery', async () => {
    const placed = await placeAbout(buyerA, 1500);
    const id = placed.order!.id;
    expect(placed.order!.status).toBe('PENDING_APPROVAL');
    await target().faults({ outage: true });
    try {
      const approved = (await as(approverA, APPROVE, { id })).body.data.approveOrder;
      expect(approved.userErrors).toEqual([]);
      expect(approved.order.status).toBe('QUEUED');
    } finally {
      await target().faults({ outage: false });
    }
    const done = await eventually(
      () => statusOf(buyerA, id),
      (o) => o?.status === 'SUBMITTED',
      60_000,
      500,
    );
    expect(done.status).toBe('SUBMITTED');
    expect(await erpHolds(id)).toBe(1);
  });

  it('a two-tier rule needs both tiers (by two people); one rejection ends it', async () => {
    const rule = await as(adminA, SET_RULE, {
      input: {
        name: 'big orders',
        condition: { kind: 'ORDER_TOTAL_OVER', amount: '1200' },
        tiers: [{ approverRoles: ['APPROVER'] }, { approverRoles: ['ADMIN'] }],
      },
    });
    expect(rule.body.data.setApprovalRule.userErrors).toEqual([]);
    const ruleId = rule.body.data.setApprovalRule.rule.id;
    try {
      const placed = await placeAbout(buyerA, 1500);
      const id = placed.order!.id;
      expect(placed.order!.status).toBe('PENDING_APPROVAL');
      const first = (await as(approverA, APPROVE, { id })).body.data.approveOrder;
      expect(first).toEqual({ order: { id, status: 'PENDING_APPROVAL' }, userErrors: [] });
      // The approver cannot take the second tier too (another person must), nor can a buyer.
      expect((await as(approverA, APPROVE, { id })).body.data.approveOrder.userErrors[0].code).toBe('ALREADY_APPROVED_BY_YOU');
      expect((await as(buyerC, APPROVE, { id })).body.data.approveOrder.userErrors[0].code).toBe('ORDER_NOT_FOUND');
      expect(await erpHolds(id)).toBe(0);
      const second = (await as(adminA, APPROVE, { id })).body.data.approveOrder;
      expect(second.userErrors).toEqual([]);
      await eventually(
        () => statusOf(buyerA, id),
        (o) => o.status === 'SUBMITTED',
      );
      expect(await erpHolds(id)).toBe(1);

      const again = await placeAbout(buyerA, 1500);
      const rejectedId = again.order!.id;
      const rejected = (await as(approverA, REJECT, { id: rejectedId, reason: 'Not in this quarter’s budget' })).body.data.rejectOrder;
      expect(rejected).toEqual({ order: { id: rejectedId, status: 'APPROVAL_REJECTED' }, userErrors: [] });
      expect((await as(adminA, APPROVE, { id: rejectedId })).body.data.approveOrder.userErrors[0].code).toBe('INVALID_ORDER_STATE');
      const view = await statusOf(buyerA, rejectedId);
      expect(view).toMatchObject({ status: 'APPROVAL_REJECTED', approval: { status: 'REJECTED' } });
      expect(view.approval.history.at(-1)).toEqual({ by: approverA.subject, action: 'REJECTED', note: 'Not in this quarter’s budget' });
      expect(await erpHolds(rejectedId)).toBe(0);
    } finally {
      expect((await as(adminA, REMOVE_RULE, { id: ruleId })).body.data.removeApprovalRule.removed).toBe(true);
    }
  });

  it("the buyer may cancel an order waiting for approval: it leaves the approvers' list and cannot be approved", async () => {
    const placed = await placeAbout(buyerA, 1500);
    const id = placed.order!.id;
    const cancelled = await as(buyerA, 'mutation($id: ID!) { cancelOrder(id: $id) { order { status } userErrors { code } } }', { id });
    expect(cancelled.body.data.cancelOrder).toEqual({ order: { status: 'CANCELLED' }, userErrors: [] });
    const listed = (await as(approverA, AWAITING)).body.data.ordersAwaitingApproval.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(listed).not.toContain(id);
    expect((await as(approverA, APPROVE, { id })).body.data.approveOrder.userErrors[0].code).toBe('INVALID_ORDER_STATE');
    expect((await statusOf(buyerA, id)).approval.status).toBe('CANCELLED');
    expect(await erpHolds(id)).toBe(0);
  });

  it('an expired approval cannot be approved: APPROVAL_EXPIRED, and the order never reaches the ERP', async () => {
    const placed = await placeAbout(buyerA, 1500);
    const id = placed.order!.id;
    await new Promise((r) => setTimeout(r, (target().approvalTtlSeconds + 1) * 1000));
    const late = (await as(approverA, APPROVE, { id })).body.data.approveOrder;
    expect(late.userErrors.map((e: { code: string }) => e.code)).toEqual(['APPROVAL_EXPIRED']);
    expect((await statusOf(buyerA, id)).status).toBe('APPROVAL_REJECTED');
    expect(await erpHolds(id)).toBe(0);
  }, 60_000);

  it('a company with no approver: an order needing approval is refused with NO_APPROVER, nothing written', async () => {
    const placed = await placeAbout(buyerC, 50);
    expect(placed.order).toBeNull();
    expect(placed.userErrors.map((e) => e.code)).toEqual(['NO_APPROVER']);
  });

  it("an admin changes a buyer's role and limit; a buyer of the same company cannot; an admin of another company cannot", async () => {
    const changed = (await as(adminA, SET_BUYER, { input: { subject: buyerA.subject, roles: ['BUYER', 'APPROVER'], orderLimit: '2500.50' } })).body.data
      .setCompanyBuyer;
    expect(changed).toEqual({ buyer: { subject: buyerA.subject, roles: ['APPROVER', 'BUYER'], orderLimit: { amount: '2500.50' } }, userErrors: [] });

    const byBuyer = await as(buyerA, SET_BUYER, { input: { subject: buyerA.subject, roles: ['ADMIN'] } });
    expect(byBuyer.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(byBuyer.body.data?.setCompanyBuyer ?? null).toBeNull();

    // Another company's admin: naming A is refused before anything is read ...
    const named = await as(adminB, SET_BUYER, { input: { subject: buyerA.subject, roles: ['ADMIN'] } }, { 'x-customer-id': A });
    expect(named.status).toBe(403);
    // ... and without naming it, their change lands in their own company only.
    await as(adminB, SET_BUYER, { input: { subject: buyerA.subject, roles: ['ADMIN'], orderLimit: '1' } });
    const inA = (await as(adminA, COMPANY)).body.data.viewer.company.buyers.find((b: { subject: string }) => b.subject === buyerA.subject);
    expect(inA).toMatchObject({ roles: ['APPROVER', 'BUYER'], orderLimit: { amount: '2500.50' } });

    const invalid = (await as(adminA, SET_BUYER, { input: { subject: buyerA.subject, roles: [], orderLimit: '-5' } })).body.data.setCompanyBuyer;
    expect(invalid.buyer).toBeNull();
    expect(invalid.userErrors.map((e: { code: string }) => e.code).sort()).toEqual(['INVALID_LIMIT', 'ROLES_REQUIRED']);
  });
}
