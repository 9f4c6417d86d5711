/**
 * New customers over HTTP: a signed-in user of no company registers one, operations approve it,
 * and the sandbox ERP gets exactly one customer, even when the reply to the first create is lost
 * or the ERP is down at approval; the applicant, with a token of the new customer, then sees
 * their prices from the default price list. Who may do what, and bad input, answered without a 500.
 * erpfront and the sandbox each run as their own process (embedded backends: SQLite).
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../scripts/sign-token.ts';
import { eventually } from '../support/orders.ts';
import { startStack, type GraphQLAnswer, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ NEW_CUSTOMER_PRICE_LIST: 'PL-DISTRIBUTOR', NEW_CUSTOMER_PAYMENT_TERMS: 'NET30', BREAKER_COOLDOWN_SECONDS: '1' });
});
afterAll(() => stack?.close());

const REGISTER = /* GraphQL */ `mutation Register($input: RegisterCompanyInput!) {
  registerCompany(input: $input) { application { id status applicant contact { subject } } userErrors { code message field } }
}`;
const APPROVE = /* GraphQL */ `mutation Approve($id: ID!) {
  approveCompanyApplication(id: $id) { application { id status reviewedBy } userErrors { code message } }
}`;
const REJECT = /* GraphQL */ `mutation Reject($id: ID!, $reason: String!) {
  rejectCompanyApplication(id: $id, reason: $reason) { application { id status rejectionReason } userErrors { code message } }
}`;
const APPLICATIONS = /* GraphQL */ `query Applications($status: CompanyApplicationStatus, $first: Int, $after: String) {
  companyApplications(status: $status, first: $first, after: $after) {
    edges { cursor node { id status customerId attempts lastError companyName } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const MINE = /* GraphQL */ `{ myCompanyApplications { id status customerId rejectionReason lastError } }`;
const PRICES = /* GraphQL */ `query($skus: [ID!]!) {
  viewer { customer { id name } }
  products(skus: $skus) { sku price { unitPrice { amount currency } source } }
}`;

/** What an identity provider issues a user who signed up: a subject, nothing else. */
async function applicantToken(subject: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(stack.secret));
}

function company(name: string, taxId = `TAX-${Math.random().toString(36).slice(2, 10)}`) {
  return {
    companyName: name,
    taxId,
    addresses: [
      { name: 'Head office', line1: '1007 Mountain Dr', city: 'Gotham', region: 'NJ', postalCode: '07001', country: 'us' },
      { line1: '1 Industrial Pkwy', line2: 'Dock 4', city: 'Newark', postalCode: '07102', country: 'US' },
    ],
    contact: { name: 'Lucius Fox', email: 'lucius@wayne.example' },
  };
}

async function register(subject: string, name: string): Promise<{ id: string; token: string }> {
  const token = await applicantToken(subject);
  const answer = await stack.graphql(REGISTER, { input: company(name) }, { token });
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data.registerCompany.userErrors).toEqual([]);
  expect(answer.body.data.registerCompany.application).toMatchObject({ status: 'SUBMITTED', applicant: subject, contact: { subject } });
  return { id: answer.body.data.registerCompany.application.id, token };
}

async function approve(id: string) {
  const answer = await stack.graphql(APPROVE, { id }, { token: await stack.opsToken() });
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data.approveCompanyApplication.userErrors).toEqual([]);
  return answer.body.data.approveCompanyApplication.application;
}

interface ApplicationNode {
  id: string;
  status: string;
  customerId: string | null;
  attempts: number;
  lastError: string | null;
}

async function application(id: string): Promise<ApplicationNode> {
  let after: string | null = null;
  for (;;) {
    const answer: GraphQLAnswer = await stack.graphql(APPLICATIONS, { first: 100, after }, { token: await stack.opsToken() });
    const page: { edges: Array<{ node: ApplicationNode }>; pageInfo: { hasNextPage: boolean; endCursor: string } } = answer.body.data.companyApplications;
    const found = page.edges.find((e) => e.node.id === id);
    if (found) return found.node;
    if (!page.pageInfo.hasNextPage) throw new Error(`no application ${id}`);
    after = page.pageInfo.endCursor;
  }
}

const created = (id: string) =>
  eventually(
    () => application(id),
    (a) => a.status === 'CREATED',
    30_000,
  );

/** The sandbox's accounts created with this reference: what "exactly one customer" is counted on. */
async function erpAccounts(externalRef: string): Promise<Array<{ id: string }>> {
  const response = await fetch(`${stack.sandbox.url}/api/v1/accounts?externalRef=${encodeURIComponent(externalRef)}`);
  return ((await response.json()) as { value: Array<{ id: string }> }).value;
}

describe('a registration approved by operations', () => {
  it('creates exactly one customer, and the applicant then sees their own prices from the default price list', async () => {
    const { id } = await register('new-user-1', 'Wayne Fabrication LLC');
    expect((await approve(id)).status).toBe('APPROVED');
    const done = await created(id);
    const accounts = await erpAccounts(id);
    expect(accounts).toHaveLength(1);
    expect(done.customerId).toBe(accounts[0]!.id);

    const token = await signToken({ secret: stack.secret, roles: ['buyer'], customerId: done.customerId!, subject: 'new-user-1' });
    const skus = Array.from({ length: 10 }, (_, i) => `SKU-${String(i + 1).padStart(5, '0')}`);
    const prices = await stack.graphql(PRICES, { skus }, { token });
    expect(prices.body.errors).toBeUndefined();
    expect(prices.body.data.viewer.customer).toEqual({ id: done.customerId, name: 'Wayne Fabrication LLC' });
    const sources = prices.body.data.products.map((p: { price: { source: string } }) => p.price.source);
    expect(sources).toContain('PRICE_LIST');
    expect(sources).not.toContain('CONTRACT');
    for (const p of prices.body.data.products) expect(p.price.unitPrice.currency).toBe('USD');
    // ... and administers the new company (the company directory: made its ADMIN, buying too).
    const company = await stack.graphql('{ viewer { company { id me { subject roles } } } }', {}, { token });
    expect(company.body.data.viewer.company).toEqual({ id: done.customerId, me: { subject: 'new-user-1', roles: ['ADMIN', 'BUYER'] } });

    // The applicant follows it with their own token.
    const mine = await stack.graphql(MINE, {}, { token: await applicantToken('new-user-1') });
    expect(mine.body.data.myCompanyApplications).toEqual([{ id, status: 'CREATED', customerId: done.customerId, rejectionReason: null, lastError: null }]);
  });

  it('creates exactly one customer when the reply to the first create is lost after the ERP committed it', async () => {
    const { id } = await register('new-user-2', 'Stark Machine Works Inc.');
    const before = await stack.stats();
    await stack.faults({ dropResponseAfterCommit: 1 });
    await approve(id);
    const done = await created(id);
    const accounts = await erpAccounts(id);
    expect(accounts).toHaveLength(1);
    expect(done.customerId).toBe(accounts[0]!.id);
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const after = await stack.stats();
    // One create (whose reply was lost), then the lookup that found it: never a second create.
    expect(after.byOperation.createCustomer! - (before.byOperation.createCustomer ?? 0)).toBe(1);
    expect(after.byOperation.findCustomerByExternalRef! - (before.byOperation.findCustomerByExternalRef ?? 0)).toBeGreaterThanOrEqual(1);
  });

  it('stays APPROVED while the ERP is down at approval, and creates exactly one customer after it returns', async () => {
    const { id } = await register('new-user-3', 'Oscorp Automation Corp.');
    await stack.faults({ outage: true });
    try {
      await approve(id);
      const waiting = await eventually(
        () => application(id),
        (a) => a.attempts >= 2,
        20_000,
      );
      expect(waiting.status).toBe('APPROVED');
      expect(waiting.lastError).toMatch(/\S/);
    } finally {
      await stack.faults({ outage: false });
    }
    expect((await application(id)).status).toBe('APPROVED');
    const done = await created(id);
    const accounts = await erpAccounts(id);
    expect(accounts).toHaveLength(1);
    expect(done.customerId).toBe(accounts[0]!.id);
  });

  it('a rejected application is never created, and cannot be approved afterwards', async () => {
    const { id, token } = await register('new-user-4', 'Initrode Packaging LLC');
    const ops = await stack.opsToken();
    const rejected = await stack.graphql(REJECT, { id, reason: 'We could not verify the tax id.' }, { token: ops });
    expect(rejected.body.data.rejectCompanyApplication).toEqual({
      application: { id, status: 'REJECTED', rejectionReason: 'We could not verify the tax id.' },
      userErrors: [],
    });
    const again = await stack.graphql(APPROVE, { id }, { token: ops });
    expect(again.body.data.approveCompanyApplication.userErrors[0].code).toBe('INVALID_APPLICATION_STATE');
    expect((await stack.graphql(MINE, {}, { token })).body.data.myCompanyApplications[0]).toMatchObject({ status: 'REJECTED' });
    expect(await erpAccounts(id)).toEqual([]);
  });
});

describe('who may register and review', () => {
  it('only operations approve, reject or list: a buyer, a rep and the applicant are refused', async () => {
    const { id } = await register('new-user-5', 'Cyberdyne Systems LLC');
    const others = [await stack.buyerToken('C0001'), await stack.repToken('R01'), await applicantToken('new-user-5')];
    for (const token of others) {
      for (const [query, variables] of [
        [APPROVE, { id }],
        [REJECT, { id, reason: 'no' }],
        [APPLICATIONS, {}],
      ] as const) {
        const answer = await stack.graphql(query, variables, { token });
        expect(answer.status).toBe(200);
        expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    }
    expect((await application(id)).status).toBe('SUBMITTED');
  });

  it('only a user of no company registers: a buyer, a rep and operations are refused', async () => {
    for (const token of [await stack.buyerToken('C0001'), await stack.repToken('R01'), await stack.opsToken()]) {
      const answer = await stack.graphql(REGISTER, { input: company('Acme Again Inc.') }, { token });
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(answer.body.errors[0].message).toMatch(/belongs to no company/);
    }
    // The explicit role works as the bare token does.
    const explicit = await signToken({ secret: stack.secret, roles: ['applicant'], subject: 'new-user-6' });
    const answer = await stack.graphql(REGISTER, { input: company('Explicit Applicant GmbH') }, { token: explicit });
    expect(answer.body.data.registerCompany.userErrors).toEqual([]);
  });

  it('without a token there is no registering', async () => {
    const answer = await stack.graphql(REGISTER, { input: company('Anonymous LLC') }, { token: null });
    expect(answer.status).toBe(401);
  });
});

describe('bad input', () => {
  it('answers userErrors naming each field, and stores nothing', async () => {
    const token = await applicantToken('new-user-7');
    const input = {
      companyName: ' ',
      taxId: 'x'.repeat(100),
      addresses: [{ line1: 'a\u0000b', city: 'C', postalCode: 'P', country: 'USA' }],
      contact: { name: 'N', email: 'not-an-email' },
    };
    const answer = await stack.graphql(REGISTER, { input }, { token });
    expect(answer.status).toBe(200);
    const errors = answer.body.data.registerCompany.userErrors as Array<{ code: string; field: string[] }>;
    expect(errors.map((e) => e.field.join('.')).sort()).toEqual(['addresses.0.country', 'addresses.0.line1', 'companyName', 'contact.email', 'taxId']);
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set(['INVALID_INPUT']));
    expect(answer.body.data.registerCompany.application).toBeNull();
    expect((await stack.graphql(MINE, {}, { token })).body.data.myCompanyApplications).toEqual([]);

    const none = await stack.graphql(REGISTER, { input: { ...company('No Address Co.'), addresses: [] } }, { token });
    expect(none.body.data.registerCompany.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['addresses'] });
    const many = await stack.graphql(REGISTER, { input: { ...company('Many Co.'), addresses: Array(11).fill(company('x').addresses[0]) } }, { token });
    expect(many.body.data.registerCompany.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['addresses'] });
  });

  it('answers 400 for input of the wrong shape, and bad ids, reasons and cursors without a 500', async () => {
    const token = await applicantToken('new-user-8');
    const shapeless = await stack.graphql(REGISTER, { input: { companyName: 'X' } }, { token });
    expect(shapeless.status).toBe(400);
    const ops = await stack.opsToken();
    const unknown = await stack.graphql(APPROVE, { id: 'app-nope' }, { token: ops });
    expect(unknown.body.data.approveCompanyApplication.userErrors[0].code).toBe('APPLICATION_NOT_FOUND');
    const blank = await stack.graphql(REJECT, { id: 'app-nope', reason: '  ' }, { token: ops });
    expect(blank.body.data.rejectCompanyApplication.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT' });
    const cursor = await stack.graphql(APPLICATIONS, { after: 'garbage' }, { token: ops });
    expect(cursor.body.errors[0].extensions.code).toBe('INVALID_ARGUMENT');
    const first = await stack.graphql(APPLICATIONS, { first: 100_000 }, { token: ops });
    expect(first.body.errors[0].extensions.code).toBe('INVALID_ARGUMENT');
  });

  it('bounds what one user has waiting: the same tax id twice, then too many at once', async () => {
    const token = await applicantToken('new-user-9');
    const first = await stack.graphql(REGISTER, { input: company('Dup One LLC', 'DE-1234') }, { token });
    expect(first.body.data.registerCompany.userErrors).toEqual([]);
    const dup = await stack.graphql(REGISTER, { input: company('Dup Two LLC', 'de-1234') }, { token });
    expect(dup.body.data.registerCompany.userErrors[0]).toMatchObject({ code: 'DUPLICATE_APPLICATION', field: ['taxId'] });
    for (const n of [2, 3])
      expect((await stack.graphql(REGISTER, { input: company(`Co ${n} LLC`) }, { token })).body.data.registerCompany.userErrors).toEqual([]);
    const fourth = await stack.graphql(REGISTER, { input: company('Co 4 LLC') }, { token });
    expect(fourth.body.data.registerCompany.userErrors[0].code).toBe('TOO_MANY_OPEN_APPLICATIONS');
  });
});
