/**
 * Tryton's JSON-RPC, with its session: `common.db.login` once, then every call with
 * `Authorization: Session base64(login:user_id:key)`, and a new login when Tryton answers 401
 * (the session expired, or the server forgot it). Every `model.*` call carries the user's company
 * in its context: without it, company-dependent fields (list prices, credit) come back `null`.
 *
 * Every failure becomes an {@link ErpError}: unreachable → `ERP_UNAVAILABLE`, too slow →
 * `ERP_TIMEOUT`, 429 (login back-off) → `ERP_RATE_LIMITED`, refused credentials →
 * `ERP_AUTH_FAILED`, 403 (a method Tryton does not expose) → `ERP_BAD_RESPONSE`, Tryton's own
 * errors as `faults.ts` maps them, an answer larger than `maxResponseBytes` → `ERP_BAD_RESPONSE`
 * (read no further: a runaway answer is cut, never buffered whole). Web-standard `fetch` only.
 *
 * @module
 */
import { z } from 'zod';
import { withoutAddresses } from '../../../domain/loggable-error.ts';
import type { ErpCallOptions } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { parseRetryAfter } from '../shared/retry-after.ts';
import { requestSignals, transportFailure } from '../shared/transport-failure.ts';
import { faultOf, mapFault } from './faults.ts';
import { id, parseAnswer, related } from './values.ts';

export interface TrytonRpcOptions {
  /** The database URL, e.g. `http://127.0.0.1:8000/demo/`. */
  url: string;
  username: string;
  password: string;
  timeoutMs: number;
  /** The largest answer read, in bytes (a rendered report comes base64-encoded inside it). @default 32 MiB */
  maxResponseBytes?: number;
  fetch: typeof fetch;
}

/** What the session knows about the API user. */
export interface TrytonSession {
  userId: number;
  company: number;
  /** The company's currency: every price and credit figure Tryton answers is in it. */
  currency: { id: number; code: string };
}

/** The context keys erpfront sets (the company is always added). */
export type TrytonContext = Record<string, unknown>;

export interface TrytonRpc {
  /** The session, logging in first when there is none. */
  session(options?: ErpCallOptions): Promise<TrytonSession>;
  /** `model.<model>.<method>(...args, context)` under the session. */
  model(operation: string, model: string, method: string, args: readonly unknown[], context?: TrytonContext, options?: ErpCallOptions): Promise<unknown>;
  /**
   * `report.<report>.execute(ids, data, context)` under the session: Tryton's rendering of a
   * report, `[format, content, direct_print, name]`.
   */
  report(operation: string, report: string, ids: readonly number[], data: Record<string, unknown>, options?: ErpCallOptions): Promise<unknown>;
  /** A call outside any model (`common.server.version`), without a session. */
  common(operation: string, method: string, args: readonly unknown[], options?: ErpCallOptions): Promise<unknown>;
}

