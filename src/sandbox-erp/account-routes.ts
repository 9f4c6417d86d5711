/**
 * The sandbox ERP's account API: `POST /accounts` creates a customer account (a company
 * registration erpfront approved), `GET /accounts?externalRef=` finds the accounts created with a
 * reference. The new account is a customer like the generated ones (`GET /customers`, prices by
 * its price list), numbered on from the data set (`C0201`, ...).
 *
 * Like its orders, the sandbox enters the same reference twice as two accounts unless it was
 * started with its duplicate check (`uniqueExternalRefs`: 409 `DUPLICATE_EXTERNAL_REF`). The
 * general faults apply in front; `dropResponseAfterCommit` loses the reply after the commit.
 *
 * @module
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Address, CustomerAccount, NewCustomerRequest } from '../ports/erp-connector.ts';
import { badRequest } from './api.ts';
import { CUSTOMER_COUNT, TERMS } from './customers.ts';
import { describeIssue, type FaultState, type SandboxVariables } from './faults.ts';
import type { LiveData } from './live-data.ts';
import { loseReply } from './lost-reply.ts';
import { PRICE_LISTS } from './pricing.ts';
import { key } from './prng.ts';

/** Terms of an account created without any (`paymentTermsCode: null`). */
const DEFAULT_TERMS = 'NET30';

const text = (max: number) => z.string({ error: 'expected a string' }).max(max, { error: `at most ${max} characters` });
const required = (max: number) => text(max).regex(/\S/, { error: 'expected a non-empty string' });

const AddressSchema = z.object({
  name: text(100),
  line1: required(200),
  line2: text(200).nullable(),
  city: required(100),
  region: text(100).nullable(),
  postalCode: required(20),
  country: z.string().regex(/^[A-Z]{2}$/, { error: 'expected an ISO 3166-1 alpha-2 country code' }),
});

/** The body of `POST /accounts`: the port's `NewCustomerRequest`. */
export const NewCustomerSchema = z.object({
  externalRef: required(100),
  name: required(200),
  taxId: required(50),
  addresses: z.array(AddressSchema).min(1, { error: 'expected at least one address' }).max(20, { error: 'at most 20 addresses' }),
  contact: z.object({ name: required(200), email: required(254) }),
  priceListId: required(40).nullable(),
  paymentTermsCode: required(40).nullable(),
}) satisfies z.ZodType<NewCustomerRequest>;

/** An account created here, with the reference it was created with. */
interface CreatedAccount {
  externalRef: string;
  account: CustomerAccount;
}

/** What `POST /accounts` answers and `GET /accounts` lists. */
function created({ externalRef, account }: CreatedAccount) {
  return { id: account.id, externalRef, name: account.name };
}

/** The account routes over the sandbox's live data; `reset` (control) forgets the accounts. */
export function accountRoutes(live: LiveData, faults: FaultState): { api: Hono<{ Variables: SandboxVariables }>; reset(): void } {
  const api = new Hono<{ Variables: SandboxVariables }>();
  let accounts: CreatedAccount[] = [];

  api.post('/accounts', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return badRequest(c, 'body: expected a JSON object (a new customer account)');
    }
    const parsed = NewCustomerSchema.safeParse(body);
    if (!parsed.success) return badRequest(c, describeIssue(parsed.error));
    const request = parsed.data;

    if (faults.current().uniqueExternalRefs) {
      const existing = accounts.find((a) => a.externalRef === request.externalRef);
      if (existing) {
        return c.json(
          {
            error: `An account with external reference ${request.externalRef} exists already (${existing.account.id})`,
            reason: 'DUPLICATE_EXTERNAL_REF',
            id: existing.account.id,
          },
          409,
        );
      }
    }
    const priceList = request.priceListId === null ? null : PRICE_LISTS.find((p) => p.id === request.priceListId);
    if (priceList === undefined) return c.json({ error: `No price list ${request.priceListId}`, reason: 'UNKNOWN_PRICE_LIST' }, 422);
    const terms = TERMS[request.paymentTermsCode ?? DEFAULT_TERMS];
    if (!terms) return c.json({ error: `No payment terms ${request.paymentTermsCode}`, reason: 'UNKNOWN_PAYMENT_TERMS' }, 422);

    const id = key('C', CUSTOMER_COUNT + accounts.length + 1, 4);
    const shipTos: Address[] = request.addresses.map((a, i) => ({ id: `${id}-ST${i + 1}`, ...a, isDefault: i === 0 }));
    const account: CustomerAccount = {
      id,
      name: request.name,
      currency: priceList?.currency ?? 'USD',
      priceListId: priceList?.id ?? null,
      hasContractPrices: false,
      paymentTerms: { ...terms },
      poRequired: false,
      shipTos,
      // A new account buys nothing on account until credit control sets it a limit.
      credit: { limit: '0.00', balance: '0.00', openOrders: '0.00', onHold: false, holdReason: null },
      // The registration's contact is who the ERP writes to about the account.
      primaryContact: request.contact.email,
    };
    live.addCustomer(account);
    const entry = { externalRef: request.externalRef, account };
    accounts = [...accounts, entry];

    // The account is committed; now the reply may go missing.
    if (faults.takeDrop()) return loseReply(c, 'account');
    return c.json(created(entry), 201);
  });

  api.get('/accounts', (c) => {
    const externalRef = c.req.query('externalRef');
    if (externalRef === undefined || externalRef.trim() === '') return badRequest(c, 'externalRef: expected a non-empty reference');
    return c.json({ value: accounts.filter((a) => a.externalRef === externalRef).map(created) });
  });

  return {
    api,
    reset: () => {
      accounts = [];
    },
  };
}
