/**
 * An error as a log line may show it. An ERP's failure text carries its address
 * (`could not reach the ERP at http://erp.internal:8000/…`, `connect ECONNREFUSED 10.0.0.7:8000`)
 * and whatever the ERP put in its answer; a log shipped to a third-party service must not map the
 * internal network. So every network URL and IPv4 address in a message (and a stack) is replaced,
 * the message is bounded, and an expected failure (one with a `code`: an ERP, store or Redis
 * error) is shown by its code, operation and reason without a stack.
 *
 * The connectors keep the ERP's address out of their own messages (`transport-failure.ts`), and
 * cut addresses from the ERP's texts they quote; what is stored or shown from an ErpError (an
 * order's `lastError` and rejection, `/readyz`'s ERP detail) goes through {@link withoutAddresses}
 * too, since an ERP's own words (a Tryton server fault, a proxy's page) may name its hosts.
 *
 * @module
 */

/** What `loggableError` returns: plain data for a log line's `err` field. */
export interface LoggableError {
  type: string;
  message: string;
  code?: string;
  operation?: string;
  reason?: string;
  stack?: string;
  cause?: LoggableError;
}

/** Characters kept of a message, and of a stack. */
const MAX_MESSAGE = 1000;
const MAX_STACK = 4000;

/**
 * Network URLs (any scheme but `file:`, which stack frames use for source files) up to the next
 * space or quote, and IPv4 addresses with their port.
 */
const URL_PATTERN = /\b(?!file:)[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*/gi;
const IPV4_PATTERN = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g;

/** `text` with every network URL and IPv4 address replaced, cut to `max` characters. */
export function withoutAddresses(text: string, max = MAX_MESSAGE): string {
  const cut = text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
  return cut.replace(URL_PATTERN, '<url>').replace(IPV4_PATTERN, '<address>');
}

/** `error` for a log line's `err` field: type, code, operation, reason, a message without addresses. */
export function loggableError(error: unknown, depth = 0): LoggableError {
  if (!(error instanceof Error)) return { type: typeof error, message: withoutAddresses(String(error)) };
  const fields = error as Error & { code?: unknown; operation?: unknown; reason?: unknown };
  const out: LoggableError = { type: error.name, message: withoutAddresses(error.message) };
  if (typeof fields.code === 'string') out.code = fields.code;
  if (typeof fields.operation === 'string') out.operation = fields.operation;
  if (typeof fields.reason === 'string') out.reason = withoutAddresses(fields.reason, 100);
  // A coded error is a kind of failure erpfront expects: its code says where; an unexpected one
  // needs its stack, and what caused it.
  if (out.code === undefined) {
    if (error.stack) out.stack = withoutAddresses(error.stack, MAX_STACK);
    if (error.cause !== undefined && depth < 2) out.cause = loggableError(error.cause, depth + 1);
  }
  return out;
}
