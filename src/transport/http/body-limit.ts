/**
 * The one body-size policy of every route that takes a request body (GraphQL, cXML, OCI, the
 * PunchOut session, ops), and the one bounded reader for bodies erpfront reads from others.
 *
 * - A declared `Content-Length` over the limit is refused at once, nothing read.
 * - A declared `Content-Length` within the limit passes untouched: the fast path. The HTTP server
 *   frames the body by that header (HTTP/1.1: the bytes after it are the next message, which is
 *   not a valid request; HTTP/2 treats a longer body as malformed, RFC 9113 §8.1.1), so a length
 *   that lies cannot carry more bytes than it announced (tested). Wrapping the body to count it
 *   anyway would make the Node adapter build a web-stream Request for every call (35% of GraphQL
 *   throughput, measured; see yoga.ts).
 * - Without a `Content-Length` (`Transfer-Encoding: chunked`), the body is read here, counted,
 *   and refused as soon as it passes the limit: the stream is cancelled and the rest is never
 *   read (after the 413, @hono/node-server discards what is still in flight for at most half a
 *   second, then closes the connection, so the client sees the answer rather than a reset). A body
 *   within the limit is handed on as a buffered copy, so the route reads it as usual.
 *
 * Routes keep their own refusal format (a cXML Status, an HTML page, a JSON error): `refuse`.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono';

/** Why a body was refused: its limit, and the size it declared (`null` for a chunked body). */
export interface BodyTooLarge {
  maxBytes: number;
  declaredBytes: number | null;
}

export type BodyWithinLimit = { request: Request } | { tooLarge: BodyTooLarge };

/** The sentence every route's 413 carries. */
export function tooLargeMessage(refusal: BodyTooLarge): string {
  return refusal.declaredBytes === null
    ? `The request body is larger than ${refusal.maxBytes} bytes, the most accepted here.`
    : `The request body is ${refusal.declaredBytes} bytes; at most ${refusal.maxBytes} are accepted here.`;
}

/**
 * Reads `stream` to its end if it holds at most `maxBytes`; otherwise stops reading at the first
 * chunk past the limit, cancels the stream (the sender's remaining bytes are never read) and
 * returns `null`.
 */
export async function readAtMost(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return whole;
}

/**
 * Applies the policy to `request`: the request itself when its declared length is within the
 * limit (or it has no body), a copy with the body read and counted when it declared none, or
 * why it is refused.
 */
export async function limitBody(request: Request, maxBytes: number): Promise<BodyWithinLimit> {
  if (request.method === 'GET' || request.method === 'HEAD') return { request };
  // Headers first: reading `request.body` is what makes the Node adapter build the slow Request.
  const declared = request.headers.get('content-length');
  if (declared !== null && !request.headers.has('transfer-encoding')) {
    const length = Number(declared);
    return Number.isSafeInteger(length) && length >= 0 && length <= maxBytes
      ? { request }
      : { tooLarge: { maxBytes, declaredBytes: Number.isFinite(length) ? length : null } };
  }
  if (request.body === null) return { request };
  const body = await readAtMost(request.body, maxBytes);
  if (body === null) return { tooLarge: { maxBytes, declaredBytes: null } };
  return { request: new Request(request, { body, duplex: 'half' } as RequestInit) };
}

export interface BodyLimitOptions {
  maxBytes: number;
  /** The route's own 413 answer. */
  refuse: (refusal: BodyTooLarge, c: Context) => Response;
}

/** `limitBody` as hono middleware, for routes mounted on a Hono app. */
export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  return async function bodyLimit(c, next) {
    const limited = await limitBody(c.req.raw, options.maxBytes);
    if ('tooLarge' in limited) return options.refuse(limited.tooLarge, c);
    if (limited.request !== c.req.raw) c.req.raw = limited.request;
    await next();
  };
}
