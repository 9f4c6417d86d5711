/**
 * The campaign's orders: buyers in good standing with their caches warm on every instance (they
 * browsed before ordering), cheap SKUs every one of them is sold, and small orders, so that every
 * order is valid and no credit limit refuses one. Seeded: the same seed gives the same orders.
 *
 * @module
 */
import { rng } from '../../src/sandbox-erp/prng.ts';
import type { OrderSpec } from './clients.ts';
import type { Topology } from './topology.ts';

const WARM = /* GraphQL */ `query($skus: [ID!]!) { viewer { customer { id creditStatus { limit { amount } available { amount } onHold } } }
  products(skus: $skus) { sku price(quantity: 1) { unitPrice { amount } } } }`;

/** At most this many units per line, two lines per order. */
const MAX_QUANTITY = 3;
const MAX_LINES = 2;

interface Candidates {
  customers: string[];
  skus: string[];
}

/** Sandbox: C0001… and SKUs sold to everyone (1..48) with stock, no odd cases; Tryton: its demo. */
function candidates(topology: Topology): Candidates {
  if (topology.erp.kind === 'tryton') return { customers: ['GLOBEX', 'INITECH'], skus: ['SKU-1002', 'SKU-1004', 'SKU-1009'] };
  const skus = Array.from({ length: 40 }, (_, i) => i + 1)
    .filter((n) => n % 6 !== 0 && n !== 47)
    .map((n) => `SKU-${String(n).padStart(5, '0')}`);
  // C0004 is on credit hold, C0005 just under its limit, C0007 prepaid: the checks below skip them.
  return { customers: Array.from({ length: 200 }, (_, i) => `C${String(i + 1).padStart(4, '0')}`), skus };
}

async function graphql(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/**
 * Picks buyers and SKUs and warms every instance's cache with them, then draws `count` orders.
 * A buyer qualifies when its available credit covers its share of the orders at their dearest.
 */
export async function prepareOrders(topology: Topology, seed: number, count: number): Promise<OrderSpec[]> {
  const { customers, skus: allSkus } = candidates(topology);
  const wanted = topology.erp.kind === 'tryton' ? customers.length : Math.min(40, Math.max(6, Math.ceil(count / 30)));
  // The cheapest SKUs for the first customer keep every order small.
  const probe = await graphql(topology.url(0), await topology.buyerToken(customers[0]!), WARM, { skus: allSkus });
  if (probe.errors) throw new Error(`warming up failed: ${JSON.stringify(probe.errors)}`);
  const priced = (probe.data.products as Array<{ sku: string; price: { unitPrice: { amount: string } } | null }>)
    .filter((p) => p.price)
    .sort((a, b) => Number(a.price!.unitPrice.amount) - Number(b.price!.unitPrice.amount));
  const skus = priced.slice(0, 6).map((p) => p.sku);
  const perCustomer = Math.ceil(count / wanted) * 1.5;

  const buyers: string[] = [];
  for (const customerId of customers) {
    if (buyers.length >= wanted) break;
    const token = await topology.buyerToken(customerId);
    const pages = await Promise.all(Array.from({ length: topology.instanceCount }, (_, i) => graphql(topology.url(i), token, WARM, { skus })));
    if (pages.some((p) => p.errors)) continue;
    const { creditStatus } = pages[0].data.viewer.customer;
    const dearest = Math.max(
      ...(pages[0].data.products as Array<{ price: { unitPrice: { amount: string } } | null }>).map((p) => Number(p.price?.unitPrice.amount ?? Infinity)),
    );
    if (!Number.isFinite(dearest) || creditStatus.onHold) continue;
    const need = perCustomer * dearest * MAX_QUANTITY * MAX_LINES;
    if (creditStatus.limit !== null && Number(creditStatus.available?.amount ?? 0) < need) continue;
    buyers.push(customerId);
  }
  if (buyers.length === 0) throw new Error('no customer has the credit the campaign needs');

  const random = rng(seed, 'orders');
  return Array.from({ length: count }, (_, i) => {
    const lines = random
      .shuffle(skus)
      .slice(0, random.int(1, MAX_LINES))
      .map((sku) => ({ sku, quantity: random.int(1, MAX_QUANTITY) }));
    return { key: `chaos-${seed}-${i}`, customerId: random.pick(buyers), poNumber: `PO-CHAOS-${i}`, lines };
  });
}