const Envelope = z.union([z.object({ result: z.unknown() }).loose(), z.object({ error: z.unknown() }).loose()]);
const LoginResult = z.tuple([id, z.string().min(1)]);
const Preferences = z.object({ company: id.nullable() }).loose();
const CompanyRead = z.array(z.object({ id, 'currency.': related({ code: z.string().regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 code' }) }) })).length(1);

interface Live extends TrytonSession {
  header: string;
}

/** Creates the client. Nothing is sent until the first call. */
export function createTrytonRpc(options: TrytonRpcOptions): TrytonRpc {
  const url = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const maxResponseBytes = options.maxResponseBytes ?? 32 * 1024 * 1024;
  let live: Promise<Live> | null = null;

  async function post(
    operation: string,
    method: string,
    params: readonly unknown[],
    header: string | null,
    callOptions?: ErpCallOptions,
  ): Promise<Response & { body_: string }> {
    const signals = requestSignals(options.timeoutMs, callOptions?.signal);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (header) headers.authorization = header;
    try {
      const response = await options.fetch(url, { method: 'POST', headers, body: JSON.stringify({ id: 1, method, params }), signal: signals.signal });
      // Read under the same signal: a server that sends headers and stalls times out too.
      const text = await boundedText(response, maxResponseBytes, operation, method);
      return Object.assign(response, { body_: text });
    } catch (error) {
      if (error instanceof ErpError) throw error;
      throw transportFailure(error, signals, { operation, peer: 'Tryton', timeoutMs: options.timeoutMs });
    }
  }

  /** The decoded `result`, or the mapped error. `401` is left to the caller (`null`). */
  function decode(operation: string, method: string, response: Response & { body_: string }): { result: unknown } | null {
    const { status } = response;
    const cause = new Error(`HTTP ${status} from ${method}: ${snippet(response.body_)}`);
    if (status === 401) return null;
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after')) ?? 1000;
      throw new ErpError('ERP_RATE_LIMITED', `${operation}: Tryton is backing off logins (429), retry after ${retryAfterMs} ms`, {
        cause,
        operation,
        retryAfterMs,
      });
    }
    if (status === 403) {
      throw new ErpError('ERP_BAD_RESPONSE', `${operation}: Tryton does not expose ${method} over RPC (403)`, { cause, operation });
    }
    if (status === 404)
      throw new ErpError('ERP_BAD_RESPONSE', `${operation}: no Tryton database at TRYTON_URL (404): check the database name in its path`, { cause, operation });
    // Tryton's own 5xx ends its request (the transaction is rolled back); a proxy's 502/504 may not.
    if (status >= 500)
      throw new ErpError('ERP_UNAVAILABLE', `${operation}: Tryton answered ${status}`, { cause, operation, answered: status !== 502 && status !== 504 });
    if (status !== 200) throw new ErpError('ERP_BAD_RESPONSE', `${operation}: Tryton answered ${status} to ${method}`, { cause, operation });
    let body: unknown;
    try {
      body = JSON.parse(response.body_);
    } catch (error) {
      throw new ErpError('ERP_BAD_RESPONSE', `${operation}: Tryton answered ${method} with a body that is not JSON: ${snippet(response.body_)}`, {
        cause: error,
        operation,
      });
    }
    const envelope = parseAnswer(Envelope, body, operation, `answer to ${method}`);
    if ('error' in envelope && envelope.error !== undefined && envelope.error !== null) {
      const fault = faultOf(envelope.error);
      if (!fault)
        throw new ErpError('ERP_BAD_RESPONSE', `${operation}: Tryton answered ${method} with an unreadable error: ${snippet(response.body_)}`, {
          cause,
          operation,
        });
      throw mapFault(fault, operation);
    }
    return { result: 'result' in envelope ? envelope.result : undefined };
  }

  async function login(operation: string, callOptions?: ErpCallOptions): Promise<Live> {
    const { username, password } = options;
    const answer = decode(operation, 'common.db.login', await post(operation, 'common.db.login', [username, { password }, 'en'], null, callOptions));
    if (!answer) throw new ErpError('ERP_AUTH_FAILED', `${operation}: Tryton refused the login of ${username} (401)`, { operation });
    const [userId, key] = parseAnswer(LoginResult, answer.result, operation, 'login');
    const header = `Session ${base64(`${username}:${userId}:${key}`)}`;
    const preferences = await authed(operation, header, 'model.res.user.get_preferences', [true, {}], callOptions);
    const { company } = parseAnswer(Preferences, preferences, operation, 'user preferences');
    if (company === null) throw new ErpError('ERP_AUTH_FAILED', `${operation}: Tryton user ${username} has no company`, { operation });
    const read = await authed(operation, header, 'model.company.company.read', [[company], ['currency.code'], { company }], callOptions);
    const currency = parseAnswer(CompanyRead, read, operation, 'company')[0]!['currency.'];
    if (!currency) throw new ErpError('ERP_BAD_RESPONSE', `${operation}: Tryton's company ${company} has no currency`, { operation });
    return { header, userId, company, currency: { id: currency.id, code: currency.code } };
  }

  async function authed(operation: string, header: string, method: string, params: readonly unknown[], callOptions?: ErpCallOptions): Promise<unknown> {
    const answer = decode(operation, method, await post(operation, method, params, header, callOptions));
    if (!answer) throw new ErpError('ERP_AUTH_FAILED', `${operation}: Tryton refused a new session of ${options.username} (401)`, { operation });
    return answer.result;
  }

  function session(operation: string, callOptions?: ErpCallOptions): Promise<Live> {
    if (!live) {
      // Single flight: concurrent calls share one login.
      const attempt = login(operation, callOptions);
      live = attempt;
      attempt.catch(() => {
        if (live === attempt) live = null;
      });
    }
    return live;
  }

  return {
    async session(callOptions) {
      const { header: _header, ...rest } = await session('login', callOptions);
      return rest;
    },
    model(operation, model, method, args, context = {}, callOptions) {
      return call(operation, `model.${model}.${method}`, args, context, callOptions);
    },
    report(operation, report, ids, data, callOptions) {
      return call(operation, `report.${report}.execute`, [ids, data], {}, callOptions);
    },
    async common(operation, method, args, callOptions) {
      const answer = decode(operation, method, await post(operation, method, args, null, callOptions));
      if (!answer) throw new ErpError('ERP_AUTH_FAILED', `${operation}: Tryton asked for a login on ${method} (401)`, { operation });
      return answer.result;
    },
  };

  /** `name(...args, context)` under the session, the user's company in the context. */
  async function call(operation: string, name: string, args: readonly unknown[], context: TrytonContext, callOptions?: ErpCallOptions): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const current = session(operation, callOptions);
      const s = await current;
      const params = [...args, { ...context, company: s.company }];
      const answer = decode(operation, name, await post(operation, name, params, s.header, callOptions));
      if (answer) return answer.result;
      // 401: the session expired. Tryton refused it before doing anything, so resending is safe.
      if (live === current) live = null;
      if (attempt >= 1) throw new ErpError('ERP_AUTH_FAILED', `${operation}: Tryton refused a fresh session of ${options.username} (401)`, { operation });
    }
  }
}

/**
 * The body as text, read chunk by chunk up to `maxBytes`: a larger one (by its `Content-Length`
 * or as it arrives) is cancelled and refused, so memory never holds more than the bound.
 */
async function boundedText(response: Response, maxBytes: number, operation: string, method: string): Promise<string> {
  const tooLarge = () =>
    new ErpError('ERP_BAD_RESPONSE', `${operation}: Tryton's answer to ${method} is larger than ${maxBytes} bytes; erpfront reads no further`, {
      operation,
    });
  const declared = Number(response.headers.get('content-length'));
  if (response.headers.has('content-length') && Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let seen = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    seen += value.byteLength;
    if (seen > maxBytes) {
      void reader.cancel().catch(() => {});
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function snippet(text: string): string {
  // `[^<>]` not `[^>]`: an attempt stops at the next `<`, so a body of `<` without `>` costs its
  // length, not its length squared (100 KB of them held the event loop for 20 s).
  const flat = text
    .replace(/<[^<>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // Without addresses: a proxy's error page names its upstream.
  return withoutAddresses(flat.length > 160 ? `${flat.slice(0, 160)}…` : flat) || '(empty body)';
}
