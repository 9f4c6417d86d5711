/**
 * E-invoices for a PunchOut buyer configured for them: each invoice and credit memo of its cXML
 * orders reaches its endpoint as an InvoiceDetailRequest, once, DTD-valid, through the same notice
 * channel as the ConfirmationRequest and ShipNoticeRequest — a failed delivery retried, never
 * doubled. A credit memo issued after the order was invoiced and its invoice sent (a credited
 * return) still reaches the buyer, once. DTD validation needs ../shared and xmllint (skipped
 * loudly outside CI, see xmllintAvailable).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually } from '../support/orders.ts';
import {
  buyersFile,
  demoBuyer,
  demoRequest,
  orderRequest,
  postCxml,
  startBuyerEndpoint,
  validateDtd,
  xmllintAvailable,
  type OrderLine,
} from '../support/punchout.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
let buyer: Awaited<ReturnType<typeof startBuyerEndpoint>>;
const hasXmllint = xmllintAvailable();

beforeAll(async () => {
  buyer = await startBuyerEndpoint();
  stack = await startStack({
    PUNCHOUT_BUYERS_FILE: buyersFile([{ ...demoBuyer(), cxml: { ...demoBuyer(`${buyer.url}/cxml/order-status`).cxml, eInvoices: true } }]),
    PUNCHOUT_NOTIFY_INTERVAL_MS: '200',
    // An invoiced order's later credit memos are looked for every 300 ms (hourly by default).
    PUNCHOUT_CREDIT_MEMO_POLL_MS: '300',
  });
  // Orders move only when the test says so.
  await stack.faults({ orderStepMs: null });
});
afterAll(async () => {
  await stack?.close();
  await buyer?.close();
});

const invoiceDocs = (id: string) => buyer.received.filter((r) => r.body.includes('<InvoiceDetailRequest>') && r.body.includes(`invoiceID="${id}"`));

async function control(path: string, body: unknown) {
  const response = await fetch(`${stack.sandbox.url}/__control/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
  return response.json() as Promise<any>;
}

describe('e-invoices to a PunchOut buyer', () => {
  it('sends the invoice and a credit memo of its order once each, DTD-valid, a failed delivery retried', async () => {
    const lines: OrderLine[] = [{ sku: 'SKU-00001', aux: null, quantity: 4, unit: 'EA', price: '1', currency: 'USD' }];
    const placed = await postCxml(stack, demoRequest(orderRequest('PO-EINV-1', lines), { payloadId: 'po-einv-1@buyer.example' }));
    expect(placed.detail).toMatch(/SUBMITTED/);
    const orderId = /ord_\w+/.exec(placed.detail)![0];
    const erpOrder = (await erpOrders(stack)).find((o) => o.externalRef === orderId)!;

    // Shipped in two parts, then a credit memo for a damaged unit, while the buyer's endpoint fails.
    await control('orders/advance', { number: erpOrder.number });
    await control('orders/advance', { number: erpOrder.number });
    const shipNotices = () => buyer.received.filter((r) => r.body.includes('<ShipNoticeRequest>') && r.body.includes('PO-EINV-1'));
    await eventually(
      async () => shipNotices().length,
      (n) => n >= 2,
      15_000,
    );
    buyer.state.status = 500;
    const memo = await control('invoices', { customerId: 'C0001', kind: 'CREDIT_MEMO', amount: '5.00', orderNumber: erpOrder.number });
    await eventually(
      async () => invoiceDocs(memo.number).length,
      (n) => n >= 2,
      15_000,
    );
    buyer.state.status = 200;
    // Invoiced: the order's invoice (INV- and the order's digits).
    const invoiced = await control('orders/advance', { number: erpOrder.number });
    expect(invoiced.status).toBe('INVOICED');
    const invoiceNumber = invoiced.invoices[0].number as string;

    await eventually(
      async () => invoiceDocs(invoiceNumber).length,
      (n) => n >= 1,
      15_000,
    );
    // A few more passes: nothing is sent again once the buyer accepted it.
    await new Promise((r) => setTimeout(r, 1500));
    expect(invoiceDocs(invoiceNumber)).toHaveLength(1);
    // Attempts while the buyer answered 500, then one it accepted (sent before the invoice), none after.
    const memoDocs = invoiceDocs(memo.number);
    expect(memoDocs.length).toBeGreaterThanOrEqual(3);
    const acceptedAt = buyer.received.indexOf(memoDocs.at(-1)!);
    expect(acceptedAt).toBeLessThan(buyer.received.indexOf(invoiceDocs(invoiceNumber)[0]!));

    const invoiceXml = invoiceDocs(invoiceNumber)[0]!.body;
    expect(invoiceXml).toContain('purpose="standard"');
    expect(invoiceXml).toContain('orderID="PO-EINV-1"');
    expect(invoiceXml).toContain('<DocumentReference payloadID="po-einv-1@buyer.example"/>');
    expect(invoiceXml).toContain(`<SupplierOrderInfo orderID="${erpOrder.number}"/>`);
    expect(invoiceXml).toMatch(new RegExp(`<DueAmount>\\s*<Money currency="USD">${invoiced.invoices[0].total}</Money>\\s*</DueAmount>`));
    expect(invoiceXml).toContain('<SharedSecret>demo-shared-secret</SharedSecret>');
    const memoXml = memoDocs.at(-1)!.body;
    expect(memoXml).toContain('purpose="creditMemo"');
    expect(memoXml).toMatch(/<DueAmount>\s*<Money currency="USD">-5\.00<\/Money>\s*<\/DueAmount>/);
    if (hasXmllint) {
      for (const xml of [invoiceXml, memoXml]) {
        expect(xml).toContain('InvoiceDetail.dtd');
        const result = validateDtd(xml);
        expect(result.output).toBe('');
        expect(result.valid).toBe(true);
      }
    }
    // The buyer's own views: the order carries its invoice, and the invoice list names the order.
    const order = await stack.graphql(`query($id: ID!) { order(id: $id) { invoices { number status openAmount { amount } overdue orderId } } }`, {
      id: orderId,
    });
    expect(order.body.data.order.invoices).toEqual([
      { number: invoiceNumber, status: 'OPEN', openAmount: { amount: invoiced.invoices[0].total }, overdue: false, orderId: null },
    ]);
    const listed = await stack.graphql(`{ invoices(first: 100) { edges { node { number kind orderId erpOrderNumber } } } }`);
    const mine = listed.body.data.invoices.edges.map((e: any) => e.node).filter((n: any) => n.orderId === orderId);
    expect(mine).toEqual(
      expect.arrayContaining([
        { number: invoiceNumber, kind: 'INVOICE', orderId, erpOrderNumber: erpOrder.number },
        { number: memo.number, kind: 'CREDIT_MEMO', orderId, erpOrderNumber: erpOrder.number },
      ]),
    );
    expect(mine).toHaveLength(2);
    // The order notices went through the same channel, once each.
    expect(buyer.received.filter((r) => r.body.includes('<ConfirmationRequest>') && r.body.includes('PO-EINV-1'))).toHaveLength(1);
    expect(shipNotices()).toHaveLength(2);
  });

  it("sends the credit memo of a return credited after the order's invoice was sent, once, DTD-valid, negative", async () => {
    const lines: OrderLine[] = [{ sku: 'SKU-00001', aux: null, quantity: 5, unit: 'EA', price: '1', currency: 'USD' }];
    const placed = await postCxml(stack, demoRequest(orderRequest('PO-EINV-RMA', lines), { payloadId: 'po-einv-rma@buyer.example' }));
    expect(placed.detail).toMatch(/SUBMITTED/);
    const orderId = /ord_\w+/.exec(placed.detail)![0];
    await eventually(
      async () => (await erpOrders(stack)).some((o) => o.externalRef === orderId),
      (found) => found,
      15_000,
    );
    // Shipped and invoiced at once; the invoice reaches the buyer, and the order is done but for credit memos.
    const shipped = await control(`orders/${orderId}/ship`, {});
    expect(shipped.status).toBe('INVOICED');
    const invoiceNumber = shipped.invoices[0].number as string;
    await eventually(
      async () => invoiceDocs(invoiceNumber).length,
      (n) => n === 1,
      15_000,
    );

    // The buyer returns 2 of 5 (through erpfront, as any buyer of the customer); the ERP credits them.
    const token = await stack.buyerToken('C0001');
    const asked = await stack.graphql(
      `mutation R($input: RequestReturnInput!) { requestReturn(input: $input) { returnRequest { id } userErrors { code } } }`,
      { input: { orderId, lines: [{ sku: 'SKU-00001', quantity: 2, reason: 'DAMAGED' }], idempotencyKey: 'einv-rma-1' } },
      { token },
    );
    expect(asked.body.data.requestReturn.userErrors).toEqual([]);
    const returnId = asked.body.data.requestReturn.returnRequest.id as string;
    const known = await eventually(
      async () => (await stack.graphql(`query($id: ID!) { returnRequest(id: $id) { erpReturnNumber } }`, { id: returnId }, { token })).body.data.returnRequest,
      (r: any) => r.erpReturnNumber !== null,
      15_000,
    );
    const rma = known.erpReturnNumber as string;
    // The buyer's endpoint fails at first: the credit memo is retried, then accepted once.
    buyer.state.status = 500;
    await control(`returns/${rma}/receive`, {});
    const credited = await control(`returns/${rma}/credit`, {});
    const memoNumber = credited.creditMemo.number as string;
    await eventually(
      async () => invoiceDocs(memoNumber).length,
      (n) => n >= 2,
      15_000,
      50,
    );
    const accepting = buyer.received.length;
    buyer.state.status = 200;
    await eventually(
      async () => buyer.received.slice(accepting).filter((r) => invoiceDocs(memoNumber).includes(r)).length,
      (n) => n >= 1,
      15_000,
    );
    // Several more looks for credit memos: it is not sent again, nor is the invoice.
    await new Promise((r) => setTimeout(r, 1500));
    expect(buyer.received.slice(accepting).filter((r) => invoiceDocs(memoNumber).includes(r))).toHaveLength(1);
    expect(invoiceDocs(invoiceNumber)).toHaveLength(1);

    const unitPrice = shipped.lines.find((l: any) => l.sku === 'SKU-00001').unitPrice as string;
    const amount = `-${((Math.round(Number(unitPrice) * 100) * 2) / 100).toFixed(2)}`;
    const memoXml = invoiceDocs(memoNumber).at(-1)!.body;
    expect(memoXml).toContain('purpose="creditMemo"');
    expect(memoXml).toContain('orderID="PO-EINV-RMA"');
    expect(memoXml).toContain('<DocumentReference payloadID="po-einv-rma@buyer.example"/>');
    expect(memoXml).toContain(`<SupplierOrderInfo orderID="${shipped.number}"/>`);
    for (const tag of ['SubtotalAmount', 'NetAmount', 'DueAmount']) {
      expect(memoXml).toMatch(new RegExp(`<${tag}>\\s*<Money currency="USD">${amount.replace('.', '\\.')}</Money>\\s*</${tag}>`));
    }
    if (hasXmllint) {
      const result = validateDtd(memoXml);
      expect(result.output).toBe('');
      expect(result.valid).toBe(true);
    }
  });
});
