/**
 * Quotes over HTTP against the sandbox ERP (its own process) and erpfront (its own process):
 * requested while the ERP is down and created once after; answered by sales (the sandbox
 * control); accepted after the price rose, as an order at the quoted prices that reaches the ERP
 * once; expired quotes refused; another customer's quote unreachable; declines and revisions
 * recorded once; a lost reply to the create does not make a second quotation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually } from '../support/orders.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  // The ERP's own request limit, short: a write killed mid-send is resent (if not found) 3 s after.
  stack = await startStack(
    { BREAKER_COOLDOWN_SECONDS: '1', ERP_REQUESTS_PER_SECOND: '50', ERP_MAX_REQUEST_SECONDS: '3', ERP_TIMEOUT_MS: '2000' },
    { sandboxEnv: { SANDBOX_MAX_REQUEST_MS: '3000' } },
  );
});
afterAll(() => stack?.close());

const REQUEST_QUOTE = /* GraphQL */ `
mutation RequestQuote($input: RequestQuoteInput!) { requestQuote(input: $input) { quote { id status erpQuoteNumber } userErrors { code message field } } }`;
const QUOTES = /* GraphQL */ `
query { quotes(first: 20) { edges { node { id status validUntil erpQuoteNumber total { amount currency } lines { sku quantity unitPrice { amount } } } } } }`;
const QUOTE = /* GraphQL */ `query Quote($id: ID!) { quote(id: $id) { id status erpQuoteNumber orderId } }`;
const ACCEPT_QUOTE = /* GraphQL */ `
mutation AcceptQuote($id: ID!, $idempotencyKey: String!, $poNumber: String) {
  acceptQuote(id: $id, idempotencyKey: $idempotencyKey, poNumber: $poNumber) { order { id status lines { sku unitPrice { amount } } } userErrors { code message } }
}`;
const DECLINE = /* GraphQL */ `mutation D($id: ID!) { declineQuote(id: $id) { quote { id status } userErrors { code message } } }`;
const REVISE = /* GraphQL */ `mutation R($id: ID!, $note: String!) { requestQuoteRevision(id: $id, note: $note) { quote { id status } userErrors { code message } } }`;

interface ErpQuoteRecord {
  number: string;
  externalRef: string;
  customerId: string;
  status: string;
  responses: Array<{ ref: string; action: string; orderRef: string | null }>;
}

async function erpQuotes(): Promise<ErpQuoteRecord[]> {
  return ((await (await fetch(`${stack.sandbox.url}/__control/quotes`)).json()) as { quotes: ErpQuoteRecord[] }).quotes;
}

