/**
 * PunchOut test helpers: the buyer's side (a local HTTP endpoint that receives carts and order
 * notices), cXML documents as the demo buyer sends them, the form a browser would submit, and
 * DTD validation of every document erpfront produces with xmllint against the local DTDs.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Stack } from './stack.ts';

const root = new URL('../..', import.meta.url).pathname;
/** The fixtures beside the clone (CI has shared/ next to it, as here). */
export const FIXTURES = join(root, '../shared/fixtures');
const CATALOG = join(FIXTURES, 'cxml/dtd/catalog.xml');

/**
 * Whether the public fixtures (`../shared/fixtures`: real cXML samples, the cXML DTDs) sit beside
 * this clone. A clone on its own has none: the suites that read them skip, loudly; under CI=true
 * a missing fixture fails the run instead.
 */
export function fixturesAvailable(what: string): boolean {
  const found = existsSync(CATALOG);
  if (!found && process.env.CI === 'true') throw new Error(`${FIXTURES} is required under CI=true (${what})`);
  if (!found) console.warn(`\n*** ${FIXTURES} not found beside this clone: ${what} is SKIPPED ***\n`);
  return found;
}

/**
 * Whether DTD validation can run: xmllint installed and the cXML DTDs of the fixtures at hand.
 * Under CI=true a missing one fails the run instead of skipping.
 */
export function xmllintAvailable(): boolean {
  const found = spawnSync('xmllint', ['--version']).status === 0;
  if (!found && process.env.CI === 'true') throw new Error('xmllint is required under CI=true (apt-get install libxml2-utils)');
  if (!found) console.warn('\n*** xmllint not found: DTD validation of PunchOut documents is SKIPPED (apt-get install libxml2-utils) ***\n');
  return found && fixturesAvailable('DTD validation of PunchOut documents');
}

