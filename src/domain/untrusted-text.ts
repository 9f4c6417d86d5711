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

const SHORT_ESCAPES: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };

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
    out += needsEscape(code) ? (SHORT_ESCAPES[code] ?? `\\u${code.toString(16).padStart(4, '0')}`) : text[i];
    i++;
  }
  return i < text.length ? `"${out}"…(${text.length} chars)` : `"${out}"`;
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
