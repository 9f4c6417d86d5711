/**
 * The checkout scenarios of the ErpConnector conformance suite (registered by
 * `runErpConnectorContract` for a connector that declares `checkout` and takes orders): the
 * totals quoted for an order are the totals of that order once entered, and quoting enters
 * nothing.
 *
 * @module
 */
import Big from 'big.js';
import { expect, it } from 'vitest';
import type { ErpConnector } from '../../src/ports/erp-connector.ts';
import { newExternalRef, type OrderFixtures } from './erp-connector-orders.contract.ts';

export interface CheckoutSuiteContext {
  connector(): ErpConnector;
  fixtures(): OrderFixtures | undefined;
}

export function checkoutScenarios(suite: CheckoutSuiteContext): void {
  it('quoteTotals answers subtotal + tax + shipping = total, enters nothing, and the order then entered has those totals', async () => {
    const connector = suite.connector();
    const fx = suite.fixtures();
    if (!fx) throw new Error('the connector declares checkout, but its fixtures have no `orders`');
    const { accepted } = fx;
    const draft = {
      customerId: accepted.customerId,
      shipToId: accepted.shipToId,
      currency: accepted.currency,
      payment: accepted.payment,
      lines: accepted.lines,
    };
    const listed = async () => (await connector.listOrders(accepted.customerId, { offset: 0, limit: 1 })).total;
    const before = await listed();
    const quoted = await connector.quoteTotals(draft);
    expect(quoted.currency).toBe(accepted.currency);
    expect(new Big(quoted.subtotal).plus(quoted.tax).plus(quoted.shipping).eq(quoted.total)).toBe(true);
    expect(await listed()).toBe(before);

    const created = await connector.createOrder({ ...accepted, externalRef: newExternalRef() });
    expect(created.totals).toEqual(quoted);
  });
}
