/**
 * Text that came from outside (a buyer's identity, a user name, a status text from a buyer's
 * server) on its way into a log line or an answer. Outsiders choose its length and its
 * characters: written raw, a megabyte identity fills the log, and a newline in it forges a log
 * line of the attacker's choosing. Both functions here are linear in what they keep and never
 * read past their budget.
 *
 * @module
 */

/** Characters shown of one untrusted value in a log line, by default. */
export const LOG_VALUE_CHARS = 100;

const SHORT_ESCAPES: Readonly<Record<number, string>> = { 9: '\\t', 10: '\\n', 13: '\\r', 34: '\\"', 92: '\\\\' };

/**
 * Whether the UTF-16 code unit must be escaped in a log line: C0 and C1 controls and DEL, the
 * quote and backslash (so the value's end is unambiguous), line and paragraph separators (some
 * log viewers break lines there), bidirectional controls (which reorder what a reader sees) and
 * surrogates (escaped unless they form a pair; see `untrustedText`).
 */
function needsEscape(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x22 ||
    code === 0x5c ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff ||
    (code >= 0xd800 && code <= 0xdfff)
  );
}

/**
 * An untrusted value for a log line: double-quoted, on one line (every control character,
 * separator and bidi control escaped as in JSON), and at most `maxChars` characters of escaped
 * text, followed by how long the value really was when it had to be cut. Use it for every value
 * an outsider chose, and only for those, so a reader knows which parts of a line to distrust.
 */
export function untrustedText(value: unknown, maxChars = LOG_VALUE_CHARS): string {
  const text = typeof value === 'string' ? value : String(value);
  const { out, cut } = escaped(text, maxChars, true);
  return cut ? `"${out}"…(${text.length} chars)` : `"${out}"`;
}

/**
 * An untrusted value for a field of a structured (JSON) log line: the same escaping and bound as
 * `untrustedText`, without the quotes, and leaving quote and backslash to the JSON writer (which
 * escapes those and C0 controls, but not bidi controls, C1 controls or line separators).
 */
export function untrustedField(value: unknown, maxChars = LOG_VALUE_CHARS): string {
  const text = typeof value === 'string' ? value : String(value);
  // Most values (a method, a path, a customer id) have nothing to escape: one scan, no copy.
  if (text.length <= maxChars && !NEEDS_ESCAPE_IN_FIELD.test(text)) return text;
  const { out, cut } = escaped(text, maxChars, false);
  return cut ? `${out}…(${text.length} chars)` : out;
}

/**
 * A code unit `untrustedField` escapes (`needsEscape` but quote and backslash, which the JSON
 * writer escapes); surrogates all count, paired or not (the slow path tells them apart).
 */
const NEEDS_ESCAPE_IN_FIELD = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/;

/** Up to `maxChars` of escaped `text`, and whether it was cut. */
function escaped(text: string, maxChars: number, quoteAndBackslash: boolean): { out: string; cut: boolean } {
  let out = '';
  let i = 0;
  while (i < text.length && out.length < maxChars) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      // A well-formed pair (an emoji, a CJK extension character) is shown as it is.
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    const escaped = needsEscape(code) && (quoteAndBackslash || (code !== 0x22 && code !== 0x5c));
    out += escaped ? (SHORT_ESCAPES[code] ?? `\\u${code.toString(16).padStart(4, '0')}`) : text[i];
    i++;
  }
  return { out, cut: i < text.length };
}

/**
 * The first `maxChars` code points of an outsider's value, for quoting it back in an answer (an
 * element name, a parser message): marked with `…` when cut, never split inside a surrogate pair.
 * Answers are escaped by their writer; this only keeps them short.
 */
export function excerpt(value: string, maxChars = 200): string {
  if (value.length <= maxChars) return value;
  let end = maxChars;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}
