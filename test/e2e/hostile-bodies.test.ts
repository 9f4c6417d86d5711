/**
 * Request bodies an attacker sends before logging in: hostile XML that would make a backtracking
 * scan take seconds (one request must never freeze every buyer: `/healthz` is polled while it is
 * answered), and bodies without a Content-Length that never end (every route that takes a body
 * counts the bytes and answers 413 without reading the rest).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyersFile, DEMO_OCI_BUYER, demoBuyer, demoRequest } from '../support/punchout.ts';
import { postChunked, rawExchange } from '../support/raw-http.ts';
import { startStack, type Stack } from '../support/stack.ts';

const MiB = 1024 * 1024;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer(), DEMO_OCI_BUYER]) });
});
afterAll(() => stack?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `work` while polling /healthz; reports how long `work` took and the slowest /healthz. */
async function withHealthPolled<T>(work: () => Promise<T>) {
  let stop = false;
  let worstHealthz = 0;
  const poll = (async () => {
    while (!stop) {
      const started = performance.now();
      await fetch(`${stack.erpfront.url}/healthz`, { signal: AbortSignal.timeout(5000) })
        .then((r) => r.text())
        .catch(() => '');
      worstHealthz = Math.max(worstHealthz, performance.now() - started);
      await sleep(10);
    }
  })();
  const started = performance.now();
  const result = await work();
  const elapsed = performance.now() - started;
  stop = true;
  await poll;
  return { result, elapsed, worstHealthz };
}

/** `unit` repeated to fill just under 1 MiB (the default PUNCHOUT_MAX_BODY_BYTES) around `head` and `tail`. */
function fill(unit: string, head = '', tail = ''): string {
  const room = MiB - 1024 - head.length - tail.length;
  return head + unit.repeat(Math.floor(room / unit.length)) + tail;
}

const HOSTILE_XML: Record<string, string> = {
  'repeated <!DOCTYPE': fill('<!DOCTYPE'),
  'repeated <!DOCTYPE with an open quote': fill('<!DOCTYPE cXML SYSTEM "'),
  'deep nesting': fill('<a>', '<cXML>'),
  'many attributes': `<cXML${Array.from({ length: 70_000 }, (_, i) => ` a${i}="v"`).join('')}/>`,
  'long entity-like strings': fill('&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&#1111111111111111111111111111', '<cXML>', '</cXML>'),
  'one long unterminated character reference': fill('9', '<cXML>&#', '</cXML>'),
  'many small elements': fill('<a/>', '<cXML>', '</cXML>'),
  // Within the markup budget (50,000 tags and attributes), so the parser builds them all.
  'many elements within the markup budget': fill('<a>text text text text text text text text text text text text</a>', '<cXML>', '</cXML>'),
  'many attributes within the markup budget': `<cXML${Array.from({ length: 45_000 }, (_, i) => ` a${i}="value value"`).join('')}/>`,
};

