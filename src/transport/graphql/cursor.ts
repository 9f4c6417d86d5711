/**
 * Paging arguments. Connection cursors: opaque to clients, an offset inside. Every connection field (`orders`,
 * `searchProducts`, and any later one) encodes and decodes its `after` through here, so a cursor
 * erpfront did not issue — garbage, base64 of garbage, a negative, fractional or absurd offset,
 * another field's cursor — is one answer everywhere: `INVALID_ARGUMENT` on the field, never a
 * masked internal error and never an offset passed on to the ERP.
 *
 * @module
 */
import { DomainError } from '../../domain/errors.ts';

/**
 * What a cursor pages through; part of the cursor, so one field's cursor is refused by another.
 * `offset`: a position in erpfront's own list (search); `erp`: an offset into the ERP's list (orders);
 * `invoice`: a position in a customer's filtered invoices.
 */
export type CursorKind = 'offset' | 'erp' | 'invoice';

/** The largest offset a cursor may carry: far past any real list, well inside a safe integer. */
export const MAX_CURSOR_OFFSET = 100_000_000;

/** Longer than any cursor erpfront issues: refused before decoding anything. */
const MAX_CURSOR_LENGTH = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const OFFSET = /^(0|[1-9]\d{0,8})$/;

/** The cursor of position `offset` in a list of `kind`. */
export function encodeCursor(kind: CursorKind, offset: number): string {
  return btoa(`${kind}:${offset}`);
}

/**
 * The offset inside a cursor of `kind`, or `null` when there is none (`null`, `undefined` or `''`:
 * start from the beginning). Anything that is not a cursor this API issued throws
 * `INVALID_ARGUMENT` naming `argument`; the message never echoes the cursor.
 */
export function decodeCursor(kind: CursorKind, cursor: string | null | undefined, argument = 'after'): number | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  const offset = offsetOf(kind, cursor);
  if (offset === null) {
    throw new DomainError(
      'INVALID_ARGUMENT',
      `${argument} is not a cursor this field issued; pass a cursor or pageInfo.endCursor from an earlier answer of the same field, or leave ${argument} out to start from the beginning.`,
    );
  }
  return offset;
}

function offsetOf(kind: CursorKind, cursor: string): number | null {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64.test(cursor)) return null;
  let decoded: string;
  try {
    decoded = atob(cursor);
  } catch {
    return null;
  }
  const prefix = `${kind}:`;
  if (!decoded.startsWith(prefix)) return null;
  const digits = decoded.slice(prefix.length);
  if (!OFFSET.test(digits)) return null;
  const offset = Number(digits);
  return offset <= MAX_CURSOR_OFFSET ? offset : null;
}

/**
 * The page size `first` asks for (`fallback` when it is absent), an integer from 1 to `max`;
 * anything else throws `INVALID_ARGUMENT` (never a silently clamped or unbounded page).
 */
export function pageSize(first: number | null | undefined, fallback: number, max: number): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > max) throw new DomainError('INVALID_ARGUMENT', `first must be between 1 and ${max}, got ${size}.`);
  return size;
}
