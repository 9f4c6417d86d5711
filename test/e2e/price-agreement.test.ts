/**
 * One price, whichever way a buyer meets it: the catalog's `Product.price` (as a buyer, and as the
 * rep acting for them), the PunchOut cart returned to the procurement system, the order placed over
 * GraphQL and the order a cXML OrderRequest places all agree, line by line — over the real app,
 * for contract, price-list and list prices at first and higher quantity breaks. An order alone
 * insists on the ERP's current price (or a cached one younger than ORDER_PRICE_MAX_AGE_SECONDS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACE_ORDER } from '../support/orders.ts';
import {
  buyersFile,
  DEMO_OCI_BUYER,
  demoBuyer,
  demoRequest,
  orderRequest,
  postCxml,
  readForm,
  redeem,
  RETURN_CART,
  SET_CART,
  setupRequest,
  startBuyerEndpoint,
  startPageUrl,
} from '../support/punchout.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
let buyer: Awaited<ReturnType<typeof startBuyerEndpoint>>;

beforeAll(async () => {
  buyer = await startBuyerEndpoint();
  stack = await startStack({
    PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer(), DEMO_OCI_BUYER]),
    ORDER_PRICE_MAX_AGE_SECONDS: '2',
    BREAKER_COOLDOWN_SECONDS: '1',
  });
});
afterAll(async () => {
  await stack?.close();
  await buyer?.close();
});

/** A line and what it exercises: the price scope that applies and the break the quantity reaches. */
interface Case {
  sku: string;
  quantity: number;
  source: 'CONTRACT' | 'PRICE_LIST' | 'LIST';
  breakAt: number;
}

// The sandbox's fixed data set (seed 42). C0001 (the cXML demo buyer) has contract prices and
// PL-CONTRACTOR; C0002 (the OCI demo buyer) has PL-OEM, whose breaks start at 100.
const C0001_CASES: Case[] = [
  { sku: 'SKU-00002', quantity: 10, source: 'CONTRACT', breakAt: 10 },
  { sku: 'SKU-00011', quantity: 3, source: 'CONTRACT', breakAt: 1 },
  { sku: 'SKU-00001', quantity: 12, source: 'PRICE_LIST', breakAt: 12 },
  { sku: 'SKU-00029', quantity: 4, source: 'PRICE_LIST', breakAt: 1 },
  { sku: 'SKU-00010', quantity: 100, source: 'LIST', breakAt: 100 },
  { sku: 'SKU-00013', quantity: 1, source: 'LIST', breakAt: 1 },
];
const C0002_CASES: Case[] = [
  // The same SKUs as C0001's, at other scopes: a price list where C0001 pays list, and back.
  { sku: 'SKU-00010', quantity: 100, source: 'PRICE_LIST', breakAt: 100 },
  { sku: 'SKU-00001', quantity: 12, source: 'LIST', breakAt: 12 },
  { sku: 'SKU-00002', quantity: 2, source: 'PRICE_LIST', breakAt: 1 },
];

const CATALOG_PRICES = /* GraphQL */ `query($sku: ID!, $q: Float) {
  product(sku: $sku) { price(quantity: $q) { unitPrice { amount currency } source breaks { minQuantity } } } }`;
const SEARCH_PRICES = /* GraphQL */ `query($text: String!, $q: Float) {
  searchProducts(query: $text, first: 5) { edges { node { sku price(quantity: $q) { unitPrice { amount currency } } } } } }`;
const ORDER_LINES = /* GraphQL */ `query($id: ID!) { order(id: $id) { lines { sku quantity unitPrice { amount currency } } } }`;

type Price = { amount: string; currency: string };
const bySku = (lines: Array<{ sku: string; quantity: number; unitPrice: Price }>) =>
  Object.fromEntries(lines.map((l) => [l.sku, { quantity: l.quantity, unitPrice: { amount: l.unitPrice.amount, currency: l.unitPrice.currency } }]));

