/**
 * Invoices and the account statement on a real Tryton 6.0: the demo's posted invoices of Hooli
 * (setup_demo.py: invoice dates 100, 45 and 5 days ago on Net 30, and a credit note 20 days ago;
 * 8% sales tax) as erpfront lists and ages them, against Tryton's own figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrytonConnector } from '../../src/adapters/erp/tryton/index.ts';
import { startErpfrontOnTryton, startTryton, TRYTON_USER, trytonAvailable, type RunningTryton } from '../support/tryton.ts';

const available = trytonAvailable('Tryton invoices');

const INVOICES = /* GraphQL */ `{
  invoices(first: 20) { edges { node { number kind status issuedAt dueDate total { amount currency } openAmount { amount } overdue } } }
  accountStatement { openBalance { amount currency } aging { current days1to30 days31to60 days61to90 over90 } } }`;

const day = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset)).toISOString().slice(0, 10);
};

describe.skipIf(!available)('invoices on Tryton', () => {
  let tryton: RunningTryton;
  let stack: Awaited<ReturnType<typeof startErpfrontOnTryton>>;
  let direct: ReturnType<typeof createTrytonConnector>;

  beforeAll(async () => {
    tryton = await startTryton();
    stack = await startErpfrontOnTryton(tryton);
    direct = createTrytonConnector({ url: tryton.url, ...TRYTON_USER });
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
    await tryton?.close();
  });

  it("lists Hooli's posted invoices and credit note with Tryton's totals, open amounts and due dates, aged against today", async () => {
    const { invoices, accountStatement } = await stack.graphql(INVOICES, {}, await stack.buyerToken('HOOLI'));
    const nodes = invoices.edges.map((e: any) => e.node);
    // Tryton's own records, read directly.
    const own = (await direct.rpc.model('test', 'account.invoice', 'search_read', [
      [
        ['party.code', '=', 'HOOLI'],
        ['type', '=', 'out'],
      ],
      0,
      null,
      [['invoice_date', 'DESC']],
      ['number', 'reference', 'total_amount', 'amount_to_pay', 'state'],
    ])) as Array<{ number: string; reference: string; total_amount: { decimal: string }; amount_to_pay: { decimal: string }; state: string }>;
    expect(own.map((i) => i.state)).toEqual(['posted', 'posted', 'posted', 'posted']);
    expect(nodes.map((n: any) => n.number)).toEqual(own.map((i) => i.number));
    expect(nodes.map((n: any) => Number(n.total.amount))).toEqual(own.map((i) => Number(i.total_amount.decimal)));
    expect(nodes.map((n: any) => Number(n.openAmount.amount))).toEqual(own.map((i) => Number(i.amount_to_pay.decimal)));

    // By construction (setup_demo.py), newest first: 4 × 29.50, the credit note, 10 × 12.50, 2 × 149.00, each + 8% tax.
    expect(nodes).toEqual([
      {
        number: expect.any(String),
        kind: 'INVOICE',
        status: 'OPEN',
        issuedAt: day(-5),
        dueDate: day(25),
        total: { amount: '127.44', currency: 'USD' },
        openAmount: { amount: '127.44' },
        overdue: false,
      },
      {
        number: expect.any(String),
        kind: 'CREDIT_MEMO',
        status: 'OPEN',
        issuedAt: day(-20),
        dueDate: day(10),
        total: { amount: '-31.86', currency: 'USD' },
        openAmount: { amount: '-31.86' },
        overdue: false,
      },
      {
        number: expect.any(String),
        kind: 'INVOICE',
        status: 'OVERDUE',
        issuedAt: day(-45),
        dueDate: day(-15),
        total: { amount: '135.00', currency: 'USD' },
        openAmount: { amount: '135.00' },
        overdue: true,
      },
      {
        number: expect.any(String),
        kind: 'INVOICE',
        status: 'OVERDUE',
        issuedAt: day(-100),
        dueDate: day(-70),
        total: { amount: '321.84', currency: 'USD' },
        openAmount: { amount: '321.84' },
        overdue: true,
      },
    ]);
    expect(accountStatement).toEqual({
      openBalance: { amount: '552.42', currency: 'USD' },
      aging: { current: '95.58', days1to30: '135.00', days31to60: '0.00', days61to90: '321.84', over90: '0.00' },
    });
    // Tryton's own receivable for the party is the same open balance.
    const [party] = (await direct.rpc.model('test', 'party.party', 'search_read', [[['code', '=', 'HOOLI']], 0, 1, null, ['receivable']])) as Array<{
      receivable: { decimal: string };
    }>;
    expect(Number(party!.receivable.decimal)).toBe(552.42);
  });

  it("another customer never sees Hooli's invoices", async () => {
    const { invoices } = await stack.graphql(INVOICES, {}, await stack.buyerToken('INITECH'));
    expect(invoices.edges).toEqual([]);
  });
});
