/**
 * After submission the ERP moves an order on: shipped in parts, with tracking, then invoiced.
 * Buyers see it through `order(id)` and in one `orders` list with what is still queued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, placeOrder, queue } from '../support/orders.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ BREAKER_COOLDOWN_SECONDS: '1' });
  await stack.faults({ orderStepMs: 300 });
});
afterAll(() => stack?.close());

const DETAIL = /* GraphQL */ `query($id: ID!) { order(id: $id) {
  id status erpOrderNumber placedBy creditDecision { decision }
  lines { sku quantity shippedQuantity unitPrice { amount currency } }
  shipments { carrier trackingNumber shippedAt lines { sku quantity } }
  invoices { number kind total { amount currency } dueDate paid } } }`;

describe('order history', () => {
  it('follows an order from SUBMITTED through shipments to INVOICED', async () => {
    const token = await stack.buyerToken('C0001');
    const placed = await placeOrder(stack, token, {
      poNumber: 'PO-H1',
      lines: [
        { sku: 'SKU-00001', quantity: 4 },
        { sku: 'SKU-00002', quantity: 2 },
      ],
    });
    expect(placed.order?.status).toBe('SUBMITTED');
    const seen = new Set<string>();
    const final = await eventually(
      async () => (await stack.graphql(DETAIL, { id: placed.order!.id }, { token })).body.data.order,
      (order) => {
        seen.add(order.status);
        return order.status === 'INVOICED';
      },
      15_000,
      100,
    );
    expect([...seen]).toEqual(expect.arrayContaining(['PARTIALLY_SHIPPED', 'INVOICED']));
    expect(final.placedBy).toBe('buyer@C0001');
    expect(final.shipments.length).toBeGreaterThanOrEqual(2);
    for (const shipment of final.shipments) expect(shipment).toMatchObject({ carrier: expect.any(String), trackingNumber: expect.any(String) });
    expect(final.lines.every((l: any) => l.shippedQuantity === l.quantity)).toBe(true);
    expect(final.invoices).toHaveLength(1);
    expect(final.invoices[0].total).toEqual(placed.order!.total);
  });

  it('lists queued and ERP orders in one view, newest first', async () => {
    const token = await stack.buyerToken('C0002');
    const submitted = await placeOrder(stack, token, { lines: [{ sku: 'SKU-00003', quantity: 1 }] });
    await stack.faults({ outage: true });
    const queued = await placeOrder(stack, token, { lines: [{ sku: 'SKU-00003', quantity: 2 }] });
    expect(queued.order?.status).toBe('QUEUED');
    const list = await stack.graphql('{ orders(first: 10) { edges { node { id status stale } } } }', {}, { token });
    await stack.faults({ outage: false });
    // The ERP is down: erpfront still lists what it knows, the ERP's part marked stale.
    expect(list.body.errors).toBeUndefined();
    const during = list.body.data.orders.edges.map((e: any) => e.node);
    expect(during).toContainEqual({ id: queued.order!.id, status: 'QUEUED', stale: false });
    expect(during).toContainEqual({ id: submitted.order!.id, status: 'SUBMITTED', stale: true });

    const after = await eventually(
      async () => (await stack.graphql('{ orders(first: 10) { edges { node { id status erpOrderNumber } } } }', {}, { token })).body,
      (body) => !body.errors && body.data.orders.edges.filter((e: any) => e.node.status !== 'QUEUED').length >= 2,
    );
    const ids = after.data.orders.edges.map((e: any) => e.node.id);
    expect(ids.indexOf(queued.order!.id)).toBeLessThan(ids.indexOf(submitted.order!.id));
    expect(after.data.orders.edges.every((e: any) => e.node.erpOrderNumber)).toBe(true);
  });

  it('lists an order the ERP took before erpfront heard back once, as the ERP holds it', async () => {
    // The ERP commits the order and its reply is lost: until the dispatcher finds the order by its
    // reference, erpfront's queue says QUEUED while the ERP's own list already holds it.
    const token = await stack.buyerToken('C0003');
    await stack.faults({ dropResponseAfterCommit: 1 });
    const placed = await placeOrder(stack, token, { poNumber: 'PO-LOST', lines: [{ sku: 'SKU-00004', quantity: 1 }] });
    const listed = [];
    const deadline = Date.now() + 10_000;
    for (;;) {
      const body = (await stack.graphql('{ orders(first: 20) { edges { node { id status erpOrderNumber placedBy } } } }', {}, { token })).body;
      expect(body.errors).toBeUndefined();
      const mine = body.data.orders.edges.map((e: any) => e.node).filter((n: any) => n.id === placed.order!.id);
      listed.push(mine);
      const settled = (await queue(stack, ['SUBMITTED'])).some((o) => o.id === placed.order!.id);
      if (settled || Date.now() > deadline) break;
    }
    expect(placed.order?.status).toBe('QUEUED');
    expect(listed.length).toBeGreaterThan(1);
    for (const mine of listed) {
      expect(mine).toHaveLength(1);
      // Once the ERP has it, it shows the ERP's progress and what erpfront knows of who placed it.
      if (mine[0].erpOrderNumber) expect(mine[0].status).not.toBe('QUEUED');
      if (mine[0].erpOrderNumber) expect(mine[0].placedBy).toBe('buyer@C0003');
    }
    expect(listed.at(-1)![0].erpOrderNumber).toEqual(expect.any(String));
  });

  it('lets a buyer cancel an order still waiting, not one in the ERP', async () => {
    const token = await stack.buyerToken('C0001');
    const inErp = await placeOrder(stack, token, { lines: [{ sku: 'SKU-00001', quantity: 1 }] });
    const cancel = '{ cancelOrder(id: "ID") { order { status } userErrors { code } } }';
    const refused = await stack.graphql(`mutation ${cancel.replace('ID', inErp.order!.id)}`, {}, { token });
    expect(refused.body.data.cancelOrder.userErrors.map((e: any) => e.code)).toEqual(['INVALID_ORDER_STATE']);
  });
});
