/**
 * The HTTP leg of the sandbox connector: one JSON request, with a timeout, and every way it can
 * fail mapped onto an {@link ErpError} code. Web-standard `fetch` only, so it runs on Node and on
 * Cloudflare Workers alike.
 *
 * @module
 */
import { withoutAddresses } from '../../../domain/loggable-error.ts';
import type { ErpCallOptions } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { parseRetryAfter } from '../shared/retry-after.ts';
import { requestSignals, transportFailure } from '../shared/transport-failure.ts';

export interface HttpClientOptions {
  /** Base URL without a trailing slash. */
  baseUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

/** Query parameters; a list is sent comma-separated, each element URL-encoded on its own. */
export type QueryParams = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface HttpClient {
  get(operation: string, path: string, query: QueryParams, options?: ErpCallOptions): Promise<unknown>;
  post(operation: string, path: string, body: unknown, options?: ErpCallOptions): Promise<unknown>;
  /**
   * A GET whose answer is not JSON (a document): the response with its body unread, or `null` on
   * 404. The body is read under the same timeout: a transfer that stalls is cut off.
   */
  download(operation: string, path: string, options?: ErpCallOptions): Promise<Response | null>;
}

export function createHttpClient({ baseUrl, timeoutMs, fetch: fetchFn }: HttpClientOptions): HttpClient {
  async function request(operation: string, url: string, init: RequestInit, options?: ErpCallOptions): Promise<unknown> {
    const signals = requestSignals(timeoutMs, options?.signal);
    let response: Response;
    let text: string;
    try {
      response = await fetchFn(url, { ...init, signal: signals.signal });
      // The body is read under the same signal: an ERP that sends headers and then stalls times out too.
      text = await response.text();
    } catch (error) {
      throw transportFailure(error, signals, { operation, peer: 'the ERP', timeoutMs });
    }
    if (!response.ok) throw statusFailure(operation, response, text);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      const type = response.headers.get('content-type') ?? 'no content type';
      throw new ErpError('ERP_BAD_RESPONSE', `${operation}: the ERP answered ${response.status} with a body that is not JSON (${type}): ${snippet(text)}`, {
        cause: error,
        operation,
      });
    }
  }

  return {
    get(operation, path, query, options) {
      const parts: string[] = [];
      for (const [name, value] of Object.entries(query)) {
        if (value === undefined) continue;
        const encoded = typeof value === 'string' ? encodeText(value) : value.map(encodeText).join(',');
        parts.push(`${encodeText(name)}=${encoded}`);
      }
      const url = `${baseUrl}${path}${parts.length > 0 ? `?${parts.join('&')}` : ''}`;
      return request(operation, url, { method: 'GET', headers: { accept: 'application/json' } }, options);
    },
    post(operation, path, body, options) {
      const init: RequestInit = {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      };
      return request(operation, `${baseUrl}${path}`, init, options);
    },
    async download(operation, path, options) {
      const signals = requestSignals(timeoutMs, options?.signal);
      let response: Response;
      try {
        response = await fetchFn(`${baseUrl}${path}`, { method: 'GET', signal: signals.signal });
      } catch (error) {
        throw transportFailure(error, signals, { operation, peer: 'the ERP', timeoutMs });
      }
      if (response.ok) return response;
      const text = await response.text().catch(() => '');
      if (response.status === 404) return null;
      throw statusFailure(operation, response, text);
    },
  };
}

/**
 * `encodeURIComponent` of a client's text, which may hold a lone surrogate (`"\uD800"` is a valid
 * JSON string): that would throw a URIError and fail the whole batch. It is sent as U+FFFD, which
 * no key of the ERP holds, so the key is simply unknown.
 */
function encodeText(value: string): string {
  return encodeURIComponent(value.toWellFormed());
}

function statusFailure(operation: string, response: Response, text: string): ErpError {
  const { status } = response;
  const detail = errorText(text);
  const cause = new Error(`HTTP ${status} ${response.statusText}: ${snippet(text)}`);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  if (status === 429) {
    const wait = retryAfterMs === undefined ? '' : `, retry after ${retryAfterMs} ms`;
    return new ErpError('ERP_RATE_LIMITED', `${operation}: the ERP asked us to slow down (429)${wait}`, { cause, operation, retryAfterMs });
  }
  if (status === 401 || status === 403) {
    return new ErpError('ERP_AUTH_FAILED', `${operation}: the ERP refused our credentials (${status}): ${detail}`, { cause, operation });
  }
  if (status === 422) {
    // The ERP understood and said no (credit hold, an item it will not sell): final, not transient.
    const reason = reasonOf(text) ?? 'REJECTED';
    return new ErpError('ERP_REJECTED', `${operation}: the ERP refused (${reason}): ${detail}`, { cause, operation, reason });
  }
  if (status === 409 && reasonOf(text) === 'DUPLICATE_EXTERNAL_REF') {
    return new ErpError('ERP_DUPLICATE_REF', `${operation}: the ERP holds a record with this external reference already: ${detail}`, {
      cause,
      operation,
      reason: 'DUPLICATE_EXTERNAL_REF',
    });
  }
  if (status >= 500) {
    // 504 included: whether the gateway or the ERP gave up, the ERP is not answering. Only a
    // gateway's 502/504 may leave the ERP still working on the request behind it.
    const answered = status !== 502 && status !== 504;
    return new ErpError('ERP_UNAVAILABLE', `${operation}: the ERP answered ${status}: ${detail}`, { cause, operation, retryAfterMs, answered });
  }
  // Any other refusal means this connector asked something the ERP does not understand.
  return new ErpError('ERP_BAD_RESPONSE', `${operation}: the ERP refused the request (${status}): ${detail}`, { cause, operation });
}

/** The `reason` code of a JSON refusal body, if it has one. */
function reasonOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object' && 'reason' in body && typeof body.reason === 'string' && body.reason !== '') return body.reason;
  } catch {
    // Not JSON: no reason to read.
  }
  return undefined;
}

/** The `error` field of a JSON error body, else the start of the body; without addresses either way. */
function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') return withoutAddresses(body.error, 500);
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return snippet(text) || '(empty body)';
}

/** The start of an answer's body, for a message: without addresses (a proxy's error page names its upstream). */
function snippet(text: string): string {
  const flat = text.slice(0, 2000).replace(/\s+/g, ' ').trim();
  return withoutAddresses(flat.length > 120 ? `${flat.slice(0, 120)}…` : flat);
}