/** The catalog's price of each case, checking the case really exercises its scope and break. */
async function catalogPrices(cases: Case[], options: { token: string; headers?: Record<string, string> }) {
  const prices: Record<string, { quantity: number; unitPrice: Price }> = {};
  for (const c of cases) {
    const answer = await stack.graphql(CATALOG_PRICES, { sku: c.sku, q: c.quantity }, options);
    expect(answer.body.errors).toBeUndefined();
    const price = answer.body.data.product.price;
    expect(price.source, c.sku).toBe(c.source);
    const reached = (price.breaks as Array<{ minQuantity: number }>).map((b) => b.minQuantity).filter((m) => m <= c.quantity);
    expect(Math.max(...reached), c.sku).toBe(c.breakAt);
    prices[c.sku] = { quantity: c.quantity, unitPrice: price.unitPrice };
  }
  return prices;
}

/** The same SKUs found by search: a search result's price is the catalog's price. */
async function searchPrices(cases: Case[], token: string) {
  const prices: Record<string, { quantity: number; unitPrice: Price }> = {};
  for (const c of cases) {
    const answer = await stack.graphql(SEARCH_PRICES, { text: c.sku, q: c.quantity }, { token });
    expect(answer.body.errors).toBeUndefined();
    const node = answer.body.data.searchProducts.edges.map((e: { node: { sku: string } }) => e.node).find((n: { sku: string }) => n.sku === c.sku);
    prices[c.sku] = { quantity: c.quantity, unitPrice: node.price.unitPrice };
  }
  return prices;
}

/** Sets the cart of a redeemed PunchOut session and returns it; the returned lines. */
async function returnedCart(sessionToken: string, cases: Case[]) {
  const set = await stack.graphql(SET_CART, { lines: cases.map((c) => ({ sku: c.sku, quantity: c.quantity })) }, { token: sessionToken });
  expect(set.body.data.setPunchOutCart.userErrors).toEqual([]);
  const returned = (await stack.graphql(RETURN_CART, {}, { token: sessionToken })).body.data.returnPunchOutCart;
  expect(returned.userErrors).toEqual([]);
  return returned as { html: string; lines: Array<{ sku: string; quantity: number; unitPrice: Price; unitOfMeasure: string }> };
}

async function placedOrderLines(cases: Case[], token: string, poNumber: string) {
  const input = { poNumber, lines: cases.map((c) => ({ sku: c.sku, quantity: c.quantity })) };
  const answer = await stack.graphql(PLACE_ORDER, { input }, { token });
  expect(answer.body.errors).toBeUndefined();
  const placed = answer.body.data.placeOrder;
  expect(placed.userErrors).toEqual([]);
  return placed.order.lines.map((l: { sku: string; quantity: number; unitPrice: { amount: string } }) => ({
    ...l,
    unitPrice: { amount: l.unitPrice.amount, currency: placed.order.total.currency },
  }));
}