async function sandboxPost(path: string, body: unknown): Promise<Response> {
  return fetch(`${stack.sandbox.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function requestQuote(token: string, input: Record<string, unknown>) {
  const answer = await stack.graphql(REQUEST_QUOTE, { input }, { token });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.requestQuote as { quote: { id: string; status: string; erpQuoteNumber: string | null } | null; userErrors: unknown[] };
}

/** Waits until the ERP holds the quote's quotation; its number. */
async function inErp(id: string): Promise<string> {
  const held = await eventually(erpQuotes, (qs) => qs.some((q) => q.externalRef === id), 20_000, 100);
  return held.find((q) => q.externalRef === id)!.number;
}

async function answered(id: string, lines: Array<{ sku: string; unitPrice: string }>, validUntil: string): Promise<string> {
  const number = await inErp(id);
  const response = await sandboxPost(`/__control/quotes/${number}/answer`, { lines, validUntil });
  expect(response.status).toBe(200);
  return number;
}

describe('quotes', () => {
  it('requested while the ERP is down: QUEUED as REQUESTED, created once after recovery; accepted after the price rose, the order carries the quoted prices and reaches the ERP once', async () => {
    const token = await stack.buyerToken('C0001');
    await stack.faults({ outage: true });
    const input = {
      lines: [
        { sku: 'SKU-00002', quantity: 10 },
        { sku: 'SKU-00003', quantity: 5 },
      ],
      note: 'Spring build',
      idempotencyKey: 'rfq-outage',
    };
    const requested = await requestQuote(token, input);
    expect(requested.userErrors).toEqual([]);
    expect(requested.quote).toMatchObject({ status: 'REQUESTED', erpQuoteNumber: null });
    const id = requested.quote!.id;
    // A retry with the same key is the same quote; the same key for another cart is refused.
    expect((await requestQuote(token, input)).quote!.id).toBe(id);
    expect((await requestQuote(token, { ...input, note: 'other' })).userErrors).toMatchObject([{ code: 'IDEMPOTENCY_KEY_REUSED' }]);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await erpQuotes()).filter((q) => q.externalRef === id)).toEqual([]);

    await stack.faults({ outage: false });
    await answered(
      id,
      [
        { sku: 'SKU-00002', unitPrice: '20.00' },
        { sku: 'SKU-00003', unitPrice: '7.50' },
      ],
      day(10),
    );
    expect((await erpQuotes()).filter((q) => q.externalRef === id)).toHaveLength(1);

    // The contract price of SKU-00002 rises in the ERP after the quote.
    const raised = await sandboxPost('/__control/changes', { type: 'price', sku: 'SKU-00002', customerId: 'C0001', unitPrice: '99.00' });
    expect(raised.status).toBe(200);

    const before = (await stack.stats()).byOperation.getQuotes ?? 0;
    const list = await stack.graphql(QUOTES, {}, { token });
    expect(list.body.errors).toBeUndefined();
    const node = list.body.data.quotes.edges.map((e: { node: { id: string } }) => e.node).find((n: { id: string }) => n.id === id);
    expect(node).toMatchObject({
      status: 'QUOTED',
      validUntil: day(10),
      total: { amount: '237.50', currency: 'USD' },
      lines: [
        { sku: 'SKU-00002', quantity: 10, unitPrice: { amount: '20.00' } },
        { sku: 'SKU-00003', quantity: 5, unitPrice: { amount: '7.50' } },
      ],
    });
    // The whole list, cold: one getQuotes call.
    expect((await stack.stats()).byOperation.getQuotes! - before).toBe(1);

    const accepted = await stack.graphql(ACCEPT_QUOTE, { id, idempotencyKey: 'accept-1', poNumber: 'PO-Q1' }, { token });
    expect(accepted.body.errors).toBeUndefined();
    const { order, userErrors } = accepted.body.data.acceptQuote;
    expect(userErrors).toEqual([]);
    expect(order.lines).toEqual([
      { sku: 'SKU-00002', unitPrice: { amount: '20.00' } },
      { sku: 'SKU-00003', unitPrice: { amount: '7.50' } },
    ]);
    const held = await eventually(
      () => erpOrders(stack),
      (os) => os.some((o) => o.externalRef === order.id),
    );
    const ours = held.filter((o) => o.externalRef === order.id) as unknown as Array<{ lines: Array<{ sku: string; unitPrice: string }> }>;
    expect(ours).toHaveLength(1);
    expect(ours[0]!.lines.map((l) => [l.sku, l.unitPrice])).toEqual([
      ['SKU-00002', '20.00'],
      ['SKU-00003', '7.50'],
    ]);
    // The ERP quotation is marked accepted, once, naming the order.
    const erp = await eventually(erpQuotes, (qs) => qs.find((q) => q.externalRef === id)?.status === 'ACCEPTED');
    expect(erp.find((q) => q.externalRef === id)!.responses).toMatchObject([{ action: 'ACCEPT', orderRef: order.id }]);

    // Accepting it again (another key, another click): the same order, nothing new in the ERP.
    const again = await stack.graphql(ACCEPT_QUOTE, { id, idempotencyKey: 'accept-2', poNumber: 'PO-Q1' }, { token });
    expect(again.body.data.acceptQuote.order.id).toBe(order.id);
    expect((await erpOrders(stack)).filter((o) => o.externalRef === order.id)).toHaveLength(1);
    expect((await stack.graphql(QUOTE, { id }, { token })).body.data.quote).toMatchObject({ status: 'ACCEPTED', orderId: order.id });
  });

  it('an expired quote is refused with QUOTE_EXPIRED, and no order is placed', async () => {
    const token = await stack.buyerToken('C0001');
    const { quote } = await requestQuote(token, { lines: [{ sku: 'SKU-00001', quantity: 3 }], idempotencyKey: 'rfq-expired' });
    await answered(quote!.id, [{ sku: 'SKU-00001', unitPrice: '1.00' }], day(-1));
    const orders = (await erpOrders(stack)).length;
    const answer = await stack.graphql(ACCEPT_QUOTE, { id: quote!.id, idempotencyKey: 'accept-expired' }, { token });
    expect(answer.body.data.acceptQuote).toMatchObject({ order: null, userErrors: [{ code: 'QUOTE_EXPIRED' }] });
    expect((await stack.graphql(QUOTE, { id: quote!.id }, { token })).body.data.quote.status).toBe('EXPIRED');
    expect((await erpOrders(stack)).length).toBe(orders);
  });

  it("another customer's quote is never reachable: not found, not listed, not accepted, not declined", async () => {
    const owner = await stack.buyerToken('C0001');
    const other = await stack.buyerToken('C0003');
    const { quote } = await requestQuote(owner, { lines: [{ sku: 'SKU-00001', quantity: 2 }], idempotencyKey: 'rfq-private' });
    await answered(quote!.id, [{ sku: 'SKU-00001', unitPrice: '1.00' }], day(5));
    expect((await stack.graphql(QUOTE, { id: quote!.id }, { token: other })).body.data.quote).toBeNull();
    const list = await stack.graphql(QUOTES, {}, { token: other });
    expect(list.body.data.quotes.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(quote!.id);
    const accept = await stack.graphql(ACCEPT_QUOTE, { id: quote!.id, idempotencyKey: 'steal' }, { token: other });
    expect(accept.body.data.acceptQuote).toMatchObject({ order: null, userErrors: [{ code: 'QUOTE_NOT_FOUND' }] });
    const decline = await stack.graphql(DECLINE, { id: quote!.id }, { token: other });
    expect(decline.body.data.declineQuote.userErrors).toMatchObject([{ code: 'QUOTE_NOT_FOUND' }]);
    expect((await erpQuotes()).find((q) => q.externalRef === quote!.id)!.status).toBe('QUOTED');
  });

  it('a revision request and a decline are recorded in the ERP once each', async () => {
    const token = await stack.buyerToken('C0001');
    const { quote } = await requestQuote(token, { lines: [{ sku: 'SKU-00004', quantity: 20 }], idempotencyKey: 'rfq-revise' });
    const id = quote!.id;
    await answered(id, [{ sku: 'SKU-00004', unitPrice: '3.00' }], day(5));
    const revise = await stack.graphql(REVISE, { id, note: 'Can you do 2.50 at 20?' }, { token });
    expect(revise.body.data.requestQuoteRevision.userErrors).toEqual([]);
    await eventually(erpQuotes, (qs) => qs.find((q) => q.externalRef === id)?.status === 'REQUESTED');
    await answered(id, [{ sku: 'SKU-00004', unitPrice: '2.75' }], day(5));
    const decline = await stack.graphql(DECLINE, { id }, { token });
    expect(decline.body.data.declineQuote).toMatchObject({ quote: { status: 'DECLINED' }, userErrors: [] });
    const erp = await eventually(erpQuotes, (qs) => qs.find((q) => q.externalRef === id)?.status === 'DECLINED');
    expect(erp.find((q) => q.externalRef === id)!.responses.map((r) => r.action)).toEqual(['REVISE', 'DECLINE']);
    expect((await stack.graphql(DECLINE, { id }, { token })).body.data.declineQuote.quote.status).toBe('DECLINED');
    await new Promise((r) => setTimeout(r, 500));
    expect((await erpQuotes()).find((q) => q.externalRef === id)!.responses).toHaveLength(2);
  });

  it('erpfront killed while a quote waits for the ERP: after the restart it is created once; while the ERP is down a known quote reads stale', async () => {
    const token = await stack.buyerToken('C0001');
    await stack.faults({ outage: true });
    const { quote } = await requestQuote(token, { lines: [{ sku: 'SKU-00006', quantity: 7 }], idempotencyKey: 'rfq-crash' });
    await stack.crashAndRestartErpfront();
    // Durable: the restarted process knows the quote, still waiting.
    expect((await stack.graphql(QUOTE, { id: quote!.id }, { token })).body.data.quote).toMatchObject({ status: 'REQUESTED', erpQuoteNumber: null });
    await stack.faults({ outage: false });
    // Killed mid-send or between attempts: either way the ERP gets it once (in doubt: looked up first).
    await inErp(quote!.id);
    await new Promise((r) => setTimeout(r, 500));
    expect((await erpQuotes()).filter((q) => q.externalRef === quote!.id)).toHaveLength(1);

    await eventually(
      () => stack.graphql(QUOTE, { id: quote!.id }, { token }),
      (a) => a.body.data.quote.erpQuoteNumber !== null,
    );
    await stack.faults({ outage: true });
    const stale = await stack.graphql(`query Q($id: ID!) { quote(id: $id) { status stale erpQuoteNumber } }`, { id: quote!.id }, { token });
    expect(stale.body.data.quote).toMatchObject({ stale: true, status: 'REQUESTED' });
    await stack.faults({ outage: false });
  });

  it('the reply to the create is lost: the quotation is found by its reference, not entered twice', async () => {
    const token = await stack.buyerToken('C0001');
    await stack.faults({ dropResponseAfterCommit: 1 });
    const { quote } = await requestQuote(token, { lines: [{ sku: 'SKU-00005', quantity: 1 }], idempotencyKey: 'rfq-lost-reply' });
    const number = await eventually(
      () => stack.graphql(QUOTE, { id: quote!.id }, { token }),
      (a) => a.body.data.quote.erpQuoteNumber !== null,
      20_000,
      200,
    );
    expect((await erpQuotes()).filter((q) => q.externalRef === quote!.id).map((q) => q.number)).toEqual([number.body.data.quote.erpQuoteNumber]);
    await stack.faults({ dropResponseAfterCommit: false });
  });
});

describe('an accepted quote over the buyer’s limit (ORDER_PRICE_MAX_AGE_SECONDS=1)', () => {
  let own: Stack;
  beforeAll(async () => {
    own = await startStack({ ORDER_PRICE_MAX_AGE_SECONDS: '1', BREAKER_COOLDOWN_SECONDS: '1' });
  }, 60_000);
  afterAll(() => own?.close());

  it('waits for the company’s approver, and once approved reaches the ERP at the quoted prices, however long it waited', async () => {
    const customer = 'C0005';
    const { signToken } = await import('../../scripts/sign-token.ts');
    const who = (subject: string) => signToken({ secret: own.secret, roles: ['buyer'], customerId: customer, subject });
    const post = (path: string, body: unknown) =>
      fetch(`${own.sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/__control/changes', { type: 'creditLimit', customerId: customer, limit: null })).ok).toBe(true);
    const ops = { token: await own.opsToken(), headers: { 'x-customer-id': customer } };
    const set = `mutation($input: SetCompanyBuyerInput!) { setCompanyBuyer(input: $input) { userErrors { code } } }`;
    for (const input of [
      { subject: 'approver@e', roles: ['APPROVER'] },
      { subject: 'buyer@e', roles: ['BUYER'], orderLimit: '1' },
    ]) {
      expect((await own.graphql(set, { input }, ops)).body.data.setCompanyBuyer.userErrors).toEqual([]);
    }
    const buyer = { token: await who('buyer@e') };
    const requested = (await own.graphql(REQUEST_QUOTE, { input: { lines: [{ sku: 'SKU-00003', quantity: 4 }], idempotencyKey: 'rfq-approval' } }, buyer)).body
      .data.requestQuote;
    const id = requested.quote.id as string;
    const held = await eventually(
      async () => ((await (await fetch(`${own.sandbox.url}/__control/quotes`)).json()) as { quotes: ErpQuoteRecord[] }).quotes,
      (qs) => qs.some((q) => q.externalRef === id),
    );
    const number = held.find((q) => q.externalRef === id)!.number;
    expect((await post(`/__control/quotes/${number}/answer`, { lines: [{ sku: 'SKU-00003', unitPrice: '1.25' }], validUntil: day(3) })).status).toBe(200);

    const accepted = (await own.graphql(ACCEPT_QUOTE, { id, idempotencyKey: 'a-1', poNumber: 'PO-QA' }, buyer)).body.data.acceptQuote;
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.order.status).toBe('PENDING_APPROVAL');
    // The quoted prices are older than ORDER_PRICE_MAX_AGE_SECONDS when the approver decides.
    await new Promise((r) => setTimeout(r, 1500));
    const APPROVE = `mutation($id: ID!) { approveOrder(id: $id) { order { id status } userErrors { code message } } }`;
    expect((await own.graphql(APPROVE, { id: accepted.order.id }, { token: await who('approver@e') })).body.data.approveOrder.userErrors).toEqual([]);
    const inErp = await eventually(
      () => erpOrders(own),
      (os) => os.some((o) => o.externalRef === accepted.order.id),
    );
    const ours = inErp.filter((o) => o.externalRef === accepted.order.id) as unknown as Array<{ lines: Array<{ unitPrice: string }>; total: string }>;
    expect(ours).toHaveLength(1);
    expect(ours[0]!.lines[0]!.unitPrice).toBe('1.25');
    expect(ours[0]!.total).toBe('5.00');
  });
});
