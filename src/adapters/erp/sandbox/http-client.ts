/**
 * The HTTP leg of the sandbox connector: one JSON request, with a timeout, and every way it can
 * fail mapped onto an {@link ErpError} code. Web-standard `fetch` only, so it runs on Node and on
 * Cloudflare Workers alike.
 *
 * @module
 */
import type { ErpCallOptions } from '../../../ports/erp-connector.ts';
import { neverConnected } from '../connection-refused.ts';
import { ErpError } from '../../../ports/erp-error.ts';

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
}

export function createHttpClient({ baseUrl, timeoutMs, fetch: fetchFn }: HttpClientOptions): HttpClient {
  async function request(operation: string, url: string, init: RequestInit, options?: ErpCallOptions): Promise<unknown> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const caller = options?.signal;
    const signal = caller ? AbortSignal.any([timeout, caller]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetchFn(url, { ...init, signal });
      // The body is read under the same signal: an ERP that sends headers and then stalls times out too.
      text = await response.text();
    } catch (error) {
      throw transportFailure(operation, error, timeout, caller);
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

  function transportFailure(operation: string, error: unknown, timeout: AbortSignal, caller: AbortSignal | undefined): unknown {
    if (caller?.aborted) {
      // The caller's own deadline is a timeout like ours; any other abort is the caller giving up,
      // which is not an ERP failure: it gets its own reason back, as fetch would give it.
      if (isTimeoutReason(caller.reason)) {
        return new ErpError('ERP_TIMEOUT', `${operation}: the caller's deadline passed before the ERP answered`, { cause: caller.reason, operation });
      }
      return caller.reason;
    }
    if (timeout.aborted) {
      return new ErpError('ERP_TIMEOUT', `${operation}: no answer from the ERP within ${timeoutMs} ms`, { cause: error, operation });
    }
    return new ErpError('ERP_UNAVAILABLE', `${operation}: could not reach the ERP at ${baseUrl}: ${describe(error)}`, {
      cause: error,
      operation,
      unsent: neverConnected(error),
    });
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
    return new ErpError('ERP_DUPLICATE_REF', `${operation}: the ERP holds an order with this external reference already: ${detail}`, {
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

/**
 * `Retry-After` in milliseconds: delay-seconds (`2`) or an HTTP date; `undefined` when absent or
 * unreadable. A date in the past means "now".
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
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

/** The `error` field of a JSON error body, else the start of the body. */
function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') return body.error;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return snippet(text) || '(empty body)';
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

/** "fetch failed (ECONNREFUSED)": Node hides the useful part in the cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const code = cause && typeof cause === 'object' ? (cause.code ?? cause.message) : undefined;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}
