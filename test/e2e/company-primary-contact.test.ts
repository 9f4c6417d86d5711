/**
 * A company's first admin from the ERP: while a company has no admin, the buyer whose subject is
 * the ERP account's primary contact (the sandbox's `purchasing@<company>.example`) is made its
 * admin on first sight; nobody else is for being first, and once an admin exists it stays in
 * charge. Embedded erpfront (SQLite) in front of the sandbox ERP, over HTTP with real tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../scripts/sign-token.ts';
import { eventually } from '../support/orders.ts';
import { startStack, type Stack } from '../support/stack.ts';

const ME = /* GraphQL */ `query { viewer { company { id me { subject roles } } } }`;
const BUYERS = /* GraphQL */ `query { viewer { company { buyers { subject roles orderLimit { amount } } } } }`;
const SET_BUYER = /* GraphQL */ `mutation($input: SetCompanyBuyerInput!) { setCompanyBuyer(input: $input) { buyer { subject roles orderLimit { amount } } userErrors { code } } }`;

let stack: Stack;

const as = async (customerId: string, subject: string, query: string, variables: Record<string, unknown> = {}) =>
  stack.graphql(query, variables, { token: await signToken({ secret: stack.secret, roles: ['buyer'], customerId, subject }) });
const rolesOf = async (customerId: string, subject: string): Promise<string[]> => {
  const answer = await as(customerId, subject, ME);
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data.viewer.company.me.subject).toBe(subject);
  return answer.body.data.viewer.company.me.roles;
};
const getCustomersCalls = async () => (await stack.stats()).byOperation.getCustomers ?? 0;

/** The ops console's audit log page, read as an operator (an ops token's session). */
async function auditPage(): Promise<string> {
  const base = stack.erpfront.url;
  const login = await fetch(`${base}/ops/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ token: await stack.opsToken() }).toString(),
  });
  const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
  return (await fetch(`${base}/ops/audit`, { headers: { cookie } })).text();
}

describe("the ERP's primary contact as a company's first admin", () => {
  beforeAll(async () => {
    stack = await startStack({ BREAKER_COOLDOWN_SECONDS: '1' });
  }, 60_000);
  afterAll(() => stack?.close());

  it('with the ERP down the primary contact is answered with the default role, and made admin on a later sight once it is back', async () => {
    // C0003's account is read by nobody before this: the cache cannot answer for the ERP.
    const contact = 'purchasing@initech-facilities.example';
    await stack.faults({ outage: true });
    try {
      expect(await rolesOf('C0003', contact)).toEqual(['BUYER']);
    } finally {
      await stack.faults({ outage: false });
    }
    const roles = await eventually(
      () => rolesOf('C0003', contact),
      (r) => r.includes('ADMIN'),
    );
    expect(roles).toEqual(['ADMIN', 'BUYER']);
  });

  it('another buyer seen first stays BUYER; the primary contact (any letter case) is made ADMIN on their first request and changes that buyer', async () => {
    expect(await rolesOf('C0001', 'bo@acme.example')).toEqual(['BUYER']);
    expect(await rolesOf('C0001', 'bo@acme.example')).toEqual(['BUYER']);
    const contact = 'Purchasing@Acme-Fabrication.example';
    expect(await rolesOf('C0001', contact)).toEqual(['ADMIN', 'BUYER']);

    const changed = (await as('C0001', contact, SET_BUYER, { input: { subject: 'bo@acme.example', roles: ['BUYER', 'APPROVER'], orderLimit: '750' } })).body
      .data.setCompanyBuyer;
    expect(changed).toEqual({ buyer: { subject: 'bo@acme.example', roles: ['APPROVER', 'BUYER'], orderLimit: { amount: '750.00' } }, userErrors: [] });
    const buyers = (await as('C0001', contact, BUYERS)).body.data.viewer.company.buyers;
    expect(buyers).toEqual(
      expect.arrayContaining([
        { subject: contact, roles: ['ADMIN', 'BUYER'], orderLimit: null },
        { subject: 'bo@acme.example', roles: ['APPROVER', 'BUYER'], orderLimit: { amount: '750.00' } },
      ]),
    );
    // A buyer of another company whose subject is C0001's contact is nobody in C0001.
    expect(await rolesOf('C0002', contact)).toEqual(['BUYER']);

    const audit = await auditPage();
    expect(audit).toContain('erp:primary-contact');
    expect(audit).toContain(`C0001/${contact}`);
  });

  it('once a company has an admin, its primary contact seen later is not promoted', async () => {
    const made = await stack.graphql(
      SET_BUYER,
      { input: { subject: 'boss@vandelay.example', roles: ['ADMIN'] } },
      { token: await stack.opsToken(), headers: { 'x-customer-id': 'C0005' } },
    );
    expect(made.body.data.setCompanyBuyer.userErrors).toEqual([]);
    const contact = 'purchasing@vandelay-industries.example';
    expect(await rolesOf('C0005', contact)).toEqual(['BUYER']);
    // A fresh process knows only what the directory holds (not that it saw the designation).
    await stack.crashAndRestartErpfront();
    expect(await rolesOf('C0005', contact)).toEqual(['BUYER']);
    const refused = await as('C0005', contact, SET_BUYER, { input: { subject: contact, roles: ['ADMIN'] } });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('checking for the primary contact costs no ERP call once the account is cached', async () => {
    // C0006 has no admin: every buyer seen is compared with its primary contact.
    expect(await rolesOf('C0006', 'hans@stahlwerk.example')).toEqual(['BUYER']);
    const before = await getCustomersCalls();
    expect(await rolesOf('C0006', 'grete@stahlwerk.example')).toEqual(['BUYER']);
    expect(await rolesOf('C0006', 'purchasing@stahlwerk-nord.example')).toEqual(['ADMIN', 'BUYER']);
    expect(await getCustomersCalls()).toBe(before);
  });
});
