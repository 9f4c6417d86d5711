/**
 * An ErpError's message is stored (an order's lastError), shown (`/readyz`, the ops console) and
 * logged: it names the operation and what went wrong, never where the ERP is. Both connectors'
 * clients, against a real local server (refused connections, a proxy's error page naming its
 * upstream, Tryton's 404 for a wrong database) and a fetch failing as undici does for an unknown
 * host.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/adapters/erp/sandbox/http-client.ts';
import { createTrytonRpc } from '../../src/adapters/erp/tryton/json-rpc.ts';

let server: Server;
let base: string;
let closedPort: number;
const UPSTREAM = 'http://erp-db.internal:8069/web';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/proxy')) {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(`<html><body><h1>502 Bad Gateway</h1><p>upstream ${UPSTREAM} (10.20.30.40:8069) did not answer</p></body></html>`);
    } else if (req.url?.startsWith('/fails')) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `database at postgres://erp:secret@10.20.30.41:5432/erp is down` }));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise<void>((resolve) => spare.close(() => resolve()));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The rejection of `call`, as the error it is. */
async function failure(call: () => Promise<unknown>): Promise<Error & { code?: string }> {
  return call().then(
    () => {
      throw new Error('expected a failure');
    },
    (e: Error & { code?: string }) => e,
  );
}

/** Fails when `message` names any host or address the test used. */
function expectNoAddress(message: string, ...hosts: string[]) {
  for (const host of ['127.0.0.1', 'erp-db.internal', 'erp.internal', '10.20.30.40', '10.20.30.41', ...hosts]) expect(message).not.toContain(host);
  expect(message).not.toMatch(/[a-z]+:\/\//);
}

/** A fetch failing as undici's does when the host is unknown (the DNS lookup is not this test's). */
const unknownHost: typeof fetch = async () => {
  throw new TypeError('fetch failed', {
    cause: Object.assign(new Error('getaddrinfo ENOTFOUND erp.internal'), { code: 'ENOTFOUND', hostname: 'erp.internal' }),
  });
};

describe('the sandbox connector', () => {
  it('a refused connection: the operation and ECONNREFUSED, not the address', async () => {
    const client = createHttpClient({ baseUrl: `http://127.0.0.1:${closedPort}`, timeoutMs: 2000, fetch });
    const error = await failure(() => client.get('getPrices', '/prices', {}));
    expect(error.code).toBe('ERP_UNAVAILABLE');
    expect(error.message).toMatch(/^getPrices: could not reach the ERP: .*ECONNREFUSED/);
    expectNoAddress(error.message, String(closedPort));
  });

  it('an unknown host: ENOTFOUND, not the host name', async () => {
    const client = createHttpClient({ baseUrl: 'http://erp.internal:8000', timeoutMs: 2000, fetch: unknownHost });
    const error = await failure(() => client.get('getItems', '/items', {}));
    expect(error.message).toBe('getItems: could not reach the ERP: fetch failed (ENOTFOUND)');
  });

  it("a proxy's error page and an ERP's error text are quoted without the addresses in them", async () => {
    const client = createHttpClient({ baseUrl: base, timeoutMs: 2000, fetch });
    const proxy = await failure(() => client.get('getStock', '/proxy', {}));
    expect(proxy.code).toBe('ERP_UNAVAILABLE');
    expect(proxy.message).toContain('502');
    expectNoAddress(proxy.message);
    const erp = await failure(() => client.post('createOrder', '/fails', {}));
    expect(erp.message).toContain('is down');
    expectNoAddress(erp.message);
    expect(erp.message).not.toContain('secret');
  });
});

describe('the Tryton connector', () => {
  it('a refused connection, an unknown host, a wrong database (404) and a proxy page name no address', async () => {
    const refused = await failure(() =>
      createTrytonRpc({ url: `http://127.0.0.1:${closedPort}/demo/`, username: 'u', password: 'p', timeoutMs: 2000, fetch }).session(),
    );
    expect(refused.message).toMatch(/could not reach Tryton: .*ECONNREFUSED/);
    expectNoAddress(refused.message, String(closedPort));

    const unknown = await failure(() =>
      createTrytonRpc({ url: 'http://erp.internal:8000/demo/', username: 'u', password: 'p', timeoutMs: 2000, fetch: unknownHost }).session(),
    );
    expect(unknown.message).toMatch(/could not reach Tryton: fetch failed \(ENOTFOUND\)$/);

    const missing = await failure(() => createTrytonRpc({ url: `${base}/nodb/`, username: 'u', password: 'p', timeoutMs: 2000, fetch }).session());
    expect(missing.code).toBe('ERP_BAD_RESPONSE');
    expect(missing.message).toContain('no Tryton database at TRYTON_URL (404)');
    expectNoAddress(missing.message);

    const proxy = await failure(() => createTrytonRpc({ url: `${base}/proxy/`, username: 'u', password: 'p', timeoutMs: 2000, fetch }).session());
    expect(proxy.code).toBe('ERP_UNAVAILABLE');
    expectNoAddress(proxy.message);
  });
});
