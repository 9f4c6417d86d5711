/**
 * Company accounts on an embedded erpfront (SQLite) in front of the sandbox ERP: buyer
 * directories managed by admins and operations, and orders over a buyer's limits waiting for the
 * company's approvers (see test/support/company.ts for the scenarios).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../scripts/sign-token.ts';
import { companyAcceptance } from '../support/company.ts';
import { erpOrders, eventually } from '../support/orders.ts';
import { startStack, type Stack } from '../support/stack.ts';

const TTL_SECONDS = 12;
const APPROVE = `mutation($id: ID!) { approveOrder(id: $id) { order { id status } userErrors { code message } } }`;
let stack: Stack;

describe('company accounts and approvals (embedded)', () => {
  beforeAll(async () => {
    stack = await startStack({ APPROVAL_TTL_SECONDS: String(TTL_SECONDS), APPROVAL_SWEEP_SECONDS: '1', BREAKER_COOLDOWN_SECONDS: '1' });
  }, 60_000);
  afterAll(() => stack?.close());

  companyAcceptance(() => ({
    at: () => stack,
    secret: stack.secret,
    sandboxUrl: stack.sandbox.url,
    opsToken: stack.opsToken,
    faults: stack.faults,
    approvalTtlSeconds: TTL_SECONDS,
  }));
});

describe('an approved order whose prices aged while it waited (ORDER_PRICE_MAX_AGE_SECONDS=1), and monthly limits', () => {
  let own: Stack;
  beforeAll(async () => {
    own = await startStack({ ORDER_PRICE_MAX_AGE_SECONDS: '1' });
  }, 60_000);
  afterAll(() => own?.close());

  const customer = 'C0005';
  const who = (subject: string) => signToken({ secret: own.secret, roles: ['buyer'], customerId: customer, subject });
  const control = (body: unknown) =>
    fetch(`${own.sandbox.url}/__control/changes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status total { amount } } userErrors { code } } }`;
  const ORDER = `query($id: ID!) { order(id: $id) { status total { amount } lines { unitPrice { amount } } approval { history { action note } } } }`;

  it('is re-priced at approval, then queued and submitted at the new price', async () => {
    expect((await control({ type: 'creditLimit', customerId: customer, limit: null })).ok).toBe(true);
    const ops = { token: await own.opsToken(), headers: { 'x-customer-id': customer } };
    const set = `mutation($input: SetCompanyBuyerInput!) { setCompanyBuyer(input: $input) { userErrors { code } } }`;
    for (const input of [
      { subject: 'approver@e', roles: ['APPROVER'] },
      { subject: 'buyer@e', roles: ['BUYER'], orderLimit: '1' },
      { subject: 'monthly@e', roles: ['BUYER'], monthlyLimit: '100' },
    ]) {
      expect((await own.graphql(set, { input }, ops)).body.data.setCompanyBuyer.userErrors).toEqual([]);
    }
    const placed = (await own.graphql(PLACE, { input: { poNumber: 'PO-R', lines: [{ sku: 'SKU-00003', quantity: 4 }] } }, { token: await who('buyer@e') })).body
      .data.placeOrder;
    expect(placed.order.status).toBe('PENDING_APPROVAL');
    // A contract price agreed meanwhile; the order's prices are now older than the limit.
    expect((await control({ type: 'price', sku: 'SKU-00003', customerId: customer, unitPrice: '2.50' })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    const approved = (await own.graphql(APPROVE, { id: placed.order.id }, { token: await who('approver@e') })).body.data.approveOrder;
    expect(approved.userErrors).toEqual([]);
    const view = await eventually(
      async () => (await own.graphql(ORDER, { id: placed.order.id }, { token: await who('buyer@e') })).body.data.order,
      (o) => o.status === 'SUBMITTED',
    );
    expect(view.total.amount).toBe('10.00');
    expect(view.lines[0].unitPrice.amount).toBe('2.50');
    expect(view.approval.history.map((h: { action: string }) => h.action)).toEqual(['REQUESTED', 'APPROVED', 'REPRICED', 'QUEUED', 'SUBMITTED']);
    const inErp = (await erpOrders(own)).filter((o) => o.externalRef === placed.order.id);
    expect(inErp).toHaveLength(1);
  });

  it('orders placed at the same instant (their credit decisions retried) each wait with their own approval, all listed for the approver', async () => {
    const token = await who('buyer@e');
    const placed = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const answer = await own.graphql(PLACE, { input: { poNumber: `PO-C${i}`, lines: [{ sku: 'SKU-00003', quantity: 2 + i }] } }, { token });
        return answer.body.data.placeOrder.order as { id: string; status: string };
      }),
    );
    expect(placed.map((o) => o.status)).toEqual(Array(8).fill('PENDING_APPROVAL'));
    const listed = await own.graphql(`query { ordersAwaitingApproval(first: 50) { edges { node { id } } } }`, {}, { token: await who('approver@e') });
    const ids = listed.body.data.ordersAwaitingApproval.edges.map((e: { node: { id: string } }) => e.node.id);
    for (const order of placed) expect(ids).toContain(order.id);
  });

  it("a buyer's monthly limit counts their orders this month: the order that takes them past it waits", async () => {
    const token = await who('monthly@e');
    const first = (await own.graphql(PLACE, { input: { poNumber: 'PO-M1', lines: [{ sku: 'SKU-00003', quantity: 30 }] } }, { token })).body.data.placeOrder;
    expect(first.userErrors).toEqual([]);
    expect(Number(first.order.total.amount)).toBeLessThanOrEqual(100);
    expect(first.order.status).not.toBe('PENDING_APPROVAL');
    const second = (await own.graphql(PLACE, { input: { poNumber: 'PO-M2', lines: [{ sku: 'SKU-00003', quantity: 30 }] } }, { token })).body.data.placeOrder;
    expect(second.order.status).toBe('PENDING_APPROVAL');
  });
});
