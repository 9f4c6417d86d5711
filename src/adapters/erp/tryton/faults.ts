/**
 * Tryton's refusals, mapped onto {@link ErpError} codes. A JSON-RPC call that Tryton processed
 * and refused answers HTTP 200 with `{"error": [type, args]}`: `UserError` (a business rule; also
 * access and missing-record errors, which subclass it), `UserWarning` (a rule a person may
 * override), `ConcurrencyException`, `LoginException`. Anything else in `error` is a server-side
 * exception: `[message, traceback]`.
 *
 * Tryton 6.0's errors carry no machine code, only a message in the language of the call's
 * context (else the server's default); order entry asks for `en` (`orders.ts`), and the messages
 * matched here are those of Tryton 6.0's own modules (sale_credit_limit, sale_stock_quantity, ir).
 *
 * @module
 */
import { ErpError, type ErpErrorCode } from '../../../ports/erp-error.ts';

/** A refusal exactly as Tryton sent it, kept as the `cause` of the mapped {@link ErpError}. */
export class TrytonFault extends Error {
  override readonly name = 'TrytonFault';
  /** `UserError`, `UserWarning`, `ConcurrencyException`, ... or `Exception` for a server error. */
  readonly type: string;
  readonly description: string;

  constructor(type: string, message: string, description = '') {
    super(`${type}: ${message}${description ? ` (${description})` : ''}`);
    this.type = type;
    this.description = description;
  }

  /** The message alone, as Tryton's client shows it. */
  get text(): string {
    return this.message.slice(this.type.length + 2);
  }
}

/** Reasons of business refusals, after the port's `ERP_REJECTED` reasons. */
const REASONS: ReadonlyArray<[RegExp, string]> = [
  // sale_credit_limit: 'Party "%(party)s" has reached their credit limit of %(limit)s.'
  [/credit limit/i, 'CREDIT_LIMIT_EXCEEDED'],
  // sale_stock_quantity: 'The forcast quantity (%(forecast)s) for line ... is lower than its quantity' (sic)
  [/forc?ast quantity/i, 'INSUFFICIENT_STOCK'],
  // ir: 'A value is required for field "%(field)s" in "%(model)s".', domain and selection errors
  [/value is required|is not valid according to its domain|is not one of the allowed/i, 'INVALID_ORDER'],
];

/** The port's reason for a `UserError`'s message. */
export function reasonOf(message: string): string {
  for (const [pattern, reason] of REASONS) if (pattern.test(message)) return reason;
  return 'ERP_USER_ERROR';
}

/** Builds a fault from the `error` member of a JSON-RPC answer, or `null` when it is not one. */
export function faultOf(error: unknown): TrytonFault | null {
  if (!Array.isArray(error) || typeof error[0] !== 'string') return null;
  const [type, args] = error as [string, unknown];
  if (typeof args === 'string') {
    // `[str(exception), traceback]`: not a TrytonException, a failure inside the server.
    return type in KNOWN ? new TrytonFault(type, args) : new TrytonFault('Exception', type, firstLine(args));
  }
  const list = Array.isArray(args) ? args.map((a) => (a === null || a === undefined ? '' : String(a))) : [];
  // UserWarning's args are (name, message, description); the others' start with the message.
  if (type === 'UserWarning') return new TrytonFault(type, list[1] ?? '', list[2] ?? '');
  return new TrytonFault(type, list[0] ?? '', list[1] ?? '');
}

const KNOWN = { ConcurrencyException: true } as const;

/** Maps a fault onto the port's error for `operation`. */
export function mapFault(fault: TrytonFault, operation: string): ErpError {
  const text = fault.text;
  const error = (code: ErpErrorCode, message: string, reason?: string) => new ErpError(code, `${operation}: ${message}`, { cause: fault, operation, reason });
  switch (fault.type) {
    case 'UserError':
      if (/not allowed|access|permission/i.test(text)) return error('ERP_AUTH_FAILED', `Tryton denied the API user access: ${text}`);
      if (/records? .* that don't exist|does not exist/i.test(text)) return error('ERP_NOT_FOUND', `Tryton has no such record: ${text}`);
      return error('ERP_REJECTED', `Tryton refused: ${text}`, reasonOf(text));
    case 'UserWarning':
      // A warning needs a person to acknowledge it in Tryton; an API user must not skip it.
      return error('ERP_REJECTED', `Tryton warns and needs a person to confirm: ${text}`, 'NEEDS_CONFIRMATION');
    case 'ConcurrencyException':
      return error('ERP_UNAVAILABLE', `the record changed in Tryton meanwhile: ${text}`);
    case 'LoginException':
      return error('ERP_AUTH_FAILED', `Tryton asks for more than a password to log in: ${text}`);
    case 'Exception':
      // The transaction was rolled back; like an HTTP 500, worth retrying later.
      return error('ERP_UNAVAILABLE', `Tryton failed processing the call: ${text}${fault.description ? ` (${fault.description})` : ''}`);
    default:
      return error('ERP_BAD_RESPONSE', `Tryton answered an error this connector does not know: ${fault.message}`);
  }
}

function firstLine(traceback: string): string {
  const lines = traceback.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}
