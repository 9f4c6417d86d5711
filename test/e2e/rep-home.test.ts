/**
 * Sales reps over HTTP, embedded erpfront in front of the sandbox ERP: a rep's home page for 20
 * customers at the floor of ERP calls (one per kind of data cold, none warm, counted by the
 * sandbox), reps kept to their assigned customers, and orders a rep places for a customer marked
 * and audited — and approved by the company when its rules say so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../scripts/sign-token.ts';
import { erpOrders } from '../support/orders.ts';
import { callsBetween, REP_HOME } from '../support/reps.ts';
import { startStack, type SandboxStats, type Stack } from '../support/stack.ts';

const PLACE = /* GraphQL */ `mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status placedBy onBehalf { salesRepId } } userErrors { code message } } }`;
const ORDER = /* GraphQL */ `query Order($id: ID!) { order(id: $id) { id status customerId placedBy onBehalf { salesRepId } history { by action note } } }`;
const SET_BUYER = /* GraphQL */ `mutation SetBuyer($input: SetCompanyBuyerInput!) { setCompanyBuyer(input: $input) { userErrors { code } } }`;
const SET_RULE = /* GraphQL */ `mutation SetRule($input: SetApprovalRuleInput!) { setApprovalRule(input: $input) { rule { id } userErrors { code message } } }`;
const APPROVE = /* GraphQL */ `mutation Approve($id: ID!) { approveOrder(id: $id) { order { id status } userErrors { code } } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(() => stack?.close());

const snapshot = () => stack.stats();
const callsSince = async (before: SandboxStats) => callsBetween(before, await stack.stats());
const rep = (repId: string) => stack.repToken(repId);
const admin = { customerId: 'C0001', subject: 'ada@acme.example' };
const adminToken = () => signToken({ secret: stack.secret, roles: ['buyer'], customerId: admin.customerId, subject: admin.subject });
const asOps = async (customerId: string, query: string, variables: Record<string, unknown>) =>
  stack.graphql(query, variables, { token: await stack.opsToken(), headers: { 'x-customer-id': customerId } });

describe("a sales rep's home", () => {
  it('pages 20 customers with credit, open orders, approvals and overdue invoices: one ERP call per kind cold, none warm', async () => {
    const before = await snapshot();
    const cold = await stack.graphql(REP_HOME, { first: 20 }, { token: await rep('R05') });
    expect(cold.body.errors).toBeUndefined();
    const coldCalls = await callsSince(before);
    // The measurement: exactly one call per kind of data for 20 customers, and no other ERP call.
    expect(coldCalls).toEqual({ getSalesReps: 1, getCustomers: 1, getOpenOrderSummaries: 1, getOpenInvoices: 1 });

    const home = cold.body.data.repHome;
    expect(home.salesRep).toEqual({ id: 'R05', name: expect.any(String) });
    expect(home.customers.totalCount).toBe(20);
    expect(home.customers.pageInfo.hasNextPage).toBe(false);
    const nodes = home.customers.edges.map((e: { node: any }) => e.node);
    expect(nodes).toHaveLength(20);
    for (const node of nodes) {
      expect(node.customer.id).toBe(node.id);
      expect(node.customer.name).toEqual(expect.any(String));
      expect(['OK', 'OVER_LIMIT', 'ON_HOLD']).toContain(node.creditState);
      expect(node.creditState === 'ON_HOLD').toBe(node.credit.onHold);
      expect(node.openOrders).toMatchObject({ count: 0, inErpfront: 0, stale: false });
      expect(node.awaitingApproval).toEqual({ count: 0, total: null });
      const overdue = node.overdueInvoices;
      expect(overdue.count).toBeLessThanOrEqual(overdue.openCount);
      expect(Number(overdue.amount.amount)).toBeLessThanOrEqual(Number(overdue.openAmount.amount));
      // The receivables the ERP answers make up the balance in its credit figures.
      expect(overdue.openAmount.amount).toBe(node.credit.balance.amount);
      if (overdue.count > 0) expect(overdue.oldestDueDate < new Date().toISOString().slice(0, 10)).toBe(true);
    }
    // The seeded receivables include overdue invoices: the page shows some.
    expect(nodes.some((n: any) => n.overdueInvoices.count > 0)).toBe(true);

    const beforeWarm = await snapshot();
    const warm = await stack.graphql(REP_HOME, { first: 20 }, { token: await rep('R05') });
    expect(await callsSince(beforeWarm)).toEqual({});
    expect(warm.body.data).toEqual(cold.body.data);
  });

  it('pages on: the next page costs one call per kind for its own customers, the assignment is cached', async () => {
    const first = await stack.graphql(REP_HOME, { first: 20 }, { token: await rep('R01') });
    expect(first.body.data.repHome.customers).toMatchObject({ totalCount: 23, pageInfo: { hasNextPage: true } });
    const before = await snapshot();
    const next = await stack.graphql(REP_HOME, { first: 20, after: first.body.data.repHome.customers.pageInfo.endCursor }, { token: await rep('R01') });
    expect(next.body.errors).toBeUndefined();
    expect(next.body.data.repHome.customers.edges).toHaveLength(3);
    expect(await callsSince(before)).toEqual({ getCustomers: 1, getOpenOrderSummaries: 1, getOpenInvoices: 1 });
  });

  it('is for sales reps only', async () => {
    const asBuyer = await stack.graphql('{ repHome { salesRep { id } } }', {}, { token: await stack.buyerToken('C0001') });
    expect(asBuyer.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const unknown = await stack.graphql('{ repHome { salesRep { id } } }', {}, { token: await rep('R99') });
    expect(unknown.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('reps and the customers they are not assigned', () => {
  it('a rep cannot act for a customer the ERP does not assign them', async () => {
    // C0001 is R01's, not R05's.
    const answer = await stack.graphql(
      '{ viewer { customer { id creditStatus { balance { amount } } } } }',
      {},
      {
        token: await rep('R05'),
        headers: { 'x-customer-id': 'C0001' },
      },
    );
    expect(answer.status).toBe(403);
    expect(answer.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(answer.body)).not.toContain('balance');
  });
});

describe('orders a rep places for a customer', () => {
  let repOrderId = '';

  it("are marked placed on the customer's behalf, and the company admin sees who placed them in the history", async () => {
    expect((await asOps('C0001', SET_BUYER, { input: { subject: admin.subject, roles: ['ADMIN'] } })).body.data.setCompanyBuyer.userErrors).toEqual([]);
    const placed = await stack.graphql(
      PLACE,
      { input: { idempotencyKey: 'rep-1', lines: [{ sku: 'SKU-00001', quantity: 1 }] } },
      {
        token: await rep('R01'),
        headers: { 'x-customer-id': 'C0001' },
      },
    );
    expect(placed.body.errors).toBeUndefined();
    const order = placed.body.data.placeOrder.order;
    expect(placed.body.data.placeOrder.userErrors).toEqual([]);
    expect(order).toMatchObject({ status: 'SUBMITTED', placedBy: 'rep:R01', onBehalf: { salesRepId: 'R01' } });
    repOrderId = order.id;

    const seen = await stack.graphql(ORDER, { id: order.id }, { token: await adminToken() });
    expect(seen.body.data.order).toMatchObject({ customerId: 'C0001', placedBy: 'rep:R01', onBehalf: { salesRepId: 'R01' } });
    expect(seen.body.data.order.history.map((h: any) => [h.action, h.by])).toEqual([
      ['PLACED', 'rep:R01'],
      ['SUBMITTED', 'erpfront'],
    ]);
    expect(seen.body.data.order.history[0].note).toBe('by sales rep R01 on behalf of customer C0001');
    // Another rep, acting for a customer of their own, does not see it at all.
    const otherRep = await stack.graphql(ORDER, { id: order.id }, { token: await rep('R05'), headers: { 'x-customer-id': 'C0012' } });
    expect(otherRep.body.errors).toBeUndefined();
    expect(otherRep.body.data.order).toBeNull();
    // Operations see it too; a buyer's own order carries no mark.
    expect((await asOps('C0001', ORDER, { id: order.id })).body.data.order.onBehalf).toEqual({ salesRepId: 'R01' });
    const own = await stack.graphql(PLACE, { input: { idempotencyKey: 'own-1', lines: [{ sku: 'SKU-00001', quantity: 1 }] } }, { token: await adminToken() });
    expect(own.body.data.placeOrder.order).toMatchObject({ placedBy: admin.subject, onBehalf: null });
  });

  it("count in the rep's home at once, though the ERP's cached summary does not show them yet", async () => {
    const home = await stack.graphql(REP_HOME, { first: 20 }, { token: await rep('R01') });
    const c0001 = home.body.data.repHome.customers.edges.map((e: any) => e.node).find((n: any) => n.id === 'C0001');
    // The rep's order and the admin's own, submitted after the summary was cached (by the paging test).
    expect(c0001.openOrders).toMatchObject({ count: 2, inErpfront: 2 });
  });

  it("wait for the company when its rule says reps' orders need its approval; the rep cannot approve their own", async () => {
    const rule = await stack.graphql(
      SET_RULE,
      { input: { name: "Our reps' orders", condition: { kind: 'SALES_REP_ORDER' }, tiers: [{ approverRoles: ['ADMIN'] }] } },
      { token: await adminToken() },
    );
    expect(rule.body.data.setApprovalRule.userErrors).toEqual([]);
    const placed = await stack.graphql(
      PLACE,
      { input: { idempotencyKey: 'rep-2', lines: [{ sku: 'SKU-00001', quantity: 2 }] } },
      {
        token: await rep('R01'),
        headers: { 'x-customer-id': 'C0001' },
      },
    );
    const order = placed.body.data.placeOrder.order;
    expect(order).toMatchObject({ status: 'PENDING_APPROVAL', onBehalf: { salesRepId: 'R01' } });

    const home = await stack.graphql(REP_HOME, { first: 20 }, { token: await rep('R01') });
    const c0001 = home.body.data.repHome.customers.edges.map((e: any) => e.node).find((n: any) => n.id === 'C0001');
    expect(c0001.awaitingApproval.count).toBe(1);

    const byRep = await stack.graphql(APPROVE, { id: order.id }, { token: await rep('R01'), headers: { 'x-customer-id': 'C0001' } });
    expect(byRep.body.data.approveOrder.userErrors.map((e: any) => e.code)).toEqual(['SELF_APPROVAL']);
    const byAdmin = await stack.graphql(APPROVE, { id: order.id }, { token: await adminToken() });
    expect(byAdmin.body.data.approveOrder.userErrors).toEqual([]);

    const seen = await stack.graphql(ORDER, { id: order.id }, { token: await adminToken() });
    const history = seen.body.data.order.history;
    expect(history.map((h: any) => [h.action, h.by]).slice(0, 3)).toEqual([
      ['PLACED', 'rep:R01'],
      ['REQUESTED', 'rep:R01'],
      ['APPROVED', admin.subject],
    ]);
    expect(history[1].note).toContain('placed by sales rep R01 on behalf of customer C0001');
    // The first rep order and this one each reached the ERP once.
    const inErp = (await erpOrders(stack)).filter((o) => o.externalRef === repOrderId || o.externalRef === order.id);
    expect(inErp.map((o) => o.externalRef).sort()).toEqual([repOrderId, order.id].sort());
  });
});
