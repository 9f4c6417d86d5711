/**
 * Invoices and the account statement on a real Tryton 6.0: the demo's posted invoices of Hooli
 * (setup_demo.py: invoice dates 100, 45 and 5 days ago on Net 30, and a credit note 20 days ago;
 * 8% sales tax) as erpfront lists and ages them, against Tryton's own figures; and each invoice's
 * document, Tryton's own rendering of its report (ODT without LibreOffice on the server).
 */
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrytonConnector } from '../../src/adapters/erp/tryton/index.ts';
import { startErpfrontOnTryton, startTryton, TRYTON_USER, trytonAvailable, type RunningTryton, TRYTON_TEST_TIMEOUT_MS } from '../support/tryton.ts';

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
    direct = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: TRYTON_TEST_TIMEOUT_MS });
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

  const download = (path: string, token: string) => fetch(`${stack.erpfront.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it("hands Hooli Tryton's rendering of its invoice: the ODT Tryton renders, named after the invoice", async () => {
    const listed = await stack.graphql(`{ invoices(first: 20) { edges { node { number documentUrl } } } }`, {}, await stack.buyerToken('HOOLI'));
    const [newest] = listed.invoices.edges.map((e: any) => e.node);
    expect(newest.number).toMatch(/\//); // Tryton's numbers hold slashes: INV/2026/4
    expect(newest.documentUrl).toBe(`/documents/invoices/${encodeURIComponent(newest.number)}`);

    const response = await download(newest.documentUrl, await stack.buyerToken('HOOLI'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.oasis.opendocument.text');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${newest.number.replaceAll('/', '-')}.odt"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length'))).toBe(bytes.byteLength);
    // An OpenDocument is a zip whose content.xml holds the text: the invoice's number is in it.
    expect(new TextDecoder().decode(bytes.subarray(0, 2))).toBe('PK');
    expect(zipEntry(bytes, 'mimetype')).toBe('application/vnd.oasis.opendocument.text');
    expect(zipEntry(bytes, 'content.xml')).toContain(newest.number);
    // Byte for byte what Tryton's report answers.
    const [format, content] = (await direct.rpc.report('test', 'account.invoice', [await invoiceId(newest.number)], {})) as [string, { base64: string }];
    expect(format).toBe('odt');
    expect(Buffer.from(bytes).equals(Buffer.from(content.base64, 'base64'))).toBe(true);
  });

  it("gives another customer the same 404 for Hooli's invoice document as for a number that does not exist", async () => {
    const [hooli] = (await stack.graphql(`{ invoices(first: 1) { edges { node { number documentUrl } } } }`, {}, await stack.buyerToken('HOOLI'))).invoices
      .edges;
    const other = await stack.buyerToken('INITECH');
    const foreign = await download(hooli.node.documentUrl, other);
    const unknown = await download(`/documents/invoices/${encodeURIComponent('INV/2026/999')}`, other);
    expect([foreign.status, unknown.status]).toEqual([404, 404]);
    expect(await foreign.json()).toEqual({ errors: [{ message: `No invoice ${hooli.node.number}.`, extensions: { code: 'NOT_FOUND' } }] });
    expect(await unknown.json()).toEqual({ errors: [{ message: 'No invoice INV/2026/999.', extensions: { code: 'NOT_FOUND' } }] });
    // Hooli itself asking for a number it does not have: the same answer.
    const missing = await download(`/documents/invoices/${encodeURIComponent('INV/2026/999')}`, await stack.buyerToken('HOOLI'));
    expect(missing.status).toBe(404);
    // The connector itself: no such posted invoice, no document; Hooli's names its owner.
    expect(await direct.getInvoiceDocument('INV/2026/999')).toBeNull();
    const own = await direct.getInvoiceDocument(hooli.node.number);
    expect(own).toMatchObject({ customerId: 'HOOLI', contentType: 'application/vnd.oasis.opendocument.text' });
    await own!.body.cancel();
  });

  async function invoiceId(number: string): Promise<number> {
    const [row] = (await direct.rpc.model('test', 'account.invoice', 'search_read', [[['number', '=', number]], 0, 1, null, ['id']])) as Array<{ id: number }>;
    return row!.id;
  }
});

/** The text of one entry of a zip (stored or deflated), found through its central directory. */
function zipEntry(zip: Uint8Array, name: string): string {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.byteLength - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = view.getUint16(end + 10, true);
  for (let at = view.getUint32(end + 16, true), i = 0; i < count; i++) {
    const nameLength = view.getUint16(at + 28, true);
    const entry = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    if (entry === name) {
      const method = view.getUint16(at + 10, true);
      const size = view.getUint32(at + 20, true);
      const local = view.getUint32(at + 42, true);
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const data = zip.subarray(start, start + size);
      return new TextDecoder().decode(method === 0 ? data : inflateRawSync(data));
    }
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  throw new Error(`no ${name} in the zip`);
}