describe('one price on every path', () => {
  it('a cXML buyer (C0001): catalog, search, the rep acting for them, the returned PunchOut cart, a GraphQL order and a cXML OrderRequest agree line by line', async () => {
    const token = await stack.buyerToken('C0001');
    const catalog = await catalogPrices(C0001_CASES, { token });
    expect(await searchPrices(C0001_CASES, token)).toEqual(catalog);
    // R01 is C0001's rep: acting for the customer, the rep sees the customer's prices.
    expect(await catalogPrices(C0001_CASES, { token: await stack.repToken('R01'), headers: { 'x-customer-id': 'C0001' } })).toEqual(catalog);

    const setup = await postCxml(stack, demoRequest(setupRequest(`${buyer.url}/punchout/return`)));
    expect(setup.code).toBe(200);
    const session = await redeem(stack, startPageUrl(setup.body)!);
    const cart = await returnedCart(session.body.accessToken, C0001_CASES);
    expect(bySku(cart.lines)).toEqual(catalog);

    expect(bySku(await placedOrderLines(C0001_CASES, token, 'PO-AGREE-1'))).toEqual(catalog);

    // The approved requisition comes back as an OrderRequest at the prices the cart carried.
    const lines = cart.lines.map((l) => ({
      sku: l.sku,
      aux: null,
      quantity: l.quantity,
      unit: l.unitOfMeasure,
      price: l.unitPrice.amount,
      currency: l.unitPrice.currency,
    }));
    const ordered = await postCxml(stack, demoRequest(orderRequest('PO-AGREE-2', lines)));
    expect(ordered.code).toBe(200);
    const orderId = /ord_\w+/.exec(ordered.detail)![0];
    const order = await stack.graphql(ORDER_LINES, { id: orderId }, { token });
    expect(bySku(order.body.data.order.lines)).toEqual(catalog);
  });

  it('an OCI buyer (C0002), at other scopes for the same SKUs: catalog, the returned OCI cart and a GraphQL order agree', async () => {
    const token = await stack.buyerToken('C0002');
    const catalog = await catalogPrices(C0002_CASES, { token });
    // Not C0001's prices: the scope is the customer's own.
    expect(catalog['SKU-00010']).not.toEqual((await catalogPrices(C0001_CASES, { token: await stack.buyerToken('C0001') }))['SKU-00010']);

    const callUp = await fetch(`${stack.erpfront.url}/punchout/oci`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        HOOK_URL: 'http://buyer.example/oci_return',
        USERNAME: 'demo-oci',
        PASSWORD: 'demo-oci-password',
        '~OkCode': 'ADDI',
        '~TARGET': '_top',
      }),
    });
    expect(callUp.status).toBe(303);
    const session = await redeem(stack, callUp.headers.get('location')!);
    const cart = await returnedCart(session.body.accessToken, C0002_CASES);
    expect(bySku(cart.lines)).toEqual(catalog);
    // The OCI form carries the same prices the API returned.
    const fields = new Map(readForm(cart.html).fields);
    C0002_CASES.forEach((c, i) => {
      expect(fields.get(`NEW_ITEM-VENDORMAT[${i + 1}]`)).toBe(c.sku);
      expect(fields.get(`NEW_ITEM-PRICE[${i + 1}]`)).toBe(catalog[c.sku]!.unitPrice.amount);
    });

    expect(bySku(await placedOrderLines(C0002_CASES, token, 'PO-AGREE-3'))).toEqual(catalog);
  });

  it('an order asks the ERP for its prices though the catalog has them cached; with the ERP down it takes a cached price only while younger than ORDER_PRICE_MAX_AGE_SECONDS', async () => {
    const token = await stack.buyerToken('C0001');
    const cases: Case[] = [{ sku: 'SKU-00004', quantity: 10, source: 'PRICE_LIST', breakAt: 10 }];
    const catalog = await catalogPrices(cases, { token });
    const before = (await stack.stats()).byOperation.getPrices!;
    expect(await catalogPrices(cases, { token })).toEqual(catalog);
    expect((await stack.stats()).byOperation.getPrices).toBe(before); // the catalog's price is cached
    expect(bySku(await placedOrderLines(cases, token, 'PO-FRESH-1'))).toEqual(catalog);
    expect((await stack.stats()).byOperation.getPrices).toBeGreaterThan(before); // the order's is not

    await stack.faults({ outage: true });
    try {
      // Just read from the ERP: recent enough to order at, and the same price.
      expect(bySku(await placedOrderLines(cases, token, 'PO-FRESH-2'))).toEqual(catalog);
      await new Promise((r) => setTimeout(r, 2_500));
      const late = await stack.graphql(PLACE_ORDER, { input: { poNumber: 'PO-FRESH-3', lines: [{ sku: 'SKU-00004', quantity: 10 }] } }, { token });
      expect(late.body.data.placeOrder.order).toBeNull();
      expect(late.body.data.placeOrder.userErrors).toEqual([
        { code: 'PRICE_NOT_AVAILABLE', message: expect.stringContaining('SKU-00004'), field: ['lines', '0'] },
      ]);
      // The catalog still shows its cached price (fresh for FRESHNESS_PRICES_SECONDS): only an order insists.
      const shown = await stack.graphql(`{ product(sku: "SKU-00004") { price(quantity: 10) { unitPrice { amount currency } } } }`, {}, { token });
      expect(shown.body.data.product.price.unitPrice).toEqual(catalog['SKU-00004']!.unitPrice);
    } finally {
      await stack.faults({ outage: false });
    }
  });
});
