/**
 * The quote and return scenarios of the ErpConnector conformance suite (registered by
 * `runErpConnectorContract` for a connector that declares `quotes` / `returns`): a request for
 * quotation is entered under erpfront's reference and found by it (what resolves a create in doubt
 * without a second quotation), read back in one batch, and the buyer's response is recorded once
 * per reference; a return for an order the ERP does not have is refused, and references the ERP
 * never saw are found nowhere. Every reference is new, because a real ERP keeps earlier runs'.
 *
 * @module
 */
import { expect, it } from 'vitest';
import type { ErpConnector } from '../../src/ports/erp-connector.ts';
import { ErpError } from '../../src/ports/erp-error.ts';
import { newExternalRef } from './erp-connector-orders.contract.ts';

export interface DocumentSuiteContext {
  connector(): ErpConnector;
  /** A customer of the ERP and two SKUs it sells. */
  customerId(): string;
  skus(): readonly [string, string, ...string[]];
  unknownSku(): string;
}

/** Registers the quote scenarios inside the suite's `describe`. */
export function quoteScenarios(suite: DocumentSuiteContext): void {
  const request = (externalRef: string) => {
    const [a, b] = suite.skus();
    return {
      externalRef,
      customerId: suite.customerId(),
      note: 'conformance suite',
      lines: [
        { sku: a, quantity: 3 },
        { sku: b, quantity: 1 },
      ],
    };
  };

  it('createQuote enters a request for quotation, REQUESTED, unpriced; findQuoteByExternalRef and getQuotes find it by its reference', async () => {
    const connector = suite.connector();
    const externalRef = newExternalRef();
    const quote = await connector.createQuote(request(externalRef));
    expect(quote).toMatchObject({ externalRef, customerId: suite.customerId(), status: 'REQUESTED', validUntil: null, total: null, responses: [] });
    expect(quote.number).toMatch(/\S/);
    expect(quote.lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual(request(externalRef).lines.map((l) => [l.sku, l.quantity, null]));
    expect((await connector.findQuoteByExternalRef(externalRef))?.number).toBe(quote.number);
    expect(await connector.findQuoteByExternalRef(newExternalRef())).toBeNull();
    const other = await connector.createQuote(request(newExternalRef()));
    const batch = await connector.getQuotes([externalRef, newExternalRef(), other.externalRef]);
    expect(batch.map((q) => q.number).sort()).toEqual([quote.number, other.number].sort());
    expect(await connector.getQuotes([])).toEqual([]);
  });

  it('respondToQuote records a response once per reference; a response the quotation cannot take is refused', async () => {
    const connector = suite.connector();
    const quote = await connector.createQuote(request(newExternalRef()));
    const decline = { ref: newExternalRef(), action: 'DECLINE' as const, note: null, orderRef: null };
    expect((await connector.respondToQuote(quote.number, decline)).status).toBe('DECLINED');
    // The same response again (a retry after a lost reply): recorded once.
    const again = await connector.respondToQuote(quote.number, decline);
    expect(again.responses.map((r) => r.ref)).toEqual([decline.ref]);
    const accept = await connector
      .respondToQuote(quote.number, { ref: newExternalRef(), action: 'ACCEPT', note: null, orderRef: newExternalRef() })
      .catch((e: unknown) => e);
    expect(accept).toBeInstanceOf(ErpError);
    expect(accept).toMatchObject({ code: 'ERP_REJECTED', reason: 'QUOTE_NOT_OPEN' });
  });

  it('createQuote refuses an item the ERP does not have with ERP_REJECTED, entering nothing', async () => {
    const connector = suite.connector();
    const externalRef = newExternalRef();
    const failure = await connector.createQuote({ ...request(externalRef), lines: [{ sku: suite.unknownSku(), quantity: 1 }] }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERP_REJECTED' });
    expect(await connector.findQuoteByExternalRef(externalRef)).toBeNull();
  });
}

/** Registers the return scenarios inside the suite's `describe`. */
export function returnScenarios(suite: DocumentSuiteContext): void {
  it('createReturn refuses a return for an order the ERP does not have; unknown references are found nowhere', async () => {
    const connector = suite.connector();
    const externalRef = newExternalRef();
    const failure = await connector
      .createReturn({
        externalRef,
        customerId: suite.customerId(),
        orderRef: newExternalRef(),
        lines: [{ sku: suite.skus()[0], quantity: 1, reason: 'DAMAGED' }],
      })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERP_REJECTED' });
    expect(await connector.findReturnByExternalRef(externalRef)).toBeNull();
    expect(await connector.getReturns([externalRef])).toEqual([]);
  });
}
