/**
 * The order-notice channel against a buyer endpoint that misbehaves over real HTTP: an answer
 * that never ends is read up to a cap and the connection dropped (not read to the end, not held
 * in memory), and what the buyer wrote reaches erpfront's error texts (and so its log) short and
 * on one line.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cxmlNoticeChannel } from '../../src/features/punchout/cxml/notice-channel.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/order-status`;
}

describe('cxmlNoticeChannel', () => {
  it('an answer that never ends: refused once the cap is read, and the connection is dropped', async () => {
    const sent = { bytes: 0, closed: false };
    const url = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('<?xml version="1.0"?><cXML><Response><Status code="200" text="OK">');
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!res.destroyed && sent.bytes < 2 * 1024 * 1024 * 1024) {
          sent.bytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      res.on('close', () => (sent.closed = true));
      pump();
    });
    const started = performance.now();
    const error = await cxmlNoticeChannel(fetch, 20_000)
      .deliver(url, '<cXML/>')
      .then(
        () => null,
        (e: Error) => e,
      );
    const elapsed = performance.now() - started;
    expect(error?.message).toMatch(/larger than/);
    expect(elapsed).toBeLessThan(3000);
    await new Promise((r) => setTimeout(r, 200));
    expect(sent.closed).toBe(true);
    // The cap is 1 MB; what the sockets buffered on top is not the 2 GiB the buyer offered.
    expect(sent.bytes).toBeLessThan(16 * 1024 * 1024);
  });

  it("a redirect is not followed: the document (with the buyer's shared secret) never reaches the other host", async () => {
    const elsewhere: string[] = [];
    const other = createServer((req, res) => {
      elsewhere.push(req.url ?? '');
      req.resume();
      res.end('<?xml version="1.0"?><cXML><Response><Status code="200" text="OK"/></Response></cXML>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const target = `http://127.0.0.1:${(other.address() as AddressInfo).port}/collect`;
      const url = await listen((req, res) => {
        req.resume();
        res.writeHead(307, { location: target });
        res.end();
      });
      const error = await cxmlNoticeChannel(fetch, 5000)
        .deliver(url, '<cXML><SharedSecret>s3cret</SharedSecret></cXML>')
        .then(
          () => null,
          (e: Error) => e,
        );
      expect(error?.message).toMatch(/^HTTP 307 from the buyer: a redirect, not followed .*orderStatusUrl/);
      expect(elsewhere).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('a buyer status text of 100 KB with newlines reaches the error as one short line', async () => {
    const text = 'no\r\nerpfront: FORGED '.repeat(5000);
    const url = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<?xml version="1.0"?><cXML><Response><Status code="500" text="${text.replace(/\r/g, '&#13;').replace(/\n/g, '&#10;')}"/></Response></cXML>`);
    });
    const error = await cxmlNoticeChannel(fetch)
      .deliver(url, '<cXML/>')
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(error?.message).toMatch(/cXML status "500"/);
    expect(error!.message.length).toBeLessThan(400);
    expect(error!.message).not.toMatch(/[\r\n]/);
  });
});
