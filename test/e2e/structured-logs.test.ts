/**
 * erpfront's log as operations read it: JSON lines on stdout, one per request with its id, and
 * that id on the ERP calls and orders the request caused; never a token, a secret or a password,
 * whatever failed. erpfront and the sandbox ERP in their own processes, over HTTP; the log is
 * the process's real output. LOG_LEVEL=debug, so the ERP calls that succeed are logged too.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../scripts/sign-token.ts';
import { eventually, placeOrder } from '../support/orders.ts';
import { buyersFile, DEMO_OCI_BUYER, demoBuyer, demoRequest, postCxml, setupRequest } from '../support/punchout.ts';
import { startStack, type Stack } from '../support/stack.ts';

/** Never to be logged: the ERP login erpfront is configured with (the sandbox ignores it). */
const ERP_PASSWORD = `erp-pw-${randomBytes(12).toString('hex')}`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    LOG_LEVEL: 'debug',
    ERP_PASSWORD,
    ERP_USERNAME: 'webstore',
    BREAKER_COOLDOWN_SECONDS: '1',
    PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer(), DEMO_OCI_BUYER]),
  });
});
afterAll(() => stack?.close());

type LogLine = Record<string, any> & { level: string; msg: string };

/** Every line of erpfront's output that is a log line (the entry's own startup line is not). */
function logLines(): LogLine[] {
  return stack.erpfront
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** The log lines once one matches `check` (lines are written when a request ends). */
async function linesOnce(check: (line: LogLine) => boolean): Promise<LogLine[]> {
  return eventually(
    async () => logLines(),
    (lines) => lines.some(check),
    5000,
    50,
  );
}

const requestLine = (reqId: string) => (line: LogLine) => line.msg === 'request' && line.reqId === reqId;

describe("a request's log line", () => {
  it('is a JSON line with the request id, status, operation, subject and customer; its ERP calls carry the same id', async () => {
    const answer = await stack.graphql(
      'query CatalogPage($skus: [ID!]!) { products(skus: $skus) { sku price { unitPrice { amount } } availability { status } } viewer { customer { id } } }',
      { skus: ['SKU-00031', 'SKU-00032'] },
      { headers: { 'x-request-id': 'shop-logs-0001' } },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.headers.get('x-request-id')).toBe('shop-logs-0001');

    const lines = await linesOnce(requestLine('shop-logs-0001'));
    // Every line erpfront wrote that looks like JSON is JSON (parsing above would have thrown).
    const line = lines.find(requestLine('shop-logs-0001'))!;
    expect(line).toMatchObject({
      level: 'info',
      method: 'POST',
      path: '/graphql',
      status: 200,
      operation: 'CatalogPage',
      subject: expect.any(String),
      customerId: 'C0001',
    });
    expect(line.durationMs).toEqual(expect.any(Number));
    expect(typeof line.time).toBe('string');

    // Uncached SKUs: the request read them from the ERP, and each call's line names the request.
    const calls = lines.filter((l) => l.msg === 'erp call' && l.reqId === 'shop-logs-0001');
    expect(calls.map((c) => c.operation)).toEqual(expect.arrayContaining(['getItems', 'getPrices', 'getStock']));
    for (const call of calls) expect(call).toMatchObject({ level: 'debug', connector: 'sandbox', outcome: 'success', durationMs: expect.any(Number) });
    expect(calls.find((c) => c.operation === 'getItems')!.keys).toBe(2);
  });

  it('a hostile x-request-id is replaced by a fresh id, answered and logged, and never written', async () => {
    for (const hostile of ['x'.repeat(65), 'abc"}{"level":"error', 'shrt7']) {
      const answer = await stack.graphql('query Viewer { viewer { subject } }', {}, { headers: { 'x-request-id': hostile } });
      const id = answer.headers.get('x-request-id')!;
      expect(id).not.toBe(hostile);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const line = (await linesOnce(requestLine(id))).find(requestLine(id))!;
      expect(line).toMatchObject({ status: 200, operation: 'Viewer' });
      expect(stack.erpfront.output()).not.toContain(hostile);
    }
  });

  it('every answer carries its id, and the path is logged without its query string', async () => {
    const token = await stack.buyerToken('C0001');
    const marker = `marker${randomBytes(6).toString('hex')}`;
    const get = await fetch(`${stack.erpfront.url}/graphql?query=${encodeURIComponent(`query Q { viewer { subject } } # ${marker}`)}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'x-request-id': 'shop-logs-get-1' },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get('x-request-id')).toBe('shop-logs-get-1');
    const missing = await fetch(`${stack.erpfront.url}/no-such-page?${marker}`, { headers: { 'x-request-id': 'shop-logs-404-1' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe('shop-logs-404-1');

    const lines = await linesOnce(requestLine('shop-logs-404-1'));
    expect(lines.find(requestLine('shop-logs-get-1'))).toMatchObject({ method: 'GET', path: '/graphql', status: 200, operation: 'Q' });
    expect(lines.find(requestLine('shop-logs-404-1'))).toMatchObject({ method: 'GET', path: '/no-such-page', status: 404 });
    expect(stack.erpfront.output()).not.toContain(marker);
  });

  it("an order placed carries the request's id; its submission to the ERP carries the order id", async () => {
    const token = await stack.buyerToken('C0001');
    const result = await placeOrder(
      stack,
      token,
      { idempotencyKey: `logs-${randomBytes(4).toString('hex')}`, lines: [{ sku: 'SKU-00003', quantity: 1 }] },
      { 'x-request-id': 'shop-logs-order-1' },
    );
    const id = result.order!.id;
    const lines = await linesOnce((l) => l.msg === 'order submitted to the ERP' && l.orderId === id);
    expect(lines.find((l) => l.msg === 'order placed' && l.orderId === id)).toMatchObject({
      reqId: 'shop-logs-order-1',
      customerId: 'C0001',
      status: 'QUEUED',
    });
    expect(lines.find((l) => l.msg === 'order submitted to the ERP' && l.orderId === id)).toMatchObject({
      status: 'SUBMITTED',
      erpOrderNumber: expect.any(String),
    });
    // The dispatcher's ERP call names the order it sends.
    expect(lines.some((l) => l.msg === 'erp call' && l.operation === 'createOrder' && l.orderId === id)).toBe(true);
    expect(lines.find(requestLine('shop-logs-order-1'))).toMatchObject({ operation: 'PlaceOrder', status: 200 });
  });
});

describe('what never reaches a log line', () => {
  it("tokens, the signing secret, passwords and the ERP's address stay out of the log of a run with failures", async () => {
    const buyer = await stack.buyerToken('C0001');
    // A well-formed token signed with another secret, and an expired one of ours.
    const forged = await signToken({ secret: randomBytes(32).toString('base64url'), roles: ['buyer'], customerId: 'C0001' });
    const expired = await signToken({ secret: stack.secret, roles: ['buyer'], customerId: 'C0001', ttlSeconds: -3600 });
    for (const token of [forged, expired, 'not-a-jwt-at-all']) {
      const answer = await stack.graphql('{ viewer { subject } }', {}, { token });
      expect(answer.status).toBe(401);
    }
    // PunchOut logins with the wrong secret and the wrong password.
    const wrongSecret = `wrong-secret-${randomBytes(6).toString('hex')}`;
    expect((await postCxml(stack, demoRequest(setupRequest('http://localhost/r'), { secret: wrongSecret }))).code).toBe(401);
    const wrongPassword = `wrong-password-${randomBytes(6).toString('hex')}`;
    const oci = await fetch(`${stack.erpfront.url}/punchout/oci`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ HOOK_URL: 'http://buyer.example/r', USERNAME: 'demo-oci', PASSWORD: wrongPassword }),
    });
    expect(oci.status).toBe(401);
    // A PunchOut start token in a query string.
    const startToken = `pst_${randomBytes(16).toString('hex')}`;
    await fetch(`${stack.erpfront.url}/punchout/start?token=${startToken}`);
    // The ERP down: ERP calls fail, an order waits in the queue.
    await stack.faults({ outage: true });
    try {
      const during = await stack.graphql('{ products(skus: ["SKU-00041"]) { price { unitPrice { amount } } } }', {}, { token: buyer });
      expect(during.body.errors?.[0]?.extensions?.code).toBe('ERP_UNAVAILABLE');
      await placeOrder(stack, buyer, { idempotencyKey: `logs-outage-${randomBytes(4).toString('hex')}`, lines: [{ sku: 'SKU-00001', quantity: 1 }] });
      await linesOnce((l) => l.msg === 'erp call failed');
    } finally {
      await stack.faults({ outage: false });
    }

    const lines = logLines();
    expect(lines.some((l) => l.msg === 'erp call failed' && l.err?.code)).toBe(true);
    expect(lines.some((l) => l.msg === 'request' && l.status === 401)).toBe(true);
    const log = stack.erpfront.output();
    for (const secret of [
      buyer,
      forged,
      expired,
      stack.secret,
      ERP_PASSWORD,
      wrongSecret,
      wrongPassword,
      'demo-shared-secret',
      'demo-oci-password',
      startToken,
    ]) {
      expect(log).not.toContain(secret);
    }
    // A token's signature alone (its last part) is not there either.
    for (const token of [buyer, forged, expired]) expect(log).not.toContain(token.split('.')[2]);
    // No log line shows where the ERP is (the entry's startup line says which ERP it was given).
    const erpAddress = new URL(stack.sandbox.url).host;
    expect(lines.filter((l) => JSON.stringify(l).includes(erpAddress))).toEqual([]);
  });
});
