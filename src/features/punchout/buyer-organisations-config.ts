/**
 * PunchOut buyer organisations, from a JSON file (`PUNCHOUT_BUYERS_FILE`), validated at start:
 * every problem is reported at once with where it is, before erpfront serves anything.
 *
 * ```json
 * [{ "id": "acme", "name": "ACME Corp", "customerId": "C0001",
 *    "allowedReturnHosts": ["acme.coupahost.com"],
 *    "cxml": { "from": [{ "domain": "NetworkID", "identity": "AN01000000001" }],
 *              "to": [{ "domain": "DUNS", "identity": "123456789" }],
 *              "sender": [{ "domain": "NetworkID", "identity": "AN01000000001" }],
 *              "sharedSecret": "…", "version": "1.2.014", "formEncoding": "cxml-base64",
 *              "orderStatusUrl": "https://acme.coupahost.com/cxml/order_status",
 *              "eInvoices": true },
 *    "oci": { "logins": [{ "username": "acme", "password": "…" }] } }]
 * ```
 *
 * @module
 */
import { z } from 'zod';
import type { BuyerOrganisation } from './domain/buyer-organisation.ts';
import { ConfigError } from '../../config/env.ts';

const credential = z.object({
  domain: z.string().trim().min(1, { message: 'a credential needs a domain (e.g. NetworkID, DUNS)' }),
  identity: z.string().trim().min(1, { message: 'a credential needs an identity' }),
});
const credentials = z.array(credential).min(1, { message: 'expected at least one credential' });
const httpUrl = z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' });

const BuyerSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'expected 1-64 letters, digits, . _ -' }),
    name: z.string().min(1),
    customerId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'expected an ERP customer id such as C0001' }),
    allowedReturnHosts: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .regex(/^[a-z0-9._-]+$|^\[[0-9a-f:]+\]$/, { message: 'expected a host name such as buyer.example (no scheme, no port)' }),
      )
      .min(1),
    unitMap: z.record(z.string(), z.string().min(1).max(3)).default({}),
    cxml: z
      .object({
        from: credentials,
        to: credentials,
        sender: credentials,
        // Real buyers' test accounts use short secrets ("test"); production accounts need 16+ (below).
        sharedSecret: z.string().min(4, { message: 'expected a shared secret of at least 4 characters (16 for a production account)' }),
        version: z
          .string()
          .regex(/^1\.2\.0\d\d$/, { message: 'expected a cXML 1.2 version such as 1.2.014' })
          .default('1.2.014'),
        fulfillVersion: z
          .string()
          .regex(/^1\.2\.0\d\d$/, { message: 'expected a cXML 1.2 version such as 1.2.050' })
          .default('1.2.050'),
        formEncoding: z.enum(['cxml-urlencoded', 'cxml-base64']).default('cxml-urlencoded'),
        deploymentMode: z.enum(['production', 'test']).default('production'),
        orderStatusUrl: httpUrl.optional(),
        // E-invoices go where the order notices go: without that URL there is nowhere to send them.
        eInvoices: z.boolean().default(false),
      })
      .refine((c) => !c.eInvoices || c.orderStatusUrl !== undefined, {
        message: 'eInvoices needs orderStatusUrl: InvoiceDetailRequest documents are posted there',
        path: ['eInvoices'],
      })
      .optional(),
    oci: z
      .object({
        logins: z
          .array(z.object({ username: z.string().min(1), password: z.string().min(8, { message: 'expected a password of at least 8 characters' }) }))
          .default([]),
        tokens: z.array(z.string().min(16, { message: 'expected a token of at least 16 characters' })).default([]),
      })
      .optional(),
  })
  .refine((b) => b.cxml || b.oci, { message: 'configure cxml, oci, or both' });

/** The shortest shared secret a production cXML account may have. */
export const MIN_PRODUCTION_SECRET = 16;

const BuyersSchema = z.array(BuyerSchema).superRefine((buyers, ctx) => {
  const seen = new Set<string>();
  const logins = new Set<string>();
  buyers.forEach((b, i) => {
    if (seen.has(b.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `buyer id ${b.id} is used twice` });
    // A short secret is guessable online; only buyers' test accounts (deploymentMode "test") keep them.
    if (b.cxml?.deploymentMode === 'production' && b.cxml.sharedSecret.length < MIN_PRODUCTION_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'cxml', 'sharedSecret'],
        message: `buyer ${b.id} is a production account (deploymentMode production, the default): its shared secret needs at least ${MIN_PRODUCTION_SECRET} characters; agree a random one of 20+ with the buyer (short secrets are for "test" accounts)`,
      });
    }
    seen.add(b.id);
    for (const login of b.oci?.logins ?? []) {
      if (logins.has(login.username)) ctx.addIssue({ code: 'custom', path: [i, 'oci', 'logins'], message: `OCI user ${login.username} belongs to two buyers` });
      logins.add(login.username);
    }
  });
});

/**
 * Parses the buyers file's text.
 * @throws {ConfigError} listing every problem, each with its JSON path (secrets are never echoed)
 */
export function parseBuyerOrganisations(json: string, source = 'PUNCHOUT_BUYERS_FILE'): BuyerOrganisation[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new ConfigError([`${source}: not valid JSON (${(error as Error).message})`]);
  }
  const parsed = BuyersSchema.safeParse(data);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${source}: [${issue.path.join('.')}] ${issue.message}`));
  }
  return parsed.data as BuyerOrganisation[];
}

/**
 * The demo buyer of `npm start`, documented in the README like a payment provider's test keys:
 * known to everyone, so never configure it on a server reachable by others.
 */
export const DEMO_BUYERS: BuyerOrganisation[] = parseBuyerOrganisations(
  JSON.stringify([
    {
      id: 'demo-buyer',
      name: 'Demo Buyer (cXML)',
      customerId: 'C0001',
      allowedReturnHosts: ['localhost', '127.0.0.1', 'buyer.example'],
      cxml: {
        from: [{ domain: 'NetworkID', identity: 'AN-DEMO-BUYER' }],
        to: [{ domain: 'DUNS', identity: 'erpfront-demo' }],
        sender: [{ domain: 'NetworkID', identity: 'AN-DEMO-BUYER' }],
        sharedSecret: 'demo-shared-secret',
      },
    },
    {
      id: 'demo-oci-buyer',
      name: 'Demo Buyer (SAP OCI)',
      customerId: 'C0002',
      allowedReturnHosts: ['localhost', '127.0.0.1', 'buyer.example'],
      oci: { logins: [{ username: 'demo-oci', password: 'demo-oci-password' }] },
    },
  ]),
  'DEMO_BUYERS',
);
