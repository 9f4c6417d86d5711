/**
 * A small XML writer: elements as nested calls, every text and attribute escaped, so no value a
 * buyer or the ERP sent can break out of its element or make the document ill-formed. Documents erpfront emits are small (a cart,
 * a status), so building a string is simpler and faster than a DOM.
 *
 * @module
 */

/** A node to write: an element, or text (escaped when written). */
export type XmlNode = XmlTag | string | null | undefined | false;

export interface XmlTag {
  readonly tag: string;
  readonly attributes: Readonly<Record<string, string | number | null | undefined>>;
  readonly children: readonly XmlNode[];
}

/**
 * Markup characters, then any code point XML 1.0 cannot carry, not even as a character
 * reference (Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]):
 * C0 controls, lone surrogates (the `u` flag matches an unpaired half as one code point), U+FFFE
 * and U+FFFF. A buyer can send them (`&#1;` in a BuyerCookie is decoded on input) and an ERP can
 * store them.
 */
const TEXT_SPECIAL = /[&<>\r]|[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ATTRIBUTE_SPECIAL = /[&<>"'\r\n\t]|[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** What replaces a character XML cannot carry, so the document stays well-formed and shows where it was. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // A parser turns a raw CR (and CRLF) into LF: as a reference it survives, so a value comes back as sent.
  '\r': '&#13;',
};
const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  "'": '&#39;',
  // Attribute-value normalisation turns raw tabs and newlines into spaces.
  '\n': '&#10;',
  '\t': '&#9;',
};

/**
 * Escapes text content: markup characters become references, characters XML cannot carry become
 * U+FFFD. One pass over a character class (no backtracking), so any value costs its length.
 */
export function escapeText(value: string): string {
  return value.replace(TEXT_SPECIAL, (c) => TEXT_ESCAPES[c] ?? REPLACEMENT_CHARACTER);
}

/** Escapes an attribute value (double-quoted) as `escapeText` does text; also fit for HTML attributes. */
export function escapeAttribute(value: string): string {
  return value.replace(ATTRIBUTE_SPECIAL, (c) => ATTRIBUTE_ESCAPES[c] ?? REPLACEMENT_CHARACTER);
}

/** An element; `null`/`undefined` attributes and falsy children are left out. */
export function el(tag: string, attributes: XmlTag['attributes'] = {}, ...children: XmlNode[]): XmlTag {
  return { tag, attributes, children };
}

function write(node: XmlNode, out: string[], indent: string): void {
  if (node === null || node === undefined || node === false) return;
  if (typeof node === 'string') {
    out.push(escapeText(node));
    return;
  }
  const attributes = Object.entries(node.attributes)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttribute(String(v))}"`)
    .join('');
  const kids = node.children.filter((c) => c !== null && c !== undefined && c !== false);
  if (kids.length === 0) {
    out.push(`${indent}<${node.tag}${attributes}/>`);
    return;
  }
  if (kids.every((c) => typeof c === 'string')) {
    out.push(`${indent}<${node.tag}${attributes}>`);
    for (const c of kids) write(c, out, '');
    out.push(`</${node.tag}>`);
    return;
  }
  // Mixed content (text beside elements, e.g. cXML's Description) is written without added
  // whitespace: indentation inside it would change the text.
  const mixed = kids.some((c) => typeof c === 'string');
  out.push(`${indent}<${node.tag}${attributes}>`);
  for (const c of kids) {
    if (!mixed) out.push('\n');
    write(c, out, mixed ? '' : `${indent}  `);
  }
  out.push(`${mixed ? '' : `\n${indent}`}</${node.tag}>`);
}

/** Serialises `root` as a UTF-8 document with the given DOCTYPE line. */
export function xmlDocument(root: XmlTag, doctype: string): string {
  const out: string[] = [];
  write(root, out, '');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${doctype}\n${out.join('')}\n`;
}
