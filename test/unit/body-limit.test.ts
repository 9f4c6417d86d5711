/**
 * The one body-size policy, at its edges: a declared length is trusted within the limit (the
 * request passes untouched, its body unread), a chunked body is counted to the byte, and a body
 * past the limit is cancelled at the first chunk over it, the rest never pulled.
 */
import { describe, expect, it } from 'vitest';
import { limitBody } from '../../src/transport/http/body-limit.ts';

/** A chunked body of `chunks` × `size` bytes that records how far it was read and whether it was cancelled. */
function source(chunks: number, size: number) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === chunks) return controller.close();
      seen.pulled++;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { seen, request: new Request('http://erpfront.test/graphql', { method: 'POST', body, duplex: 'half' } as RequestInit) };
}

describe('limitBody', () => {
  it('a declared length within the limit: the same request, its body not read', async () => {
    const request = new Request('http://erpfront.test/graphql', { method: 'POST', body: 'x'.repeat(100), headers: { 'content-length': '100' } });
    const limited = await limitBody(request, 100);
    expect('request' in limited && limited.request).toBe(request);
    expect(request.bodyUsed).toBe(false);
  });

  it('a declared length over the limit: refused, saying the length', async () => {
    const request = new Request('http://erpfront.test/graphql', { method: 'POST', body: 'x', headers: { 'content-length': '101' } });
    expect(await limitBody(request, 100)).toEqual({ tooLarge: { maxBytes: 100, declaredBytes: 101 } });
  });

  it('a chunked body of exactly the limit is read and handed on whole', async () => {
    const { request } = source(4, 25);
    const limited = await limitBody(request, 100);
    expect('request' in limited && (await limited.request.text())).toBe('a'.repeat(100));
  });

  it('a chunked body one byte over: refused at the first chunk past the limit, the rest never pulled', async () => {
    const { request, seen } = source(1000, 101);
    expect(await limitBody(request, 100)).toEqual({ tooLarge: { maxBytes: 100, declaredBytes: null } });
    expect(seen.pulled).toBeLessThanOrEqual(2);
    expect(seen.cancelled).toBe(true);
  });

  it('GET and HEAD have no body to limit', async () => {
    const request = new Request('http://erpfront.test/graphql?query=%7B__typename%7D');
    expect(await limitBody(request, 0)).toEqual({ request });
  });
});
