/**
 * Tryton's JSON-RPC values, both ways: Decimal and date are objects tagged with `__class__`
 * (`{"__class__": "Decimal", "decimal": "12.50"}`), booleans of some fields come back as `0`/`1`,
 * and a dotted field (`sale_uom.symbol`) comes back as a nested object under `sale_uom.`.
 * Decimals stay strings from end to end: a price never passes through a binary float.
 *
 * @module
 */
import { z } from 'zod';
import type { DecimalString, IsoDate } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { fieldPath } from '../sandbox/wire.ts';

/** A Decimal as Tryton sends and takes it. */
export interface TrytonDecimal {
  __class__: 'Decimal';
  decimal: string;
}

/** Encodes a decimal string for Tryton. */
export function toDecimal(value: DecimalString): TrytonDecimal {
  return { __class__: 'Decimal', decimal: value };
}

/** Encodes a `YYYY-MM-DD` date for Tryton. */
export function toDate(value: IsoDate): { __class__: 'date'; year: number; month: number; day: number } {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  return { __class__: 'date', year, month, day };
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A Decimal, decoded to its string. */
export const decimal = z
  .object({ __class__: z.literal('Decimal'), decimal: z.string().regex(DECIMAL, { error: 'expected a decimal string' }) }, { error: 'expected a Decimal' })
  .transform((d) => d.decimal);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A date, decoded to `YYYY-MM-DD`. */
export const date = z
  .object(
    { __class__: z.literal('date'), year: z.number().int(), month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) },
    {
      error: 'expected a date',
    },
  )
  .transform((d): IsoDate => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`);

/** A datetime; Tryton keeps them in UTC without a zone, so the `Z` is added here. */
export const datetime = z
  .object(
    {
      __class__: z.literal('datetime'),
      year: z.number().int(),
      month: z.number().int(),
      day: z.number().int(),
      hour: z.number().int(),
      minute: z.number().int(),
      second: z.number().int(),
      microsecond: z.number().int().optional(),
    },
    { error: 'expected a datetime' },
  )
  .transform(
    (d) =>
      `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}.${pad(Math.floor((d.microsecond ?? 0) / 1000), 3)}Z`,
  );

/** A boolean, which the SQLite backend answers as `0`/`1` for some fields. */
export const flag = z.union([z.boolean(), z.literal(0), z.literal(1)], { error: 'expected a boolean' }).transform((b) => b === true || b === 1);

/** A record id. */
export const id = z.number().int().positive();

/** A text field: Tryton answers `null` for an empty one. */
export const optionalText = z.string().nullable();

/** A quantity (a Float field). */
export const quantity = z.number({ error: 'expected a number' });

/** A dotted many2one read (`field.`): the related record's fields, or `null` when unset. */
export function related<T extends z.ZodRawShape>(shape: T) {
  return z.object({ id, ...shape }).nullable();
}

/**
 * Rounds a Decimal string to at most `places` decimals (half up, as Tryton's `round`) and keeps
 * two decimals at least: `"135.000000000000"` → `"135.00"`, `"3.37500"` → `"3.375"`.
 */
export function normalizeDecimal(value: DecimalString, places = 4): DecimalString {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  let digits = (whole + fraction.padEnd(places, '0').slice(0, places)).replace(/^0+(?=\d)/, '');
  if (Number(fraction[places] ?? '0') >= 5) {
    // Carry the rounding through the digit string: no float ever sees the amount.
    const out = digits.split('');
    let i = out.length - 1;
    for (; i >= 0; i--) {
      if (out[i] === '9') out[i] = '0';
      else {
        out[i] = String(Number(out[i]) + 1);
        break;
      }
    }
    digits = (i < 0 ? '1' : '') + out.join('');
  }
  digits = digits.padStart(places + 1, '0');
  const intPart = digits.slice(0, digits.length - places);
  const fracPart = digits
    .slice(digits.length - places)
    .replace(/0+$/, '')
    .padEnd(2, '0');
  const result = `${intPart}.${fracPart}`;
  return negative && /[1-9]/.test(result) ? `-${result}` : result;
}

/**
 * Checks one Tryton answer against its schema.
 * @throws {ErpError} `ERP_BAD_RESPONSE` naming the field, e.g. `getPrices: [1].sale_price_uom: expected a Decimal`
 */
export function parseAnswer<T extends z.ZodType>(schema: T, data: unknown, operation: string, what: string): z.output<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const [first, ...others] = parsed.error.issues;
  const where = first ? fieldPath(first.path) : 'result';
  const more = others.length > 0 ? ` (and ${others.length} more problem${others.length > 1 ? 's' : ''})` : '';
  throw new ErpError('ERP_BAD_RESPONSE', `${operation}: Tryton's ${what}: ${where}: ${first?.message ?? 'unexpected shape'}${more}`, {
    cause: parsed.error,
    operation,
  });
}
