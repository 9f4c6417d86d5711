/**
 * New customers on the scale-out backends: two erpfront processes share one Redis in front of one
 * sandbox ERP. A company registered on one instance and approved on the other is created in the
 * ERP exactly once, though the reply to the first create is lost and the ERP then goes down for a
 * while: every instance's dispatcher leases from the one outbox, and the one that takes it over
 * looks the customer up by its reference before sending again.
 */
import { signToken } from '../../scripts/sign-token.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/orders.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';

const available = redisServerAvailable('scale-out-registration');
let scale: ScaleOut;

const REGISTER = /* GraphQL */ `mutation($input: RegisterCompanyInput!) { registerCompany(input: $input) { application { id } userErrors { code } } }`;
const APPROVE = /* GraphQL */ `mutation($id: ID!) { approveCompanyApplication(id: $id) { application { status } userErrors { code } } }`;
const MINE = /* GraphQL */ `{ myCompanyApplications { id status customerId } }`;

describe.skipIf(!available)('scale-out: new customers through a shared outbox', () => {
  beforeAll(async () => {
    scale = await startScaleOut(2, { BREAKER_COOLDOWN_SECONDS: '1', NEW_CUSTOMER_PRICE_LIST: 'PL-OEM' });
  }, 90_000);
  afterAll(() => scale?.close());

  it('registered on one instance, approved on the other: one customer, though the first reply is lost and the ERP goes down', async () => {
    const applicant = await signToken({ secret: scale.secret, roles: ['applicant'], subject: 'scale-user' });
    const input = {
      companyName: 'Tyrell Packaging Corp.',
      taxId: '98-7654321',
      addresses: [{ line1: '2019 Spinner Way', city: 'Los Angeles', region: 'CA', postalCode: '90012', country: 'US' }],
      contact: { name: 'Eldon', email: 'eldon@tyrell.example' },
    };
    const registered = await scale.stack(0).graphql(REGISTER, { input }, { token: applicant });
    expect(registered.body.data.registerCompany.userErrors).toEqual([]);
    const id = registered.body.data.registerCompany.application.id as string;

    await scale.faults({ dropResponseAfterCommit: 1, latencyMs: 300 });
    const approved = await scale.stack(1).graphql(APPROVE, { id }, { token: await scale.opsToken() });
    expect(approved.body.data.approveCompanyApplication).toEqual({ application: { status: 'APPROVED' }, userErrors: [] });
    // The lost reply comes back as a failure after the commit; the ERP is then down for a while.
    await new Promise((r) => setTimeout(r, 500));
    await scale.faults({ outage: true });
    await new Promise((r) => setTimeout(r, 2000));
    await scale.faults({ outage: false, latencyMs: 0 });

    const mine = await eventually(
      async () => (await scale.stack(0).graphql(MINE, {}, { token: applicant })).body.data.myCompanyApplications[0] as { status: string; customerId: string },
      (a) => a.status === 'CREATED',
      30_000,
    );
    const accounts = (await (await fetch(`${scale.sandbox.url}/api/v1/accounts?externalRef=${id}`)).json()) as { value: Array<{ id: string }> };
    expect(accounts.value.map((a) => a.id)).toEqual([mine.customerId]);
    const stats = (await (await fetch(`${scale.sandbox.url}/__control/stats`)).json()) as { byOperation: Record<string, number> };
    expect(stats.byOperation.createCustomer).toBe(1);

    const buyer = await scale.buyerToken(mine.customerId);
    const prices = await scale.stack(1).graphql(`{ viewer { customer { id priceListId } } }`, {}, { token: buyer });
    expect(prices.body.data.viewer.customer).toEqual({ id: mine.customerId, priceListId: 'PL-OEM' });
  });
});