/** Validates `xml` against the DTD its DOCTYPE declares (resolved through the local catalog, no network). */
export function validateDtd(xml: string): { valid: boolean; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'cxml-')), 'doc.xml');
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--valid', file], { env: { ...process.env, XML_CATALOG_FILES: CATALOG }, encoding: 'utf8' });
  return { valid: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

export interface Received {
  path: string;
  contentType: string;
  body: string;
}

/** The buyer's procurement system: records every POST, answers cXML 200 (or `status` when set). */
export async function startBuyerEndpoint() {
  const received: Received[] = [];
  const state = { status: 200 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<?xml version="1.0"?><cXML payloadID="x@buyer" timestamp="2026-01-01T00:00:00+00:00"><Response><Status code="${state.status}" text="status"/></Response></cXML>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Writes a buyers file and returns its path. */
export function buyersFile(buyers: unknown[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'buyers-')), 'buyers.json');
  writeFileSync(file, JSON.stringify(buyers, null, 2));
  return file;
}

/** The README's demo buyer, with the order-status URL of a test endpoint. */
export function demoBuyer(orderStatusUrl?: string) {
  return {
    id: 'demo-buyer',
    name: 'Demo Buyer',
    customerId: 'C0001',
    allowedReturnHosts: ['localhost', '127.0.0.1', 'buyer.example'],
    cxml: {
      from: [{ domain: 'NetworkID', identity: 'AN-DEMO-BUYER' }],
      to: [{ domain: 'DUNS', identity: 'erpfront-demo' }],
      sender: [{ domain: 'NetworkID', identity: 'AN-DEMO-BUYER' }],
      sharedSecret: 'demo-shared-secret',
      orderStatusUrl,
    },
  };
}

export const DEMO_OCI_BUYER = {
  id: 'demo-oci-buyer',
  name: 'Demo OCI',
  customerId: 'C0002',
  allowedReturnHosts: ['localhost', '127.0.0.1', 'buyer.example'],
  oci: { logins: [{ username: 'demo-oci', password: 'demo-oci-password' }] },
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** A cXML Request from the demo buyer (sloppy on purpose: `NetworkId`, padded values). */
export function demoRequest(payload: string, options: { secret?: string; payloadId?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">
<cXML payloadID="${esc(options.payloadId ?? `${Date.now()}.${Math.random()}@buyer.example`)}" timestamp="2026-01-01T10:00:00-05:00" xml:lang="en-US">
<Header>
<From><Credential domain="NetworkId"><Identity> AN-DEMO-BUYER </Identity></Credential></From>
<To><Credential domain="duns"><Identity>erpfront-demo</Identity></Credential></To>
<Sender><Credential domain="NETWORKID"><Identity>AN-DEMO-BUYER</Identity><SharedSecret>${esc(options.secret ?? 'demo-shared-secret')}</SharedSecret></Credential><UserAgent>test buyer</UserAgent></Sender>
</Header>
<Request>${payload}</Request>
</cXML>`;
}

export function setupRequest(
  formPostUrl: string,
  options: { operation?: string; cookie?: string; items?: Array<{ sku: string; quantity: number; aux?: string }> } = {},
): string {
  const items = (options.items ?? [])
    .map(
      (i, n) =>
        `<ItemOut quantity="${i.quantity}" lineNumber="${n + 1}"><ItemID><SupplierPartID>${i.sku}</SupplierPartID>${i.aux ? `<SupplierPartAuxiliaryID>${i.aux}</SupplierPartAuxiliaryID>` : ''}</ItemID></ItemOut>`,
    )
    .join('');
  // Contact before BrowserFormPost, as Coupa sends it (element order is not enforced).
  return `<PunchOutSetupRequest operation="${options.operation ?? 'create'}"><BuyerCookie>${esc(options.cookie ?? 'cookie-1')}</BuyerCookie>
<Extrinsic name="UserEmail">jane@buyer.example</Extrinsic><Contact role="endUser"><Name xml:lang="en">Jane</Name></Contact>
<BrowserFormPost><URL>
  ${esc(formPostUrl)}
</URL></BrowserFormPost>${items}</PunchOutSetupRequest>`;
}

export interface OrderLine {
  sku: string;
  aux: string | null;
  quantity: number;
  unit: string;
  price: string;
  currency: string;
}

export function orderRequest(orderId: string, lines: OrderLine[], type = 'new'): string {
  const items = lines
    .map(
      (
        l,
        i,
      ) => `<ItemOut quantity="${l.quantity}" lineNumber="${i + 1}"><ItemID><SupplierPartID>${l.sku}</SupplierPartID>${l.aux ? `<SupplierPartAuxiliaryID>${l.aux}</SupplierPartAuxiliaryID>` : ''}</ItemID>
<ItemDetail><UnitPrice><Money currency="${l.currency}">${l.price}</Money></UnitPrice><Description xml:lang="en">x</Description><UnitOfMeasure>${l.unit}</UnitOfMeasure><Classification domain="UNSPSC">1</Classification></ItemDetail></ItemOut>`,
    )
    .join('\n');
  return `<OrderRequest><OrderRequestHeader orderID="${orderId}" orderDate="2026-01-01T10:00:00-05:00" type="${type}"><Total><Money currency="USD">1</Money></Total>
<BillTo><Address addressID="B1"><Name xml:lang="en">Buyer</Name></Address></BillTo></OrderRequestHeader>${items}</OrderRequest>`;
}

/** Where erpfront answers: a stack of processes, or any other erpfront (a Worker under wrangler). */
export type Site = Pick<Stack, 'erpfront'> | { erpfront: { url: string } };

export interface CxmlAnswer {
  httpStatus: number;
  body: string;
  code: number;
  text: string;
  detail: string;
}

/** Posts a document to erpfront's cXML endpoint and reads the Status of the answer. */
export async function postCxml(stack: Site, xml: string, contentType = 'text/xml; charset="UTF-8"'): Promise<CxmlAnswer> {
  const response = await fetch(`${stack.erpfront.url}/punchout/cxml`, { method: 'POST', headers: { 'content-type': contentType }, body: xml });
  const body = await response.text();
  const status = /<Status code="(\d+)" text="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/Status>)/.exec(body);
  return { httpStatus: response.status, body, code: Number(status?.[1]), text: status?.[2] ?? '', detail: unescapeHtml(status?.[3] ?? '') };
}

/** The StartPage URL of a PunchOutSetupResponse. */
export function startPageUrl(body: string): string | null {
  const match = /<StartPage>\s*<URL>([^<]+)<\/URL>/.exec(body);
  return match ? unescapeHtml(match[1]!) : null;
}

export function unescapeHtml(value: string): string {
  return value.replace(/&(#\d+|#x[0-9a-f]+|quot|amp|lt|gt|apos);/gi, (_, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    return ({ quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" } as Record<string, string>)[ref.toLowerCase()]!;
  });
}

/** What a browser would submit from the return page: the form's action and its hidden fields. */
export function readForm(html: string): { action: string; target: string; fields: Array<[string, string]> } {
  const form = /<form[^>]*action="([^"]*)"[^>]*target="([^"]*)"/.exec(html)!;
  const fields = [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(
    (m) => [unescapeHtml(m[1]!), unescapeHtml(m[2]!)] as [string, string],
  );
  return { action: unescapeHtml(form[1]!), target: unescapeHtml(form[2]!), fields };
}

/** Redeems a start URL's token for a session access token. */
export async function redeem(stack: Site, startUrl: string): Promise<{ status: number; body: any }> {
  const token = new URL(startUrl).searchParams.get('token');
  const response = await fetch(`${stack.erpfront.url}/punchout/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  return { status: response.status, body: await response.json() };
}

export const SESSION = /* GraphQL */ `{ punchOutSession { id protocol operation customerId lines { sku quantity } } }`;
export const SET_CART = /* GraphQL */ `mutation($lines: [PunchOutCartLineInput!]!) { setPunchOutCart(lines: $lines) { session { lines { sku quantity } } userErrors { code message } } }`;
export const RETURN_CART = /* GraphQL */ `mutation { returnPunchOutCart { html action target fields { name value } total { amount currency } lines { sku quantity unitPrice { amount currency } unitOfMeasure leadTimeDays } userErrors { code message } } }`;
export const PRICES = /* GraphQL */ `query($skus: [ID!]!, $q: Float) { products(skus: $skus) { sku price(quantity: $q) { unitPrice { amount currency } } } }`;
