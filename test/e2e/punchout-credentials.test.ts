/**
 * PunchOut credentials against an attacker, over real HTTP: one answer for every failed login (an
 * unknown sender, a wrong or missing shared secret, an unknown OCI user or a wrong password), so
 * nobody learns which identities exist; production accounts with short secrets refused at start;
 * failed logins throttled per sender identity and per source address (requests come from
 * 127.0.0.x addresses of their own), while successful logins never count.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyersFile, DEMO_OCI_BUYER, demoBuyer, demoRequest, postCxml, unescapeHtml } from '../support/punchout.ts';
import { startErpfrontProcess } from '../support/processes.ts';
import { startStack, type Stack } from '../support/stack.ts';

/** A production cXML account with DUNS credentials `identity` and a long secret. */
const dunsBuyer = (id: string, identity: string, customerId: string) => ({
  id,
  name: id,
  customerId,
  allowedReturnHosts: ['buyer.example'],
  cxml: {
    from: [{ domain: 'DUNS', identity }],
    to: [{ domain: 'DUNS', identity: 'erpfront' }],
    sender: [{ domain: 'DUNS', identity }],
    sharedSecret: `${id}-long-secret-1`,
  },
});
const OTHER_BUYER = dunsBuyer('other-buyer', 'OTHER-1', 'C0005');
const THIRD_BUYER = dunsBuyer('third-buyer', 'THIRD-1', 'C0006');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer(), OTHER_BUYER, THIRD_BUYER, DEMO_OCI_BUYER]) });
});
afterAll(() => stack?.close());

/** The demo buyer's ProfileRequest with another sender identity and/or secret. */
function profile(options: { identity?: string; secret?: string | null } = {}): string {
  let xml = demoRequest('<ProfileRequest/>', { secret: options.secret ?? 'demo-shared-secret' });
  if (options.identity) xml = xml.replaceAll('AN-DEMO-BUYER', options.identity);
  if (options.secret === null) xml = xml.replace(/<SharedSecret>[^<]*<\/SharedSecret>/, '');
  return xml;
}

/** A ProfileRequest of a `dunsBuyer` account, with its secret or `secret`. */
function profileOf(buyer: typeof OTHER_BUYER, secret = buyer.cxml.sharedSecret): string {
  const identity = buyer.cxml.sender[0]!.identity;
  return `<?xml version="1.0" encoding="UTF-8"?>
<cXML payloadID="${Date.now()}.${Math.random()}@buyer.example" timestamp="2026-01-01T10:00:00-05:00">
<Header><From><Credential domain="DUNS"><Identity>${identity}</Identity></Credential></From>
<To><Credential domain="DUNS"><Identity>erpfront</Identity></Credential></To>
<Sender><Credential domain="DUNS"><Identity>${identity}</Identity><SharedSecret>${secret}</SharedSecret></Credential><UserAgent>t</UserAgent></Sender></Header>
<Request><ProfileRequest/></Request></cXML>`;
}
const otherProfile = () => profileOf(OTHER_BUYER);

interface Answer {
  status: number;
  retryAfter: string | null;
  code: number;
  text: string;
  detail: string;
}

/** POSTs a cXML document from the local address `from` (127.0.0.x), as another client would. */
function postFrom(from: string, xml: string, headers: Record<string, string> = {}, on: Stack = stack): Promise<Answer> {
  const url = new URL(`${on.erpfront.url}/punchout/cxml`);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: from, headers: { 'content-type': 'text/xml', ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          const status = /<Status code="(\d+)" text="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/Status>)/.exec(body);
          resolve({
            status: res.statusCode!,
            retryAfter: (res.headers['retry-after'] as string | undefined) ?? null,
            code: Number(status?.[1]),
            text: status?.[2] ?? '',
            detail: unescapeHtml(status?.[3] ?? ''),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(xml);
  });
}

describe('one answer for every failed login', () => {
  it('cXML: an unknown sender, a wrong secret and a missing secret get the same status and text', async () => {
    const answers = await Promise.all([
      postCxml(stack, profile({ identity: 'AN-NOBODY' })),
      postCxml(stack, profile({ secret: 'not-the-demo-secret' })),
      postCxml(stack, profile({ secret: null })),
    ]);
    const seen = answers.map((a) => ({ httpStatus: a.httpStatus, code: a.code, text: a.text, detail: a.detail }));
    expect(seen[0]).toMatchObject({ httpStatus: 200, code: 401 });
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    // The right credentials still work.
    expect((await postCxml(stack, profile())).code).toBe(200);
  });

  it('OCI: an unknown user and a wrong password get the same page', async () => {
    const callUp = (username: string, password: string) =>
      fetch(`${stack.erpfront.url}/punchout/oci`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ USERNAME: username, PASSWORD: password, HOOK_URL: 'https://buyer.example/hook' }),
      });
    const unknown = await callUp('nobody-here', 'demo-oci-password');
    const wrong = await callUp('demo-oci', 'not-the-password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toBe(await unknown.text());
  });
});

