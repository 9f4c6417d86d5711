/**
 * Bearer JWTs from an identity provider's JWKS, over HTTP: erpfront in its own process, a JWKS
 * server of our own on 127.0.0.1 that counts how often it is asked (NODE_ENV=development allows
 * http on loopback), and tokens an attacker or a misconfigured client would send.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startErpfrontProcess, type NodeProcess } from '../support/processes.ts';
import { startStack, type Stack } from '../support/stack.ts';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'erpfront-api';
const QUERY = '{ viewer { customer { id } } }';

interface JwksServer {
  url: string;
  /** How many times the key set was fetched. */
  fetches: number;
  mode: 'serve' | 'hang' | 'fail';
  close(): Promise<void>;
}

async function startJwksServer(keys: object[]): Promise<JwksServer> {
  const hanging = new Set<import('node:http').ServerResponse>();
  const state: JwksServer = { url: '', fetches: 0, mode: 'serve', close: async () => {} };
  const server: Server = createServer((_, response) => {
    state.fetches++;
    if (state.mode === 'hang') return void hanging.add(response);
    if (state.mode === 'fail') return void response.writeHead(500).end('identity provider down');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  state.close = () => {
    for (const response of hanging) response.destroy();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return state;
}

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** A token with erpfront's claims; `claims` overrides or (as `undefined`) removes standard ones. */
function token(key: { kid: string; privateKey: CryptoKey }, claims: { iss?: string | undefined; aud?: string | undefined; exp?: number | undefined } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = { sub: 'buyer@C0001', roles: ['buyer'], customerId: 'C0001', iat: now, iss: ISSUER, aud: AUDIENCE, exp: now + 600, ...claims };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
}

async function ask(url: string, bearer: string, timeoutMs = 15_000) {
  const started = Date.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query: QUERY }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, text: await response.text(), ms: Date.now() - started };
}

function jwksEnv(url: string) {
  return { AUTH_JWT_SECRET: '', AUTH_JWKS_URL: url, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, NODE_ENV: 'development' };
}

describe('JWTs from a JWKS', () => {
  let jwks: JwksServer;
  let stack: Stack;
  let signer: Awaited<ReturnType<typeof keyPair>>;

  beforeAll(async () => {
    signer = await keyPair('key-1');
    jwks = await startJwksServer([signer.jwk]);
    stack = await startStack(jwksEnv(jwks.url));
  });

  afterAll(async () => {
    await stack?.close();
    await jwks?.close();
  });

  it('accepts a token signed with a published key, for the configured issuer and audience', async () => {
    const answer = await ask(stack.erpfront.url, await token(signer));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).data.viewer.customer.id).toBe('C0001');
  });

  it('refuses a token without exp: it would never expire', async () => {
    const answer = await ask(stack.erpfront.url, await token(signer, { exp: undefined }));
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(answer.text).toMatch(/exp/);
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example.test/' }],
    ['no issuer', { iss: undefined }],
    ['another audience', { aud: 'some-other-api' }],
    ['no audience', { aud: undefined }],
  ])('refuses a token for %s', async (_, claims) => {
    const answer = await ask(stack.erpfront.url, await token(signer, claims));
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('fetches the key set at most a couple of times for 100 tokens with unknown kids', async () => {
    const before = jwks.fetches;
    const strangers = await Promise.all(Array.from({ length: 5 }, (_, i) => keyPair(`unknown-${i}`)));
    const answers = [];
    for (let i = 0; i < 100; i++) answers.push(await ask(stack.erpfront.url, await token({ ...strangers[i % 5]!, kid: `unknown-${i}` })));
    expect(answers.every((a) => a.status === 401)).toBe(true);
    expect(jwks.fetches - before).toBeLessThanOrEqual(2);
    for (const answer of answers) {
      expect(answer.text).not.toContain('127.0.0.1');
      expect(answer.text).not.toContain('jwks');
    }
  });

  it('still accepts the published key after that (the cache held)', async () => {
    const before = jwks.fetches;
    expect((await ask(stack.erpfront.url, await token(signer))).status).toBe(200);
    expect(jwks.fetches).toBe(before);
  });
});

describe('an identity provider that does not answer', () => {
  let jwks: JwksServer;
  let stack: Stack;
  let erpfront: NodeProcess;
  let signer: Awaited<ReturnType<typeof keyPair>>;

  beforeAll(async () => {
    signer = await keyPair('key-1');
    jwks = await startJwksServer([signer.jwk]);
    stack = await startStack(jwksEnv(jwks.url));
    // A second erpfront whose JWKS hangs from the start.
    jwks.mode = 'hang';
    erpfront = await startErpfrontProcess({ ERP_URL: stack.sandbox.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-jwks-')), ...jwksEnv(jwks.url) });
  });

  afterAll(async () => {
    await erpfront?.stop();
    await stack?.close();
    await jwks?.close();
  });

  it('answers within the fetch timeout, without the URL, instead of hanging', async () => {
    const answers = await Promise.all(
      [1, 2, 3].map(async () => ask(erpfront.url, await token(signer)).catch((error: Error) => ({ status: 0, text: String(error), ms: 15_000 }))),
    );
    for (const answer of answers) {
      expect([401, 503]).toContain(answer.status);
      expect(answer.ms).toBeLessThan(8_000);
      expect(answer.text).not.toContain('127.0.0.1');
      expect(answer.text).not.toContain('jwks');
    }
    expect(jwks.fetches).toBeLessThanOrEqual(2); // three waiting tokens share one fetch
  });

  it('answers a failing key set without the URL', async () => {
    jwks.mode = 'fail';
    const answer = await ask(erpfront.url, await token(signer));
    expect([401, 503]).toContain(answer.status);
    expect(answer.text).not.toContain('127.0.0.1');
    expect(answer.text).not.toContain('jwks');
  });
});
