/**
 * The account scenarios of the ErpConnector conformance suite (registered by
 * `runErpConnectorContract` for a connector that declares `accounts`): a new customer is created
 * with its addresses, price list and payment terms, found by the reference it was created with
 * (what resolves a create in doubt without a second account), and refused for what the ERP does
 * not know. Every reference is new, because a real ERP keeps the accounts of earlier runs.
 *
 * @module
 */
import { expect, it } from 'vitest';
import type { CustomerAccount, ErpConnector, NewCustomerRequest } from '../../src/ports/erp-connector.ts';
import { ErpError } from '../../src/ports/erp-error.ts';
import { newExternalRef } from './erp-connector-orders.contract.ts';

/** A new customer without its reference: the suite gives each one a new reference. */
export type NewCustomerDraft = Omit<NewCustomerRequest, 'externalRef'>;

/** What the account scenarios need to know about the ERP. */
export interface AccountFixtures {
  /** A customer the ERP creates: at least one address in a country it knows, its price list and terms. */
  newCustomer: NewCustomerDraft;
  /** The price list id `getCustomers` then reports (`newCustomer.priceListId` in the ERP's ids). */
  expectedPriceListId: string | null;
  /** A price list id the ERP does not have. */
  unknownPriceListId: string;
}

export interface AccountSuiteContext {
  connector(): ErpConnector;
  fixtures(): AccountFixtures | undefined;
  outage(): ((on: boolean) => Promise<void>) | undefined;
}

/** Registers the account scenarios inside the suite's `describe`. */
export function accountScenarios(canStop: boolean, suite: AccountSuiteContext): void {
  const setup = () => {
    const fixtures = suite.fixtures();
    if (!fixtures) throw new Error('the connector declares the accounts capability, but its fixtures have no `accounts`');
    return { connector: suite.connector(), fx: fixtures };
  };

  it('createCustomer creates an account that getCustomers reads with its addresses, price list, terms and contact', async () => {
    const { connector, fx } = setup();
    const externalRef = newExternalRef();
    const created = await connector.createCustomer({ ...fx.newCustomer, externalRef });
    expect(created).toMatchObject({ externalRef, name: fx.newCustomer.name });
    expect(created.id).toMatch(/\S/);
    const [account] = await connector.getCustomers([created.id]);
    expect(account).not.toBeInstanceOf(Error);
    const read = account as CustomerAccount;
    expect(read.name).toBe(fx.newCustomer.name);
    // The registration's contact is the account's primary contact (who may become its admin).
    expect(read.primaryContact).toBe(fx.newCustomer.contact.email);
    expect(read.priceListId).toBe(fx.expectedPriceListId);
    expect(read.shipTos).toHaveLength(fx.newCustomer.addresses.length);
    const first = fx.newCustomer.addresses[0]!;
    const shipTo = read.shipTos.find((s) => s.isDefault);
    expect(shipTo).toMatchObject({ line1: first.line1, city: first.city, postalCode: first.postalCode, country: first.country });
  });

  it('findCustomerByExternalRef finds the account created with a reference, once, and null for any other', async () => {
    const { connector, fx } = setup();
    const externalRef = newExternalRef();
    // What settles a create whose reply was lost: the lookup finds it, so nothing is sent again.
    const created = await connector.createCustomer({ ...fx.newCustomer, externalRef });
    expect(await connector.findCustomerByExternalRef(externalRef)).toEqual(created);
    expect(await connector.findCustomerByExternalRef(newExternalRef())).toBeNull();
  });

  it('createCustomer refuses a price list the ERP does not have with ERP_REJECTED, creating nothing', async () => {
    const { connector, fx } = setup();
    const externalRef = newExternalRef();
    const error = await connector.createCustomer({ ...fx.newCustomer, externalRef, priceListId: fx.unknownPriceListId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpError);
    expect(error).toMatchObject({ code: 'ERP_REJECTED', reason: 'UNKNOWN_PRICE_LIST', operation: 'createCustomer' });
    expect(await connector.findCustomerByExternalRef(externalRef)).toBeNull();
  });

  (canStop ? it : () => {})('createCustomer and findCustomerByExternalRef reject with a transient error while the ERP is down', async () => {
    const { connector, fx } = setup();
    const outage = suite.outage()!;
    const externalRef = newExternalRef();
    await outage(true);
    try {
      const error = await connector.createCustomer({ ...fx.newCustomer, externalRef }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ERP_UNAVAILABLE', transient: true });
      await expect(connector.findCustomerByExternalRef(externalRef)).rejects.toMatchObject({ code: 'ERP_UNAVAILABLE' });
    } finally {
      await outage(false);
    }
    expect(await connector.findCustomerByExternalRef(externalRef)).toBeNull();
  });
}
