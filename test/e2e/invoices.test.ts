/**
 * Invoices and the account statement over HTTP, against the sandbox ERP: the figures are the ERP's
 * own (its control API lists what it books), aged against UTC today; the page is one ERP call
 * cold; another customer's invoice or document is never reachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** The contract document, verbatim. */
const CONTRACT = /* GraphQL */ `
query { invoices(first: 20) { edges { node { number kind issuedAt dueDate total { amount } openAmount { amount } overdue orderId } } } accountStatement { openBalance { amount currency } aging { current days1to30 days31to60 days61to90 over90 } } }`;

interface ErpInvoice {
  number: string;
  kind: string;
  customerId: string;
  issuedAt: string;
  dueDate: string;
  total: string;
  openAmount: string;
  currency: string;
  state: string;
  orderNumber: string | null;
  orderExternalRef: string | null;
}

async function erpInvoices(customerId: string): Promise<ErpInvoice[]> {
  const response = await fetch(`${stack.sandbox.url}/__control/invoices?customerId=${customerId}`);
  return ((await response.json()) as { invoices: ErpInvoice[] }).invoices;
}

async function enter(body: Record<string, unknown>): Promise<ErpInvoice> {
  const response = await fetch(`${stack.sandbox.url}/__control/invoices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as ErpInvoice;
}

/** Cents of a decimal string, exactly (the test's own arithmetic, not erpfront's). */
const cents = (amount: string) => {
  const [whole, fraction = ''] = amount.replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return amount.startsWith('-') ? -value : value;
};
const decimal = (c: number) => `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;

/** Days past due as a credit controller counts them: UTC calendar days. */
const pastDue = (dueDate: string) => (Date.parse(new Date().toISOString().slice(0, 10)) - Date.parse(dueDate)) / 86_400_000;

function expectedAging(invoices: ErpInvoice[]) {
  const buckets = { current: 0, days1to30: 0, days31to60: 0, days61to90: 0, over90: 0 };
  for (const invoice of invoices) {
    const days = pastDue(invoice.dueDate);
    const bucket = days <= 0 ? 'current' : days <= 30 ? 'days1to30' : days <= 60 ? 'days31to60' : days <= 90 ? 'days61to90' : 'over90';
    buckets[bucket] += cents(invoice.openAmount);
  }
  const open = Object.values(buckets).reduce((a, b) => a + b, 0);
  return {
    openBalance: { amount: decimal(open), currency: 'USD' },
    aging: Object.fromEntries(Object.entries(buckets).map(([k, v]) => [k, decimal(v)])),
  };
}

const erpCalls = async () => {
  const stats = await stack.stats();
  return Object.values(stats.byOperation as Record<string, number>).reduce((a, b) => a + b, 0);
};

describe('invoices and the account statement', () => {
  it("match the ERP's own figures for a customer with open, paid and overdue invoices and a credit memo", async () => {
    const erp = await erpInvoices('C0001');
    // The sandbox's pinned C0001: one open invoice per aging bucket, a paid one, a credit memo.
    expect(erp.some((i) => i.state === 'PAID')).toBe(true);
    expect(erp.some((i) => i.kind === 'CREDIT_MEMO')).toBe(true);
    expect(erp.filter((i) => i.state === 'OPEN' && pastDue(i.dueDate) > 90)).not.toHaveLength(0);

    const answer = await stack.graphql(CONTRACT);
    expect(answer.body.errors).toBeUndefined();
    const nodes = answer.body.data.invoices.edges.map((e: any) => e.node);
    expect(nodes).toEqual(
      erp.map((i) => ({
        number: i.number,
        kind: i.kind,
        issuedAt: i.issuedAt,
        dueDate: i.dueDate,
        total: { amount: i.total },
        openAmount: { amount: i.openAmount },
        overdue: i.state === 'OPEN' && pastDue(i.dueDate) > 0,
        orderId: i.orderExternalRef ?? i.orderNumber,
      })),
    );
    expect(nodes.filter((n: any) => n.overdue).length).toBeGreaterThanOrEqual(4);
    expect(answer.body.data.accountStatement).toEqual(expectedAging(erp));
    // Non-zero in every bucket, so a bucket boundary off by one shows.
    for (const amount of Object.values(answer.body.data.accountStatement.aging)) expect(amount).not.toBe('0.00');
  });

  it('costs one ERP call cold for the page, none warm; the statement adds at most the account read', async () => {
    // C0005 has not been read by this erpfront yet.
    const before = await stack.stats();
    const page = await stack.graphql(`{ invoices(first: 20) { edges { node { number status } } totalCount } }`, {}, { token: await stack.buyerToken('C0005') });
    expect(page.body.errors).toBeUndefined();
    const after = await stack.stats();
    expect((after.byOperation.getInvoices ?? 0) - (before.byOperation.getInvoices ?? 0)).toBe(1);
    expect((await erpCalls()) - Object.values(before.byOperation as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(1);

    const warmBefore = await erpCalls();
    const both = await stack.graphql(
      `{ invoices(first: 5) { totalCount } accountStatement { openBalance { amount } } }`,
      {},
      { token: await stack.buyerToken('C0005') },
    );
    expect(both.body.errors).toBeUndefined();
    const stats = await stack.stats();
    expect(stats.byOperation.getInvoices).toBe(after.byOperation.getInvoices);
    expect((await erpCalls()) - warmBefore).toBeLessThanOrEqual(1); // the account (currency), read once
    expect(both.body.data.invoices.totalCount).toBe((await erpInvoices('C0005')).length);
  });

  it('filters by status, kind and issue dates, and pages Relay-style', async () => {
    const erp = await erpInvoices('C0001');
    const query = /* GraphQL */ `query($first: Int, $after: String, $filter: InvoiceFilter) {
      invoices(first: $first, after: $after, filter: $filter) { edges { cursor node { number status kind issuedAt } } pageInfo { hasNextPage endCursor } totalCount } }`;
    const numbers = async (filter: Record<string, unknown>) =>
      (await stack.graphql(query, { first: 100, filter })).body.data.invoices.edges.map((e: any) => e.node.number);

    expect(await numbers({ status: 'PAID' })).toEqual(erp.filter((i) => i.state === 'PAID').map((i) => i.number));
    expect(await numbers({ status: 'OVERDUE' })).toEqual(erp.filter((i) => i.state === 'OPEN' && pastDue(i.dueDate) > 0).map((i) => i.number));
    expect(await numbers({ status: 'OPEN' })).toEqual(erp.filter((i) => i.state === 'OPEN').map((i) => i.number));
    expect(await numbers({ kind: 'CREDIT_MEMO' })).toEqual(erp.filter((i) => i.kind === 'CREDIT_MEMO').map((i) => i.number));
    const from = erp[3]!.issuedAt;
    const to = erp[1]!.issuedAt;
    expect(await numbers({ from, to })).toEqual(erp.filter((i) => i.issuedAt >= from && i.issuedAt <= to).map((i) => i.number));

    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: any = (await stack.graphql(query, { first: 2, after })).body.data.invoices;
      seen.push(...page.edges.map((e: any) => e.node.number));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(erp.map((i) => i.number));

    const bad = await stack.graphql(query, { first: 2, after: 'bm9wZQ==' });
    expect(bad.body.errors[0].extensions.code).toBe('INVALID_ARGUMENT');
  });

  it('shows a credit memo the ERP booked, signed negative, in the account currency', async () => {
    const entered = await enter({ customerId: 'C0007', kind: 'CREDIT_MEMO', amount: '42.50' });
    const answer = await stack.graphql(
      `{ invoices(filter: {kind: CREDIT_MEMO}) { edges { node { number total { amount currency } openAmount { amount } status } } } }`,
      {},
      {
        token: await stack.buyerToken('C0007'),
      },
    );
    expect(answer.body.data.invoices.edges.map((e: any) => e.node)).toContainEqual({
      number: entered.number,
      total: { amount: '-42.50', currency: entered.currency },
      openAmount: { amount: '-42.50' },
      status: 'OPEN',
    });
  });
});

describe('invoice documents', () => {
  const download = (number: string, token: string | null, headers: Record<string, string> = {}) =>
    fetch(`${stack.erpfront.url}/documents/invoices/${number}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

  it("streams the ERP's PDF to the customer who owns the invoice", async () => {
    const response = await download('INV-C0001-02', await stack.buyerToken('C0001'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="INV-C0001-02.pdf"');
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('%PDF-1.4')).toBe(true);
    expect(text).toContain('Invoice INV-C0001-02');
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    const listed = await stack.graphql(`{ invoices(first: 100) { edges { node { number documentUrl } } } }`);
    expect(listed.body.data.invoices.edges.find((e: any) => e.node.number === 'INV-C0001-02').node.documentUrl).toBe('/documents/invoices/INV-C0001-02');
  });

  it('never lets another customer reach an invoice or its document: the same 404 as a number that does not exist', async () => {
    const other = await stack.buyerToken('C0002');
    const foreign = await download('INV-C0001-02', other);
    const unknown = await download('INV-NOPE-99', other);
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    const [foreignBody, unknownBody] = [await foreign.json(), await unknown.json()];
    // Word for word the answer about a number nobody has.
    expect(foreignBody).toEqual({ errors: [{ message: 'No invoice INV-C0001-02.', extensions: { code: 'NOT_FOUND' } }] });
    expect(unknownBody).toEqual({ errors: [{ message: 'No invoice INV-NOPE-99.', extensions: { code: 'NOT_FOUND' } }] });
    // Naming the other customer in X-Customer-Id is refused outright, before anything is read.
    expect((await download('INV-C0001-02', other, { 'x-customer-id': 'C0001' })).status).toBe(403);
    // And the list of C0002 never holds C0001's numbers.
    const list = await stack.graphql(`{ invoices(first: 100) { edges { node { number } } } }`, {}, { token: other });
    expect(list.body.data.invoices.edges.map((e: any) => e.node.number).filter((n: string) => n.includes('C0001'))).toEqual([]);
    // A sales rep acting for an assigned customer gets it; no token, no document.
    expect((await download('INV-C0001-02', await stack.repToken('R01'), { 'x-customer-id': 'C0001' })).status).toBe(200);
    expect((await download('INV-C0001-02', null)).status).toBe(401);
  });
});