describe('hostile XML before authentication', () => {
  it.each(Object.keys(HOSTILE_XML))('%s (1 MiB): answered in well under a second while /healthz stays responsive', async (shape) => {
    const body = HOSTILE_XML[shape]!;
    expect(body.length).toBeLessThanOrEqual(MiB);
    const { result, elapsed, worstHealthz } = await withHealthPolled(async () => {
      const response = await fetch(`${stack.erpfront.url}/punchout/cxml`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      return { status: response.status, text: await response.text() };
    });
    console.log(
      `${shape}: answered ${result.status} in ${elapsed.toFixed(0)} ms, slowest /healthz ${worstHealthz.toFixed(0)} ms, answer ${result.text.length} bytes`,
    );
    expect(result.status).toBeGreaterThanOrEqual(200);
    expect(result.status).toBeLessThan(500);
    expect(elapsed).toBeLessThan(1000);
    expect(worstHealthz).toBeLessThan(1000);
    // The answer says what is wrong without echoing the megabyte back.
    expect(result.text.length).toBeLessThan(4096);
  });
});

interface RouteCase {
  path: string;
  limit: number;
  headers: () => Promise<Record<string, string>>;
  /** A body of the given size that the route accepts. */
  body: { head: string; filler: string; tail: string };
  accepted: (status: number, body: string) => void;
  refused: (body: string) => void;
}

const json = { 'content-type': 'application/json' };
const code = (body: string) => JSON.parse(body).errors?.[0]?.extensions?.code ?? JSON.parse(body).error?.code;
const [cxmlHead, cxmlTail] = demoRequest('<ProfileRequest/><!--PAD-->').split('PAD') as [string, string];

const ROUTES: Record<string, RouteCase> = {
  'POST /graphql': {
    path: '/graphql',
    limit: MiB,
    headers: async () => ({ ...json, authorization: `Bearer ${await stack.buyerToken('C0001')}` }),
    body: { head: '{"query":"{ viewer { roles } }"', filler: ' ', tail: '}' },
    accepted: (status, body) => expect({ status, data: JSON.parse(body).data }).toEqual({ status: 200, data: { viewer: { roles: ['BUYER'] } } }),
    refused: (body) => expect(code(body)).toBe('REQUEST_TOO_LARGE'),
  },
  'POST /punchout/cxml': {
    path: '/punchout/cxml',
    limit: MiB,
    headers: async () => ({ 'content-type': 'text/xml' }),
    body: { head: cxmlHead, filler: 'x', tail: cxmlTail },
    accepted: (status, body) => expect({ status, cxml: /<Status code="(\d+)"/.exec(body)?.[1] }).toEqual({ status: 200, cxml: '200' }),
    refused: (body) => expect(body).toContain('<Status code="413"'),
  },
  'POST /punchout/oci': {
    path: '/punchout/oci',
    limit: MiB,
    headers: async () => ({ 'content-type': 'application/x-www-form-urlencoded' }),
    body: { head: `HOOK_URL=${encodeURIComponent('http://buyer.example/r')}&USERNAME=demo-oci&PASSWORD=demo-oci-password&pad=`, filler: 'x', tail: '' },
    accepted: (status) => expect(status).toBe(303),
    refused: (body) => expect(body).toMatch(/larger than 1048576 bytes/),
  },
  'POST /punchout/session': {
    path: '/punchout/session',
    limit: 4096,
    headers: async () => json,
    body: { head: '{"token":"no-such-start-token-000000000"', filler: ' ', tail: '}' },
    accepted: (status, body) => expect({ status, code: code(body) }).toEqual({ status: 401, code: 'PUNCHOUT_TOKEN_INVALID' }),
    refused: (body) => expect(code(body)).toBe('REQUEST_TOO_LARGE'),
  },
  'POST /ops/invalidate': {
    path: '/ops/invalidate',
    limit: MiB,
    headers: async () => ({ ...json, authorization: `Bearer ${await stack.opsToken()}` }),
    body: { head: '{"domain":"items","keys":["SKU-00001"]', filler: ' ', tail: '}' },
    accepted: (status, body) => expect({ status, body: JSON.parse(body) }).toEqual({ status: 200, body: { invalidated: 1 } }),
    refused: (body) => expect(code(body)).toBe('REQUEST_TOO_LARGE'),
  },
};

describe('chunked bodies (no Content-Length) are counted on every route that takes a body', () => {
  it.each(Object.keys(ROUTES))('%s: over the limit, 413 before the rest is read; under it, served', async (name) => {
    const route = ROUTES[name]!;
    const url = `${stack.erpfront.url}${route.path}`;
    const endless = 32 * MiB;
    const over = await postChunked(url, await route.headers(), { ...route.body, totalBytes: endless });
    expect(over.status).toBe(413);
    route.refused(over.body);
    // Refused while the client was still sending: the server did not read the 32 MiB.
    expect(over.bytesSentBeforeAnswer).toBeLessThan(endless);

    const under = await postChunked(url, await route.headers(), { ...route.body, totalBytes: route.limit - 512 });
    route.accepted(under.status, under.body);
  });

  it('a Content-Length that lies cannot carry more than it says: the rest never reaches a handler', async () => {
    const token = await stack.buyerToken('C0001');
    const body = `{"query":"{ viewer { roles } }"${' '.repeat(2 * MiB)}}`;
    const head = `POST /graphql HTTP/1.1\r\nHost: erpfront\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: 40\r\n\r\n`;
    const { answer, closedByServer } = await rawExchange(stack.erpfront.url, head, body);
    // The 40 bytes it announced are not a whole JSON document (400); the rest is not a request, so
    // the server closes the connection. Closing a socket with the rest of the 2 MiB unread sends a
    // TCP reset, which can reach the client before the 400 does and discard it: then the client
    // sees the close alone. Either way, no answer to the smuggled bytes and no data.
    if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).not.toMatch(/HTTP\/1\.1 200 /);
    expect(answer).not.toContain('BUYER');
    expect(closedByServer).toBe(true);
    expect((await fetch(`${stack.erpfront.url}/healthz`)).status).toBe(200);
  });
});
