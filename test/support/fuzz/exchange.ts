/**
 * One HTTP exchange of the request fuzz suite, and the invariants every answer keeps whatever was
 * sent: an answer within the time bound, never a 500 (or any 5xx), no stack trace, no internal
 * URL or file path the request did not itself contain, and GraphQL errors that carry a code
 * (never `INTERNAL_SERVER_ERROR`: a masked unexpected error is a 500 in all but status).
 *
 * @module
 */
import { request as httpRequest } from 'node:http';

/** A request as generated: sent as is, with no helpful defaults added. */
export interface FuzzRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/graphql?query=...`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** What the generator meant to send, for the failure message. */
  label: string;
}

export interface FuzzAnswer {
  /** 0 when the server closed the connection on a large body before its answer reached the client (see CUT_OFF_BYTES). */
  status: number;
  contentType: string;
  text: string;
  /** The `Location` header of a redirect. */
  location: string | null;
  ms: number;
}

/** What the answers must never show: the deployment's internals. */
export interface Secrets {
  /** Strings no answer may contain (the sandbox ERP's URL, the data directory, the checkout path). */
  internal: string[];
}

/**
 * Bodies above this size may be cut off by the server closing the connection: one over a route's
 * limit (1 MiB at most) is refused by its declared length, and one the server refuses before
 * reading it (no or a bad token) is answered at once, then drained for at most 500 ms
 * (@hono/node-server) and closed. A client still uploading then meets a reset, which can reach it
 * before the answer does (seen in CI: 900 KB without a token, on a loaded machine). A body the
 * size of a page's (a few KB) is sent before any answer.
 */
const CUT_OFF_BYTES = 64 * 1024;

/** How long any answer may take. */
export const ANSWER_BOUND_MS = Number(process.env.FUZZ_ANSWER_BOUND_MS ?? 5000);

/**
 * Sends one request on a connection of its own (no keep-alive: a server may rightly close a
 * connection after refusing a body early, and a reused socket would then fail the next request);
 * a request with no answer within {@link ANSWER_BOUND_MS} fails the property.
 */
export async function exchange(base: string, request: FuzzRequest): Promise<FuzzAnswer> {
  const started = performance.now();
  const url = new URL(request.path, base);
  try {
    return await new Promise<FuzzAnswer>((resolve, reject) => {
      const outgoing = httpRequest(
        url,
        { method: request.method, headers: request.headers ?? {}, agent: false, signal: AbortSignal.timeout(ANSWER_BOUND_MS) },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const location = response.headers.location ?? null;
            resolve({
              status: response.statusCode ?? 0,
              contentType: String(response.headers['content-type'] ?? ''),
              text: Buffer.concat(chunks).toString('utf8'),
              location,
              ms: performance.now() - started,
            });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(request.method === 'POST' ? (request.body ?? '') : undefined);
    });
  } catch (error) {
    // A server may refuse a large body and close the connection before the client has written it
    // all (see CUT_OFF_BYTES): the client sees EPIPE or a reset. The suite's last test checks the
    // process is alive afterwards.
    const code = (error as { code?: unknown }).code;
    if ((code === 'EPIPE' || code === 'ECONNRESET') && Buffer.byteLength(request.body ?? '') > CUT_OFF_BYTES) {
      return { status: 0, contentType: '', text: '', location: null, ms: performance.now() - started };
    }
    const what =
      error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
        ? `no answer within ${ANSWER_BOUND_MS} ms`
        : `the connection failed: ${String(error)}`;
    throw new Error(`${request.label}: ${what}\n${describe(request)}`, { cause: error });
  }
}

/** Signs of a stack trace or of server internals in a body. */
const TRACE_SIGNS: ReadonlyArray<[RegExp, string]> = [
  [/\n\s+at [^\n]*[(\s][^\s()]+:\d+:\d+\)?/, 'a stack trace'],
  [/node:internal|node_modules\/|file:\/\//, 'a server file path'],
  [/\b(?:TypeError|ReferenceError|RangeError|SyntaxError): [^\n]*\n\s+at /, 'an exception with its stack'],
];

/** Checks one answer against the invariants; throws an Error naming the request when one breaks. */
export function checkAnswer(request: FuzzRequest, answer: FuzzAnswer, secrets: Secrets): void {
  const sent = request.path + (request.body ?? '');
  const fail = (why: string): never => {
    throw new Error(`${request.label}: ${why}\n${describe(request)}\nanswer ${answer.status} ${answer.contentType}: ${answer.text.slice(0, 600)}`);
  };
  if (answer.status >= 500) fail(`HTTP ${answer.status}`);
  for (const [pattern, what] of TRACE_SIGNS) {
    const found = pattern.exec(answer.text);
    // A value the request itself carried may be echoed (in an error message, say): not a leak.
    if (found && !sent.includes(found[0])) fail(`the answer shows ${what}: ${JSON.stringify(found[0])}`);
  }
  for (const secret of secrets.internal) {
    if (secret && answer.text.includes(secret) && !sent.includes(secret)) fail(`the answer shows an internal detail: ${secret}`);
  }
  if (/json/.test(answer.contentType) && /^\/graphql/.test(request.path)) {
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      fail('a GraphQL answer that is not JSON');
      return;
    }
    const errors = (body as { errors?: unknown }).errors;
    if (errors === undefined) return;
    if (!Array.isArray(errors)) {
      fail('errors is not a list');
      return;
    }
    for (const error of errors as Array<{ extensions?: { code?: unknown } }>) {
      if (typeof error?.extensions?.code !== 'string') fail(`a GraphQL error without extensions.code: ${JSON.stringify(error).slice(0, 300)}`);
      // A masked unexpected error is a 500 in all but status, whatever status the answer has.
      if (error.extensions?.code === 'INTERNAL_SERVER_ERROR') fail(`an unexpected error (INTERNAL_SERVER_ERROR): ${JSON.stringify(error).slice(0, 300)}`);
    }
  }
}

/** The request, shortened for a failure message. */
export function describe(request: FuzzRequest): string {
  const body = request.body ?? '';
  const cut = (s: string) => (s.length > 1500 ? `${s.slice(0, 1500)}… (${s.length} chars)` : s);
  return `${request.method} ${cut(request.path)} ${JSON.stringify(request.headers ?? {})}\n${cut(body)}`;
}
