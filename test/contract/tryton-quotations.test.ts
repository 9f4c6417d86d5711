/**
 * What the Tryton connector promises about quotations beyond the conformance suite, against a real
 * Tryton 6.0: a quotation sales cancel in Tryton is `WITHDRAWN`; one they re-date past its validity
 * is `EXPIRED` and refuses an acceptance (`QUOTE_EXPIRED`); a decline whose reply was lost after
 * its note was written is not noted twice when sent again, and the retry closes the quotation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrytonConnector } from '../../src/adapters/erp/tryton/index.ts';
import { startTryton, TRYTON_USER, trytonAvailable, type RunningTryton } from '../support/tryton.ts';
import { newExternalRef } from './erp-connector-orders.contract.ts';

const available = trytonAvailable('Tryton quotations');

/** A fetch that lets Tryton run the first call whose body contains `marker`, then drops its reply. */
function losingReplyOf(marker: string) {
  let lost = 0;
  const fetchImpl: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (lost === 0 && String(init?.body).includes(marker)) {
      lost++;
      await response.arrayBuffer();
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }
    return response;
  };
  return { fetchImpl, lost: () => lost };
}

const day = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset)).toISOString().slice(0, 10);
};

describe.skipIf(!available)('Tryton quotations', () => {
  let tryton: RunningTryton;
  let connector: ReturnType<typeof createTrytonConnector>;
  beforeAll(async () => {
    tryton = await startTryton();
    connector = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: 20_000 });
  }, 120_000);
  afterAll(() => tryton?.close());

  const request = () => ({ externalRef: newExternalRef(), customerId: 'INITECH', note: null, lines: [{ sku: 'SKU-1002', quantity: 2 }] });
  /** Sales price the draft and quote it in Tryton. */
  async function quoted(number: string, price: string): Promise<void> {
    const lines = (await connector.rpc.model('test', 'sale.line', 'search', [[['sale', '=', Number(number)]]])) as number[];
    await connector.rpc.model('test', 'sale.line', 'write', [lines, { unit_price: { __class__: 'Decimal', decimal: price } }]);
    await connector.rpc.model('test', 'sale.sale', 'quote', [[Number(number)]]);
  }

  it('a quotation sales cancel in Tryton is WITHDRAWN, and takes no response', async () => {
    const quote = await connector.createQuote(request());
    await connector.rpc.model('test', 'sale.sale', 'cancel', [[Number(quote.number)]]);
    expect((await connector.getQuotes([quote.externalRef]))[0]).toMatchObject({ status: 'WITHDRAWN', responses: [] });
    const refused = await connector
      .respondToQuote(quote.number, { ref: newExternalRef(), action: 'DECLINE', note: null, orderRef: null })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ERP_REJECTED', reason: 'QUOTE_NOT_OPEN' });
  }, 60_000);

  it('quoted: priced, valid 30 days from the sale date; re-dated past that, EXPIRED and an acceptance refused QUOTE_EXPIRED', async () => {
    const quote = await connector.createQuote(request());
    await quoted(quote.number, '5.25');
    expect(await connector.findQuoteByExternalRef(quote.externalRef)).toMatchObject({
      status: 'QUOTED',
      validUntil: day(30),
      lines: [{ sku: 'SKU-1002', quantity: 2, unitPrice: '5.25' }],
      total: '10.50',
    });
    const [year, month, date] = day(-31).split('-').map(Number);
    await connector.rpc.model('test', 'sale.sale', 'write', [[Number(quote.number)], { sale_date: { __class__: 'date', year, month, day: date } }]);
    expect(await connector.findQuoteByExternalRef(quote.externalRef)).toMatchObject({ status: 'EXPIRED', validUntil: day(-1) });
    const refused = await connector
      .respondToQuote(quote.number, { ref: newExternalRef(), action: 'ACCEPT', note: null, orderRef: newExternalRef() })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ERP_REJECTED', reason: 'QUOTE_EXPIRED' });
  }, 60_000);

  it('a decline whose reply was lost after its note: sent again, noted once, and the quotation closed', async () => {
    const lossy = losingReplyOf('"model.ir.note.create"');
    const cut = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: 20_000, fetch: lossy.fetchImpl });
    const quote = await connector.createQuote(request());
    await quoted(quote.number, '5.00');
    const decline = { ref: newExternalRef(), action: 'DECLINE' as const, note: 'Too dear', orderRef: null };
    await expect(cut.respondToQuote(quote.number, decline)).rejects.toMatchObject({ code: 'ERP_UNAVAILABLE' });
    expect(lossy.lost()).toBe(1);
    // Noted, not yet closed: the buyer's answer already holds.
    const between = await connector.findQuoteByExternalRef(quote.externalRef);
    expect(between).toMatchObject({ status: 'DECLINED', responses: [{ ref: decline.ref, action: 'DECLINE', note: 'Too dear' }] });
    const again = await cut.respondToQuote(quote.number, decline);
    expect(again.responses.map((r) => r.ref)).toEqual([decline.ref]);
    const [sale] = (await connector.rpc.model('test', 'sale.sale', 'read', [[Number(quote.number)], ['state']])) as Array<{ state: string }>;
    expect(sale!.state).toBe('cancelled');
  }, 60_000);
});
