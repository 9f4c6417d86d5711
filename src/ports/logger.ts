/**
 * The logger port: structured log lines, a message and a fields object each. The entry passes one
 * in (pino on Node, JSON lines on the console on Workers); the core never writes to the console
 * nor imports a logging library.
 *
 * A request's logger is a `child({ reqId })` of the process's: every line written while serving
 * it (its ERP calls, the orders it placed) carries the same request id.
 *
 * Fields are data, not text: values an outsider chose are still bounded (`untrustedText`,
 * `excerpt`) before they go in, and errors go through `errorFields`, which keeps internal URLs
 * out. Secrets are redacted by the adapters, by field name (see adapters/logging/redaction.ts),
 * as a second line of defence: never put one in a line to begin with.
 *
 * @module
 */

/** The fields of a log line: names in camelCase, values JSON can carry. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Severity, least first. `debug` lines are off unless LOG_LEVEL=debug. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface Logger {
  /** Detail for diagnosing (every ERP call that succeeded). */
  debug(message: string, fields?: LogFields): void;
  /** What happened (a request served, an order placed or submitted, an operator's action). */
  info(message: string, fields?: LogFields): void;
  /** Something an operator should look at, which erpfront works around (Redis away, a buyer's endpoint failing). */
  warn(message: string, fields?: LogFields): void;
  /** A failure an operator must act on (a duplicate ERP order, an unexpected exception). */
  error(message: string, fields?: LogFields): void;
  /** A logger whose every line also carries `bindings` (e.g. `{ reqId }`, `{ orderId }`). */
  child(bindings: LogFields): Logger;
}

/** A logger that writes nothing: for parts built alone in tests, where nobody reads the log. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
