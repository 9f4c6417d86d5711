/**
 * A Tryton answer that is not JSON (a proxy's error page, a truncated body) is quoted in the
 * ErpError after its tags are stripped: that stripping must be linear, or a body of `<` without
 * `>` holds the event loop for seconds.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTrytonRpc } from '../../src/adapters/erp/tryton/json-rpc.ts';

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<html><body>${'<'.repeat(100_000)}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/demo/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('100 KB of "<" in a non-JSON answer: ERP_BAD_RESPONSE with a short quote, in well under a second', async () => {
  const rpc = createTrytonRpc({ url, username: 'u', password: 'p', timeoutMs: 5000, fetch });
  const started = performance.now();
  const error = await rpc.common('version', 'common.server.version', []).then(
    () => null,
    (e: Error & { code?: string }) => e,
  );
  expect(performance.now() - started).toBeLessThan(500);
  expect(error?.code).toBe('ERP_BAD_RESPONSE');
  expect(error!.message.length).toBeLessThan(400);
});
