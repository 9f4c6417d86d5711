/**
 * Every cXML request document in ../shared/fixtures/cxml/samples is parsed and answered, each
 * with a deliberate outcome (VALIDATION.md lists why some are invalid); and the XML safety
 * rules: no DTD or entity processing (XXE, billion laughs), a body size limit, a clear 400 for
 * malformed XML.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyersFile, demoBuyer, demoRequest, FIXTURES, fixturesAvailable, postCxml, startPageUrl, validateDtd, xmllintAvailable } from '../support/punchout.ts';
import { startStack, type Stack } from '../support/stack.ts';

const SAMPLES = join(FIXTURES, 'cxml/samples');
/**
 * Some samples authenticate with secrets too short for a production account (erpfront refuses
 * those at start): the accounts get the secret lengthened, and so do the documents, by this suffix.
 */
const LENGTHENED = ['password', 'jd8je3$ndP', 'test'];
const SUFFIX = '-lengthened-for-production';
const sample = (path: string) =>
  LENGTHENED.reduce(
    (xml, secret) => xml.replaceAll(`<SharedSecret>${secret}</SharedSecret>`, `<SharedSecret>${secret}${SUFFIX}</SharedSecret>`),
    readFileSync(join(SAMPLES, path), 'utf8'),
  );
const lengthen = (secret: string) => (LENGTHENED.includes(secret) ? `${secret}${SUFFIX}` : secret);
const hasXmllint = xmllintAvailable();
const hasSamples = fixturesAvailable('the real-world cXML samples');

/** Buyer accounts matching the samples' own credentials, as a supplier would configure them. */
const cred = (domain: string, identity: string) => ({ domain, identity });
const SAMPLE_BUYERS = [
  {
    id: 'perl',
    cxml: { from: [cred('TEST', 'remotehost')], to: [cred('TEST', 'localhost')], sender: [cred('TEST', 'remotehost')], sharedSecret: 'password' },
    hosts: ['example.com'],
  },
  // Jaggaer-bound, test mode; To carries two credentials (DUNS + internalsupplierid).
  {
    id: 'jaggaer',
    cxml: {
      from: [cred('NetworkID', 'shopper1')],
      to: [cred('internalsupplierid', '2468')],
      sender: [cred('TOPSNetworkUserId', 'JD555')],
      sharedSecret: 'z9y8x7w6',
      deploymentMode: 'test',
    },
    hosts: ['localhost'],
  },
  {
    id: 'cxml-php',
    cxml: {
      from: [cred('NetworkID', 'inbound@prominate-platform.com')],
      to: [cred('NetworkID', 'supplier@supplier.com')],
      sender: [cred('NetworkID', 'inbound@prominate-platform.com')],
      sharedSecret: 's3cr3t',
      deploymentMode: 'test',
    },
    hosts: ['prominate-platform.com'],
  },
  {
    id: 'hscheffknecht',
    cxml: { from: [cred('NetworkID', 'buyer')], to: [cred('DUNS', 'acme')], sender: [cred('NetworkID', 'buyer')], sharedSecret: 'jd8je3$ndP' },
    hosts: ['example.com'],
  },
  {
    id: 'coupa-2008',
    cxml: { from: [cred('DUNS', 'coupa-t')], to: [cred('DUNS', 'coupa-t')], sender: [cred('DUNS', 'coupa-t')], sharedSecret: 'test' },
    hosts: ['qa.coupahost.com'],
  },
  {
    id: 'iesa',
    cxml: {
      from: [cred('DUNS', 'punchout@test.com')],
      to: [cred('DUNS', 'punchout@test.com')],
      sender: [cred('IESAnetworkUserID', '88888888')],
      sharedSecret: '{shared secret in here}',
    },
    hosts: ['return_to_supplier_url.com'],
  },
  {
    id: 'officeluv-coupa',
    cxml: {
      from: [cred('NetworkID', 'kasdflkjasdf')],
      to: [cred('alksjflkasjdfasdf', 'development@officeluv.com')],
      sender: [cred('NetworkID', 'DAN_Coupa')],
      sharedSecret: 'alsdkfjalksdjflaksjdfklj',
    },
    hosts: ['example.com'],
  },
  {
    id: 'coupa-dell',
    cxml: { from: [cred('DUNS', 'dell')], to: [cred('DUNS', '128293714')], sender: [cred('DUNS', 'dell')], sharedSecret: 'never-sent-by-its-samples' },
    hosts: ['example.com'],
  },
].map((b) => ({ id: b.id, name: b.id, customerId: 'C0003', allowedReturnHosts: b.hosts, cxml: { ...b.cxml, sharedSecret: lengthen(b.cxml.sharedSecret) } }));

/**
 * The outcome chosen for each request sample, and why. Responses and Messages are not requests:
 * posting them here is a 400 (a PunchOutOrderMessage goes to the buyer, not to us).
 */