describe('failed logins are throttled', () => {
  it('per sender identity: after 10 failures the sender is refused for a while, even with the right secret, from anywhere; other buyers are not', async () => {
    for (let i = 0; i < 10; i++) expect((await postFrom('127.0.0.2', profileOf(THIRD_BUYER, `guess-${i}`))).code).toBe(401);
    const blocked = await postFrom('127.0.0.3', profileOf(THIRD_BUYER));
    expect(blocked).toMatchObject({ status: 429, code: 560 });
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    expect(blocked.detail).toMatch(/failed logins.*retry in \d+ s/i);
    expect((await postFrom('127.0.0.3', otherProfile())).code).toBe(200);
  });

  it('per source address: after 20 failures (any senders) the address is refused for a while; other addresses are not', async () => {
    for (let i = 0; i < 20; i++) expect((await postFrom('127.0.0.4', profile({ identity: `AN-PROBE-${i}` }))).code).toBe(401);
    expect(await postFrom('127.0.0.4', otherProfile())).toMatchObject({ status: 429, code: 560 });
    expect((await postFrom('127.0.0.5', otherProfile())).code).toBe(200);
  });

  it('a forged X-Forwarded-For does not escape the per-address limit (no proxy is trusted by default)', async () => {
    for (let i = 0; i < 20; i++)
      expect((await postFrom('127.0.0.7', profile({ identity: `AN-FORGE-${i}` }), { 'x-forwarded-for': `10.9.9.${i}` })).code).toBe(401);
    expect(await postFrom('127.0.0.7', otherProfile(), { 'x-forwarded-for': '10.9.9.200' })).toMatchObject({ status: 429, code: 560 });
  });

  it('successful logins never count', async () => {
    for (let i = 0; i < 40; i++) expect((await postFrom('127.0.0.6', otherProfile())).code).toBe(200);
  });
});

describe('production accounts need long secrets', () => {
  it('a buyers file with a production account whose secret is under 16 characters is refused at start, naming the buyer, not the secret', async () => {
    const file = buyersFile([{ ...OTHER_BUYER, id: 'acme-prod', cxml: { ...OTHER_BUYER.cxml, sharedSecret: 'short-secret' } }]);
    const start = startErpfrontProcess({
      ERP_URL: stack.sandbox.url,
      AUTH_JWT_SECRET: stack.secret,
      DATA_DIR: `/tmp/erpfront-cred-prod-${Date.now()}`,
      PUNCHOUT_BUYERS_FILE: file,
    });
    const refused = await start.then(
      (p) => (p.stop(), 'started'),
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/acme-prod/);
    expect(refused).toMatch(/16 characters/);
    expect(refused).not.toContain('short-secret');
  });

  it('a test-mode account may keep a short secret (buyers\' test accounts use "test")', async () => {
    const file = buyersFile([{ ...OTHER_BUYER, id: 'acme-test', cxml: { ...OTHER_BUYER.cxml, sharedSecret: 'test', deploymentMode: 'test' } }]);
    const started = await startErpfrontProcess({
      ERP_URL: stack.sandbox.url,
      AUTH_JWT_SECRET: stack.secret,
      DATA_DIR: `/tmp/erpfront-cred-${Date.now()}`,
      PUNCHOUT_BUYERS_FILE: file,
    });
    await started.stop();
  });
});

describe('behind a trusted reverse proxy (TRUSTED_PROXY_HOPS=1)', () => {
  let proxied: Stack;
  beforeAll(async () => {
    proxied = await startStack({ PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer(), OTHER_BUYER]), TRUSTED_PROXY_HOPS: '1' });
  });
  afterAll(() => proxied?.close());

  it('counts failures per client address the proxy saw, not per proxy: one prober does not lock the others out', async () => {
    // Every request comes through the same proxy connection; the proxy appends the client's address.
    const via = (client: string) => ({ 'x-forwarded-for': `203.0.113.77, ${client}` });
    for (let i = 0; i < 20; i++) expect((await postFrom('127.0.0.8', profile({ identity: `AN-PROXIED-${i}` }), via('198.51.100.1'), proxied)).code).toBe(401);
    expect(await postFrom('127.0.0.8', profileOf(OTHER_BUYER), via('198.51.100.1'), proxied)).toMatchObject({ status: 429, code: 560 });
    expect((await postFrom('127.0.0.8', profileOf(OTHER_BUYER), via('198.51.100.2'), proxied)).code).toBe(200);
  });
});
