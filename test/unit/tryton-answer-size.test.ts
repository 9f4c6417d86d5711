/**
 * Tryton's answers are read up to a bound (`maxResponseBytes`): a rendered report comes
 * base64-encoded inside one, and a runaway answer must be cut, not buffered whole — whether the
 * server declares its length or streams it in chunks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTrytonRpc } from '../../src/adapters/erp/tryton/json-rpc.ts';

const LIMIT = 64 * 1024;
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const answer = JSON.stringify({ id: 1, result: 'x'.repeat(LIMIT) });
    if (req.url === '/declared/') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    } else if (req.url === '/small/') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 1, result: '6.0.0' }));
    } else {
      // Chunked, without end: a reader that waited for all of it would time out (ERP_TIMEOUT).
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => {
        res.write('x'.repeat(16 * 1024));
      }, 1);
      res.on('close', () => clearInterval(timer));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const version = (path: string) =>
  createTrytonRpc({ url: `${base}${path}`, username: 'u', password: 'p', timeoutMs: 5000, maxResponseBytes: LIMIT, fetch })
    .common('version', 'common.server.version', [])
    .then(
      (result) => ({ result }),
      (e: Error & { code?: string }) => ({ code: e.code, message: e.message }),
    );

it('an answer within the bound is read', async () => {
  expect(await version('/small/')).toEqual({ result: '6.0.0' });
});

it('an answer declared larger than the bound: ERP_BAD_RESPONSE, before reading it', async () => {
  const outcome = await version('/declared/');
  expect(outcome).toMatchObject({ code: 'ERP_BAD_RESPONSE', message: expect.stringContaining(`larger than ${LIMIT} bytes`) });
});

it('an answer streamed past the bound: cut at the bound, long before the timeout', async () => {
  const started = performance.now();
  const outcome = await version('/streamed/');
  expect(outcome).toMatchObject({ code: 'ERP_BAD_RESPONSE', message: expect.stringContaining(`larger than ${LIMIT} bytes`) });
  expect(performance.now() - started).toBeLessThan(2000);
});
