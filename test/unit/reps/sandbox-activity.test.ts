/**
 * The sandbox ERP's account activity through the sandbox connector (in process, over the app's
 * fetch): open-order summaries and unpaid invoices for a list of customers in one call each, an
 * unknown customer failing alone, the receivables making up the balance the ERP reports, and the
 * sandbox's own orders moving from open orders to unpaid invoices as they are invoiced.
 */
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { createSandboxConnector } from '../../../src/adapters/erp/sandbox/index.ts';
import { ErpError } from '../../../src/ports/erp-error.ts';
import { createSandboxApp } from '../../../src/sandbox-erp/app.ts';
import type { CustomerOpenInvoices, OpenOrderSummary } from '../../../src/ports/erp-connector.ts';

const NOW = new Date('2026-11-23T10:00:00Z');

function sandbox() {
  const app = createSandboxApp({ now: () => NOW });
  const erp = createSandboxConnector({ baseUrl: 'http://sandbox.test', fetch: async (input, init) => app.request(String(input), init) });
  const control = async (path: string, body?: unknown) =>
    (
      await app.request(`http://sandbox.test/__control/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) })
    ).json() as Promise<any>;
  return { erp, control };
}

describe('sandbox account activity', () => {
  it('answers many customers in one call each; an unknown customer fails alone', async () => {
    const { erp, control } = sandbox();
    const [orders, invoices] = await Promise.all([erp.getOpenOrderSummaries(['C0001', 'C9999', 'C0002']), erp.getOpenInvoices(['C0001', 'C9999', 'C0002'])]);
    expect(orders[0]).toEqual({ customerId: 'C0001', count: 0, total: '0.00', currency: 'USD' });
    expect((orders[2] as OpenOrderSummary).customerId).toBe('C0002');
    for (const failed of [orders[1], invoices[1]]) expect(failed).toBeInstanceOf(ErpError);
    expect((orders[1] as ErpError).code).toBe('ERP_NOT_FOUND');
    const stats = (await control('stats')).byOperation;
    expect([stats.getOpenOrderSummaries, stats.getOpenInvoices]).toEqual([1, 1]);

    // The unpaid invoices are what the ERP says the customer owes, each due after its terms.
    const [account] = await erp.getCustomers(['C0001']);
    const open = invoices[0] as CustomerOpenInvoices;
    expect(open.invoices.length).toBeGreaterThan(0);
    const sum = open.invoices.reduce((s, i) => s.plus(i.total), new Big(0));
    expect(sum.toFixed(2)).toBe((account as { credit: { balance: string } }).credit.balance);
    for (const invoice of open.invoices) {
      expect(invoice).toMatchObject({ kind: 'INVOICE', paid: false, currency: 'USD', orderNumber: null });
      expect(Date.parse(invoice.dueDate) - Date.parse(invoice.issuedAt)).toBe(30 * 86_400_000); // C0001: NET30
      expect(invoice.issuedAt < '2026-11-23').toBe(true);
    }
  });

  it("counts the sandbox's own orders as open until invoiced, then as unpaid invoices", async () => {
    const { erp, control } = sandbox();
    const created = await erp.createOrder({
      externalRef: 'ord_test_1',
      customerId: 'C0001',
      poNumber: null,
      shipToId: 'C0001-ST1',
      requestedDate: null,
      currency: 'USD',
      payment: { method: 'ON_ACCOUNT' },
      notes: null,
      lines: [{ sku: 'SKU-00001', quantity: 2, unitPrice: '10.00', unitOfMeasure: 'EA' }],
    });
    const before = ((await erp.getOpenInvoices(['C0001']))[0] as CustomerOpenInvoices).invoices.length;
    expect((await erp.getOpenOrderSummaries(['C0001']))[0]).toEqual({ customerId: 'C0001', count: 1, total: '20.00', currency: 'USD' });
    for (let step = 0; step < 3; step++) await control('orders/advance', { number: created.number });
    expect((await erp.getOpenOrderSummaries(['C0001']))[0]).toMatchObject({ count: 0, total: '0.00' });
    const after = ((await erp.getOpenInvoices(['C0001']))[0] as CustomerOpenInvoices).invoices;
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ orderNumber: created.number, total: '20.00', paid: false });
  });
});
