/**
 * The checkout preview and reorder over HTTP, against the sandbox ERP in its own process (which
 * announces its changes to erpfront as webhooks). The preview's total is the ERP's, tax and
 * shipping included, and equals the total of the order then placed with the same input, for
 * ship-tos in two tax regions; previews write nothing, in the ERP or in erpfront; with the ERP
 * down the preview is a stale estimate whose tax is at the rate the ERP last applied to the
 * customer's ship-to region, with when (or null, with the reason, when no rate is known): never
 * made up. Reorder prices a past order, or a past quote, at today's prices and flags a line no
 * longer sold; another customer's order or quote is not found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpOrders, eventually, placeOrder } from '../support/orders.ts';
import { freePort } from '../support/redis.ts';
import { CATALOG_PAGE, startStack, type Stack } from '../support/stack.ts';
import { webhookSecret } from '../support/webhooks.ts';

const PREVIEW = /* GraphQL */ `
query CheckoutPreview($input: CheckoutInput!) {
  checkoutPreview(input: $input) {
    lines { sku quantity unitPrice { amount } price { source breaks { minQuantity } } availability { status promiseDate } }
    subtotal { amount currency } tax { amount } shipping { amount } total { amount currency } totalsUnavailable taxEstimate { rate asOf region }
    creditDecision { decision reason } approvalRequired stale asOf userErrors { code message field }
  }
}`;

const REORDER = /* GraphQL */ `
query Reorder($id: ID!) {
  reorder(orderId: $id) {
    preview { lines { sku quantity unitPrice { amount } } total { amount } stale userErrors { code } }
    unavailableLines { sku quantity reason message }
    userErrors { code message }
  }
}`;

const ORDER_TOTALS = /* GraphQL */ `query ($id: ID!) { order(id: $id) { status total { amount } totals { subtotal { amount } tax { amount } shipping { amount } total { amount currency } } } }`;

let stack: Stack;
let buyer: string;
const secret = webhookSecret();