const EXPECTED: Record<string, { code: number; why: string }> = {
  'business-cxml-perl/punchoutsetup1-request.xml': { code: 200, why: 'valid setup request; offset without colon in timestamp tolerated' },
  'cu-kfs-jaggaer/cxml_john_doe_eshop.xml': {
    code: 200,
    why: 'DTD-invalid only through standalone="yes"; NetworkId domain spelling; test mode matches the account',
  },
  'friendsofcxml-cxml-php/PunchOutSetupRequest.xml': { code: 200, why: 'valid; SelectedItem deep link passed on in the start URL' },
  'hscheffknecht-cxml-php/sample-PunchOutSetupRequest.xml': { code: 200, why: 'valid; no xml:lang' },
  'officeluv-cxml-ruby/punch_out_setup_request_doc_coupa.xml': {
    code: 200,
    why: 'DTD-invalid element order (Contact before BrowserFormPost) and an RFC-2822 timestamp: accepted, read order-tolerantly',
  },
  'officeluv-cxml-ruby/punch_out_setup_request_doc_with_ship_to.xml': { code: 200, why: 'no DOCTYPE, URL padded with newlines: accepted, trimmed' },
  'friendsofcxml-cxml-php/OrderRequest.xml': {
    code: 401,
    why: 'same identities as that repository\'s setup request, but SharedSecret "coyote" instead of "s3cr3t": a wrong secret',
  },
  'officeluv-cxml-ruby/order_request.xml': { code: 400, why: 'authenticated; unknown SKUs: refused with the reason' },
  'officeluv-cxml-ruby/purchase_order_request_200.xml': { code: 401, why: 'the Sender carries no SharedSecret: every request is authenticated' },
  'friendsofcxml-cxml-php/ShipNoticeRequest.xml': { code: 401, why: 'a document a supplier sends, from credentials no buyer account has' },
  'officeluv-cxml-ruby/request_doc.xml': { code: 401, why: 'ConfirmationRequest (supplier → buyer) from unknown credentials' },
  'officeluv-cxml-ruby/invoice_backed_by_multiple_pos.xml': { code: 401, why: 'InvoiceDetailRequest from unknown credentials' },
  'officeluv-cxml-ruby/invoice_taxes_at_line.xml': { code: 401, why: 'InvoiceDetailRequest from unknown credentials' },
  'officeluv-cxml-ruby/punch_out_order_message_doc.xml': { code: 400, why: 'root <cxml> in lower case is not cXML (XML is case-sensitive): HTTP 400' },
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer(), ...SAMPLE_BUYERS]), PUNCHOUT_MAX_BODY_BYTES: '65536' });
});
afterAll(() => stack?.close());

describe.skipIf(!hasSamples)('the stored cXML samples', () => {
  // Collected even when skipped: without the fixtures there is nothing to list.
  const all = hasSamples ? readdirSync(SAMPLES).flatMap((dir) => readdirSync(join(SAMPLES, dir)).map((f) => `${dir}/${f}`)) : ['(no samples here)'];

  it.each(all)('%s is parsed and answered deliberately', async (path) => {
    const answer = await postCxml(stack, sample(path));
    expect(answer.body).toContain('<Response>');
    if (hasXmllint) expect(validateDtd(answer.body).valid).toBe(true);
    const expected = EXPECTED[path] ?? { code: 400, why: 'a Response or Message, not a request' };
    expect({ path, code: answer.code, detail: answer.detail }).toMatchObject({ path, code: expected.code });
    if (expected.code === 200) expect(startPageUrl(answer.body)).toMatch(/\/punchout\/start\?token=[\w-]+/);
  });
});

describe('XML safety', () => {
  const setupWith = (prolog: string, cookie: string) =>
    demoRequest(
      `<PunchOutSetupRequest operation="create"><BuyerCookie>${cookie}</BuyerCookie><BrowserFormPost><URL>http://localhost/r</URL></BrowserFormPost></PunchOutSetupRequest>`,
    ).replace('<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">', prolog);

  it('an external entity (XXE) is refused: 400, no file read', async () => {
    const xxe = setupWith('<!DOCTYPE cXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '&xxe;');
    const answer = await postCxml(stack, xxe);
    expect(answer.httpStatus).toBe(400);
    expect(answer.detail).toMatch(/does not process DTDs or entities/);
    expect(answer.body).not.toContain('root:');
  });

  it('billion laughs is refused at once, and the server keeps serving', async () => {
    const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)].join('');
    const started = performance.now();
    const answer = await postCxml(stack, setupWith(`<!DOCTYPE cXML [${lol}]>`, '&lol9;'));
    expect(answer.httpStatus).toBe(400);
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await postCxml(stack, demoRequest('<ProfileRequest/>'))).code).toBe(200);
  });

  it('a DOCTYPE with an external identifier is never fetched (no network, the document still answers)', async () => {
    const answer = await postCxml(stack, setupWith('<!DOCTYPE cXML SYSTEM "http://127.0.0.1:1/never.dtd">', 'c'));
    expect(answer.code).toBe(200);
  });

  it('malformed XML: 400 saying where; a body over the limit: 413; not XML: 415', async () => {
    const malformed = await postCxml(stack, '<cXML><Header></cXML>');
    expect(malformed.httpStatus).toBe(400);
    expect(malformed.detail).toMatch(/not well-formed XML.*line 1/);
    const big = await postCxml(stack, demoRequest(`<ProfileRequest/><!-- ${'x'.repeat(70_000)} -->`));
    expect(big.httpStatus).toBe(413);
    const json = await postCxml(stack, '{}', 'application/json');
    expect(json.httpStatus).toBe(415);
  });
});
