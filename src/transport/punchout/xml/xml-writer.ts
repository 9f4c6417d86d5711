/**
 * A small XML writer: elements as nested calls, every text and attribute escaped, so no value a
 * buyer or the ERP sent can break out of its element. Documents erpfront emits are small (a cart,
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

/** Escapes text content. */
export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (double-quoted); also fit for HTML attributes. */
export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
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