beforeAll(async () => {
  const port = await freePort();
  stack = await startStack(
    { PORT: String(port), ERP_WEBHOOK_SECRET: secret },
    { sandboxEnv: { SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${port}/erp/events`, SANDBOX_WEBHOOK_SECRET: secret } },
  );
  // C0002: on account, USD, ship-tos in North Carolina (ST1, default) and Arizona (ST2).
  buyer = await stack.buyerToken('C0002');
}, 60_000);
afterAll(() => stack?.close());

async function preview(input: Record<string, unknown>, token = buyer) {
  const answer = await stack.graphql(PREVIEW, { input }, { token });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.checkoutPreview;
}

async function orderTotals(id: string) {
  const answer = await stack.graphql(ORDER_TOTALS, { id }, { token: buyer });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.order;
}

async function change(body: Record<string, unknown>) {
  const response = await fetch(`${stack.sandbox.url}/__control/changes`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

/** Every order erpfront holds, whatever its status (operations' view of the queue). */
async function storedOrders(): Promise<number> {
  const statuses = ['QUEUED', 'SUBMITTED', 'ON_HOLD', 'REJECTED', 'CANCELLED', 'PENDING_APPROVAL', 'APPROVAL_REJECTED'];
  const answer = await stack.graphql(
    'query($s: [OrderStatus!]) { orderQueue(statuses: $s, first: 1000) { id } }',
    { s: statuses },
    { token: await stack.opsToken() },
  );
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.orderQueue.length;
}

const cents = (amount: string) => Math.round(Number(amount) * 100);

/** amount × rate rounded half-even to cents, in integer arithmetic (rates of at most 6 decimals). */
function decimalTimes(amount: string, rate: string): string {
  const [whole, frac = ''] = rate.split('.');
  const scale = 10n ** BigInt(frac.length);
  const product = BigInt(cents(amount)) * BigInt(whole + frac);
  let q = product / scale;
  const r = product % scale;
  if (r * 2n > scale || (r * 2n === scale && q % 2n === 1n)) q += 1n;
  return `${q / 100n}.${String(q % 100n).padStart(2, '0')}`;
}

describe('checkoutPreview against the sandbox ERP', () => {
  it.each([
    // A small order to North Carolina (4.75 %) pays shipping; a large one to Arizona (5.6 %) ships free.
    ['C0002-ST1', [{ sku: 'SKU-00001', quantity: 3 }], true],
    [
      'C0002-ST2',
      [
        { sku: 'SKU-00001', quantity: 40 },
        { sku: 'SKU-00004', quantity: 25 },
      ],
      false,
    ],
  ])('to %s: the total, tax and shipping included, is the total of the order then placed', async (shipToId, lines, paysShipping) => {
    const input = { shipToId, lines };
    const seen = await preview(input);
    expect(seen.userErrors).toEqual([]);
    expect(seen).toMatchObject({ stale: false, totalsUnavailable: null, creditDecision: { decision: 'APPROVE' }, approvalRequired: false });
    expect(seen.asOf).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(seen.lines.map((l: any) => [l.sku, l.quantity])).toEqual(lines.map((l) => [l.sku, l.quantity]));
    for (const line of seen.lines) expect(line.availability.status).toMatch(/^(IN_STOCK|LOW_STOCK|BACKORDER|OUT_OF_STOCK)$/);
    expect(Number(seen.tax.amount)).toBeGreaterThan(0);
    expect(Number(seen.shipping.amount) > 0).toBe(paysShipping);
    expect(cents(seen.total.amount)).toBe(cents(seen.subtotal.amount) + cents(seen.tax.amount) + cents(seen.shipping.amount));

    const placed = await placeOrder(stack, buyer, { ...input, idempotencyKey: `preview-${shipToId}-${Date.now()}` });
    expect(placed.userErrors).toEqual([]);
    expect(placed.order!.status).toBe('SUBMITTED');
    const inErp = await orderTotals(placed.order!.id);
    expect(inErp.total.amount).toBe(seen.subtotal.amount);
    expect(inErp.totals).toEqual({
      subtotal: { amount: seen.subtotal.amount },
      tax: seen.tax,
      shipping: seen.shipping,
      total: seen.total,
    });
  });

  it('taxes the same lines differently in the two regions', async () => {
    const lines = [{ sku: 'SKU-00002', quantity: 5 }];
    const [nc, az] = await Promise.all([preview({ shipToId: 'C0002-ST1', lines }), preview({ shipToId: 'C0002-ST2', lines })]);
    expect(nc.subtotal).toEqual(az.subtotal);
    expect(nc.tax.amount).not.toBe(az.tax.amount);
  });

  it("writes nothing: the ERP's order book and erpfront's order store are unchanged by previews", async () => {
    const erpBefore = (await erpOrders(stack)).length;
    const storedBefore = await storedOrders();
    const statsBefore = await stack.stats();
    for (let i = 0; i < 5; i++) await preview({ lines: [{ sku: 'SKU-00003', quantity: i + 1 }], poNumber: `PO-${i}` });
    expect((await erpOrders(stack)).length).toBe(erpBefore);
    expect(await storedOrders()).toBe(storedBefore);
    const statsAfter = await stack.stats();
    expect(statsAfter.byOperation.createOrder).toBe(statsBefore.byOperation.createOrder);
    // One totals call per preview: the ERP computed each one.
    expect(statsAfter.byOperation.quoteTotals! - statsBefore.byOperation.quoteTotals!).toBe(5);
  });

  it('batches its ERP reads: a cold preview of three lines is one call per kind', async () => {
    const before = (await stack.stats()).byOperation;
    const seen = await preview({
      lines: [
        { sku: 'SKU-00031', quantity: 1 },
        { sku: 'SKU-00032', quantity: 2 },
        { sku: 'SKU-00033', quantity: 3 },
      ],
    });
    expect(seen.userErrors).toEqual([]);
    const after = (await stack.stats()).byOperation;
    const calls = (op: string) => after[op]! - before[op]!;
    expect({ getItems: calls('getItems'), getPrices: calls('getPrices'), getStock: calls('getStock'), quoteTotals: calls('quoteTotals') }).toEqual({
      getItems: 1,
      getPrices: 1,
      getStock: 1,
      quoteTotals: 1,
    });
  });

  it('answers the user errors the order would get, and nothing else', async () => {
    const seen = await preview({ shipToId: 'NOT-MINE', lines: [{ sku: 'SKU-00001', quantity: 0 }] });
    expect(seen.userErrors.map((e: any) => e.code)).toEqual(['INVALID_QUANTITY']);
    const placed = await placeOrder(stack, buyer, { shipToId: 'NOT-MINE', lines: [{ sku: 'SKU-00001', quantity: 0 }] });
    expect(placed.userErrors.map((e) => e.code)).toEqual(['INVALID_QUANTITY']);
    const unknownShipTo = await preview({ shipToId: 'NOT-MINE', lines: [{ sku: 'SKU-00001', quantity: 1 }] });
    expect(unknownShipTo.userErrors.map((e: any) => e.code)).toEqual(['UNKNOWN_SHIP_TO']);
    expect(unknownShipTo.total).toBeNull();
  });

  it('with the ERP down: a stale estimate, tax at the rate the ERP last applied to the ship-to region, with its asOf', async () => {
    const lines = [{ sku: 'SKU-00006', quantity: 7 }];
    // Rates learnt from earlier previews to other ship-tos and lines: North Carolina's here,
    const fresh = await preview({ shipToId: 'C0002-ST1', lines: [{ sku: 'SKU-00006', quantity: 2 }] });
    expect(fresh.stale).toBe(false);
    const warm = await preview({ shipToId: 'C0002-ST2', lines });
    expect(warm.stale).toBe(false);
    await stack.faults({ outage: true });
    try {
      const [nc, az] = await Promise.all([preview({ shipToId: 'C0002-ST1', lines }), preview({ shipToId: 'C0002-ST2', lines })]);
      for (const down of [nc, az]) {
        expect(down.userErrors).toEqual([]);
        expect(down.stale).toBe(true);
        expect(down.subtotal).toEqual(warm.subtotal);
        expect(down.shipping).toBeNull();
        expect(down.total).toBeNull();
        expect(down.totalsUnavailable).toMatch(/ERP is not answering: tax is estimated/);
        // The preview is as old as its oldest figure: the rate's at most.
        expect(Date.parse(down.asOf)).toBeLessThanOrEqual(Date.parse(down.taxEstimate.asOf));
      }
      // The sandbox ERP's rates (4.75 % in North Carolina, 5.6 % in Arizona) on the subtotal, in decimal.
      expect(nc.taxEstimate).toMatchObject({ rate: '0.0475', region: 'US-NC' });
      expect(az.taxEstimate).toMatchObject({ rate: '0.056', region: 'US-AZ' });
      expect(Date.parse(nc.taxEstimate.asOf)).toBeGreaterThanOrEqual(Date.parse(fresh.asOf) - 1000);
      expect(nc.tax).toEqual({ amount: decimalTimes(warm.subtotal.amount, '0.0475') });
      expect(az.tax).toEqual({ amount: decimalTimes(warm.subtotal.amount, '0.056') });
    } finally {
      await stack.faults({ outage: false });
    }
    // Back: the ERP's own figures again; its tax is the same rate on the lines and the shipping.
    const back = await preview({ shipToId: 'C0002-ST2', lines });
    expect(back).toMatchObject({ stale: false, taxEstimate: null, totalsUnavailable: null });
    const taxed = ((cents(back.subtotal.amount) + cents(back.shipping.amount)) / 100).toFixed(2);
    expect(back.tax.amount).toBe(decimalTimes(taxed, '0.056'));
  });

  it('with the ERP down and no rate known for the customer: tax null, with the reason', async () => {
    const other = await stack.buyerToken('C0003');
    // Its prices, stock and account read (a catalog page), but never a checkout: no rate is known.
    const warm = await stack.graphql(CATALOG_PAGE, { skus: ['SKU-00006'], quantity: 1 }, { token: other });
    expect(warm.body.errors).toBeUndefined();
    await stack.faults({ outage: true });
    try {
      const down = await preview({ lines: [{ sku: 'SKU-00006', quantity: 1 }], poNumber: 'PO-DOWN-1' }, other);
      expect(down.userErrors).toEqual([]);
      expect(down).toMatchObject({ stale: true, tax: null, taxEstimate: null, shipping: null, total: null });
      expect(down.subtotal.amount).toMatch(/^\d+\.\d\d$/);
      expect(down.totalsUnavailable).toMatch(/ERP is not answering, and no tax rate it applied to .+ for this customer is known/);
    } finally {
      await stack.faults({ outage: false });
    }
  });
});

describe('reorder', () => {
  it("prices a past order at today's prices and flags a line no longer sold", async () => {
    const placed = await placeOrder(stack, buyer, {
      idempotencyKey: `reorder-${Date.now()}`,
      lines: [
        { sku: 'SKU-00007', quantity: 4 },
        { sku: 'SKU-00008', quantity: 2 },
      ],
    });
    expect(placed.userErrors).toEqual([]);
    await change({ type: 'price', sku: 'SKU-00007', customerId: 'C0002', unitPrice: '77.25' });
    await change({ type: 'item', sku: 'SKU-00008', salable: false });

    // The webhooks reach erpfront within moments; until then the item may still be cached as sold.
    let answer: any;
    for (let i = 0; i < 50; i++) {
      answer = (await stack.graphql(REORDER, { id: placed.order!.id }, { token: buyer })).body;
      expect(answer.errors).toBeUndefined();
      if (answer.data.reorder.unavailableLines.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const result = answer.data.reorder;
    expect(result.userErrors).toEqual([]);
    expect(result.unavailableLines).toEqual([{ sku: 'SKU-00008', quantity: 2, reason: 'NOT_SOLD_TO_CUSTOMER', message: 'SKU-00008 is no longer sold.' }]);
    expect(result.preview.lines).toEqual([{ sku: 'SKU-00007', quantity: 4, unitPrice: { amount: '77.25' } }]);
    expect(result.preview.userErrors).toEqual([]);
    expect(Number(result.preview.total.amount)).toBeGreaterThan(4 * 77.25);
  });

  it("another customer's order cannot be reordered: not found", async () => {
    const placed = await placeOrder(stack, buyer, { lines: [{ sku: 'SKU-00001', quantity: 1 }] });
    const other = await stack.graphql(REORDER, { id: placed.order!.id }, { token: await stack.buyerToken('C0003') });
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data.reorder).toEqual({
      preview: null,
      unavailableLines: [],
      userErrors: [{ code: 'ORDER_NOT_FOUND', message: `No order ${placed.order!.id}.` }],
    });
  });
});

describe('reorder from a past quote', () => {
  const REORDER_QUOTE = /* GraphQL */ `
  query ReorderQuote($id: ID!) {
    reorderQuote(quoteId: $id) {
      preview { lines { sku quantity unitPrice { amount } } total { amount } stale userErrors { code } }
      unavailableLines { sku quantity reason message }
      userErrors { code message field }
    }
  }`;
  const REQUEST_QUOTE = /* GraphQL */ `mutation($input: RequestQuoteInput!) { requestQuote(input: $input) { quote { id } userErrors { code } } }`;

  async function quotedQuote(lines: Array<{ sku: string; quantity: number; quoted: string }>): Promise<string> {
    const asked = await stack.graphql(
      REQUEST_QUOTE,
      { input: { lines: lines.map(({ sku, quantity }) => ({ sku, quantity })), note: 'reorder me' } },
      { token: buyer },
    );
    expect(asked.body.errors).toBeUndefined();
    const id = asked.body.data.requestQuote.quote.id as string;
    const held = await eventually(
      async () => ((await (await fetch(`${stack.sandbox.url}/__control/quotes`)).json()) as { quotes: Array<{ number: string; externalRef: string }> }).quotes,
      (qs) => qs.some((q) => q.externalRef === id),
      20_000,
      100,
    );
    const number = held.find((q) => q.externalRef === id)!.number;
    const validUntil = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const answered = await fetch(`${stack.sandbox.url}/__control/quotes/${number}/answer`, {
      method: 'POST',
      body: JSON.stringify({ lines: lines.map((l) => ({ sku: l.sku, unitPrice: l.quoted })), validUntil }),
    });
    expect(answered.status).toBe(200);
    return id;
  }

  it("prices a past quote at today's prices, not the quoted ones, and flags a line no longer sold", async () => {
    const id = await quotedQuote([
      { sku: 'SKU-00010', quantity: 6, quoted: '1.00' },
      { sku: 'SKU-00011', quantity: 3, quoted: '1.00' },
    ]);
    await change({ type: 'price', sku: 'SKU-00010', customerId: 'C0002', unitPrice: '42.10' });
    await change({ type: 'item', sku: 'SKU-00011', salable: false });
    let answer: any;
    for (let i = 0; i < 50; i++) {
      answer = (await stack.graphql(REORDER_QUOTE, { id }, { token: buyer })).body;
      expect(answer.errors).toBeUndefined();
      if (answer.data.reorderQuote.unavailableLines.length > 0 && answer.data.reorderQuote.preview?.lines[0]?.unitPrice.amount === '42.10') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const result = answer.data.reorderQuote;
    expect(result.userErrors).toEqual([]);
    expect(result.unavailableLines).toEqual([{ sku: 'SKU-00011', quantity: 3, reason: 'NOT_SOLD_TO_CUSTOMER', message: 'SKU-00011 is no longer sold.' }]);
    expect(result.preview.lines).toEqual([{ sku: 'SKU-00010', quantity: 6, unitPrice: { amount: '42.10' } }]);
    expect(result.preview).toMatchObject({ stale: false, userErrors: [] });
    expect(Number(result.preview.total.amount)).toBeGreaterThan(6 * 42.1);
  });

  it('a quote with no line sold any more: NOTHING_TO_REORDER on quoteId', async () => {
    const id = await quotedQuote([{ sku: 'SKU-00012', quantity: 1, quoted: '2.00' }]);
    await change({ type: 'item', sku: 'SKU-00012', salable: false });
    const seen = await eventually(
      async () => (await stack.graphql(REORDER_QUOTE, { id }, { token: buyer })).body.data.reorderQuote,
      (r: any) => r.userErrors.length > 0,
      5_000,
      100,
    );
    expect(seen.preview).toBeNull();
    expect(seen.userErrors).toEqual([{ code: 'NOTHING_TO_REORDER', message: 'No line of this quote is sold any more.', field: ['quoteId'] }]);
  });

  it("another customer's quote cannot be reordered: the same answer as an unknown quote", async () => {
    const id = await quotedQuote([{ sku: 'SKU-00013', quantity: 2, quoted: '3.00' }]);
    const other = await stack.buyerToken('C0003');
    const theirs = await stack.graphql(REORDER_QUOTE, { id }, { token: other });
    const unknown = await stack.graphql(REORDER_QUOTE, { id: 'qt_unknown' }, { token: other });
    expect(theirs.body.errors).toBeUndefined();
    expect(theirs.body.data.reorderQuote).toEqual({
      preview: null,
      unavailableLines: [],
      userErrors: [{ code: 'QUOTE_NOT_FOUND', message: `No quote ${id}.`, field: ['quoteId'] }],
    });
    expect(unknown.body.data.reorderQuote.userErrors[0].code).toBe('QUOTE_NOT_FOUND');
    // An order id is not a quote, either.
    const placed = await placeOrder(stack, buyer, { lines: [{ sku: 'SKU-00013', quantity: 1 }] });
    const asQuote = await stack.graphql(REORDER_QUOTE, { id: placed.order!.id }, { token: buyer });
    expect(asQuote.body.data.reorderQuote.userErrors[0].code).toBe('QUOTE_NOT_FOUND');
    // The owner reorders it.
    const mine = await stack.graphql(REORDER_QUOTE, { id }, { token: buyer });
    expect(mine.body.data.reorderQuote.userErrors).toEqual([]);
    expect(mine.body.data.reorderQuote.preview.lines.map((l: any) => l.sku)).toEqual(['SKU-00013']);
  });
});
