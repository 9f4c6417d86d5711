/**
 * Hostile values for the request fuzz suite (fast-check arbitraries): strings and numbers that
 * break naive code, JSON values of any shape and depth, and JSON text that can carry number
 * tokens `JSON.stringify` cannot write (`-0`, `1e309`).
 *
 * @module
 */
import fc from 'fast-check';

/** Strings known to trip parsers, validators, loggers and path or prototype handling. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  '\u0000SKU-00001',
  '%%%',
  '%00',
  '%E0%A4%A',
  '../../../../etc/passwd',
  '..\\..\\windows',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' OR '1'='1' --",
  '${7*7}',
  '{{7*7}}',
  '${jndi:ldap://x/a}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'undefined',
  'null',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u202E',
  '\u2028\u2029',
  'e\u0301\u0301\u0301',
  '👨‍👩‍👧‍👦',
  'Z̷̢̛͎̈́a̶l̸g̵o̴',
  '٠١٢',
  'ﷺ',
  '\r\nSet-Cookie: x=1',
  'SKU-00001',
  'SKU-00002 ',
  ' sku-00001',
  'SKU-99999',
  'C0001',
  'C0002',
  'R01',
  'ON_ACCOUNT',
  'CARD',
  'erp:0',
  'ZXJwOjA=',
  'ZXJwOi0x',
  'YWJj',
  '====',
  'erp:99999999999999999999',
  '2026-02-30',
  '0000-00-00',
  '9999-12-31T23:59:59Z',
  '2026-01-01',
  'a'.repeat(257),
];

/** Any string, nasty ones first, then random ones of every kind of character. */
export const weirdString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'SKU-', '€', '\u0000', '%'), fc.integer({ min: 200, max: 20_000 })).map(([s, n]) => s.repeat(n)) },
);

/** Numbers at the edges: zero of both signs, the extremes, fractions, non-finite (JSON: null). */
export const weirdNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    0.1,
    1e-320,
    5e-324,
    1e308,
    -1e308,
    Number.MAX_VALUE,
    Number.MAX_SAFE_INTEGER + 2,
    2 ** 31,
    -(2 ** 31) - 1,
    1e21,
    0.5,
    999_999_999_999.99,
    NaN,
    Infinity,
  ),
  fc.integer({ min: -1000, max: 100_000 }),
  fc.double(),
);

/** A number token written into JSON text as is: what `JSON.stringify` cannot produce. */
export class RawNumber {
  readonly token: string;
  constructor(token: string) {
    this.token = token;
  }
}

/** Number tokens that are valid JSON but odd for a server: -0, overflow to Infinity, huge precision. */
export const rawNumber: fc.Arbitrary<RawNumber> = fc
  .constantFrom(
    '-0',
    '-0.0',
    '1e309',
    '-1e309',
    '1E+308',
    '1e-400',
    '0.00000000000000000000000000001',
    '123456789012345678901234567890',
    '1.7976931348623157e308',
    '10.000000000000000001',
    '0e0',
  )
  .map((t) => new RawNumber(t));

/** Any JSON value, nested a few levels, with hostile strings and numbers at the leaves. */
export const weirdJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    weirdString,
    weirdNumber,
    rawNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(fc.oneof(weirdString, fc.constantFrom('sku', 'quantity', 'lines', 'input', '__proto__', 'constructor')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A JSON array or object nested `depth` levels deep, as text (no recursion to build it). */
export function nestedJsonText(depth: number, kind: 'array' | 'object', leaf = '1'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

/** JSON text of `value`, writing each {@link RawNumber} token verbatim. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawNumber) {
      raws.push(v.token);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  });
  // JSON.stringify writes U+0000 as \u0000, so the markers cannot collide with data.
  return (text ?? 'null').replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, n: string) => raws[Number(n)]!);
}
