/**
 * Untrusted text on its way into a log line: one line, quoted, short, and showing what it hid.
 */
import { describe, expect, it } from 'vitest';
import { excerpt, untrustedText } from '../../src/domain/untrusted-text.ts';

describe('untrustedText', () => {
  it('escapes everything that could end, fake or reorder a log line', () => {
    expect(untrustedText('a\nb\r\nc\t"d"\\e')).toBe('"a\\nb\\r\\nc\\t\\"d\\"\\\\e"');
    expect(untrustedText('x\u0085y\u2028z\u202Ew\u0000\u001b[31m')).toBe('"x\\u0085y\\u2028z\\u202ew\\u0000\\u001b[31m"');
    expect(untrustedText('lone \uD800 and \uDC00, pair 😀')).toBe('"lone \\ud800 and \\udc00, pair 😀"');
  });

  it('cuts a long value and says how long it was', () => {
    const shown = untrustedText('\n'.repeat(100_000));
    expect(shown.length).toBeLessThan(130);
    expect(shown).toMatch(/^"(\\n)+"…\(100000 chars\)$/);
    expect(untrustedText(42)).toBe('"42"');
  });
});

describe('excerpt', () => {
  it('keeps short values, cuts long ones without splitting a surrogate pair', () => {
    expect(excerpt('short')).toBe('short');
    expect(excerpt(`${'a'.repeat(199)}😀tail`)).toBe(`${'a'.repeat(199)}…`);
  });
});
