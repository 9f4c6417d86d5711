/**
 * Reads XML from the outside world safely: no DTD is fetched or interpreted, no entity is ever
 * defined or expanded (so neither XXE nor "billion laughs" can happen), and the result is a small
 * element tree that keeps document order, so readers can be tolerant of element order.
 *
 * cXML documents legitimately carry `<!DOCTYPE cXML SYSTEM "…">` (an external identifier that we
 * simply ignore), but never an internal subset: a document that declares one, or any entity, is
 * refused before the parser sees it. Only the five predefined entities and character references
 * are decoded, by us.
 *
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { excerpt } from '../../../domain/untrusted-text.ts';
import { exceedsMarkupBudget, findForbiddenDeclaration, MAX_MARKUP_ITEMS } from './prescan.ts';

/** One element: its name, attributes and children (elements and text, in document order). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: Array<XmlElement | string>;
}

/** Why a document could not be read; `code` is stable, `message` says what to fix. */
export class XmlSafetyError extends Error {
  override readonly name = 'XmlSafetyError';
  readonly code: 'XML_MALFORMED' | 'XML_FORBIDDEN_DTD' | 'XML_EMPTY' | 'XML_TOO_COMPLEX';

  constructor(code: XmlSafetyError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Entities are ours to decode (see decodeEntities): the parser's own entity handling reads
  // DOCTYPE declarations, which we never want interpreted.
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // BuyerCookie must be echoed unchanged: keep whitespace, trim where values are compared.
  trimValues: false,
  cdataPropName: '#cdata',
  commentPropName: false,
});

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Decodes the predefined entities and character references; anything else is left as written.
 * Linear: a match attempt starts only at `&` and scans one run of name or digit characters, and
 * runs do not overlap. A decoded character XML cannot carry is replaced when erpfront writes it.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[ref] ?? whole;
  });
}

/**
 * Parses `xml` into its root element.
 * @throws {XmlSafetyError} for an empty body, malformed XML, any DTD internal subset or entity
 *   declaration, or more markup than `MAX_MARKUP_ITEMS`
 */
export function parseXmlSafely(xml: string): XmlElement {
  if (xml.trim() === '') throw new XmlSafetyError('XML_EMPTY', 'The request body is empty; send one XML document.');
  if (findForbiddenDeclaration(xml) !== null) {
    throw new XmlSafetyError(
      'XML_FORBIDDEN_DTD',
      'The document declares a DTD internal subset or entities; erpfront does not process DTDs or entities (only a DOCTYPE with an external identifier is accepted, and ignored).',
    );
  }
  if (exceedsMarkupBudget(xml)) {
    throw new XmlSafetyError(
      'XML_TOO_COMPLEX',
      `The document has more than ${MAX_MARKUP_ITEMS} elements and attributes; erpfront reads at most that many (an order of 200 lines has about 13,000).`,
    );
  }
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    // The parser's message may quote the body (a megabyte tag name, the stack of open tags): keep it short.
    throw new XmlSafetyError('XML_MALFORMED', `The body is not well-formed XML: ${excerpt(msg)} (line ${line}, column ${col}).`);
  }
  let nodes: unknown[];
  try {
    nodes = parser.parse(xml) as unknown[];
  } catch (error) {
    throw new XmlSafetyError('XML_MALFORMED', `The body is not well-formed XML: ${excerpt((error as Error).message)}.`, { cause: error });
  }
  const roots = nodes.map(toElement).filter((n): n is XmlElement => typeof n !== 'string');
  if (roots.length !== 1) throw new XmlSafetyError('XML_MALFORMED', `An XML document has exactly one root element; this one has ${roots.length}.`);
  return roots[0]!;
}

/** Converts one node of fast-xml-parser's ordered output. */
function toElement(node: unknown): XmlElement | string {
  const record = node as Record<string, unknown>;
  if ('#text' in record) return decodeEntities(String(record['#text']));
  const name = Object.keys(record).find((k) => k !== ':@')!;
  if (name === '#cdata') return (record['#cdata'] as Array<Record<string, unknown>>).map((t) => String(t['#text'] ?? '')).join('');
  const rawAttributes = (record[':@'] ?? {}) as Record<string, unknown>;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttributes)) attributes[key] = decodeEntities(String(value));
  return { name, attributes, children: (record[name] as unknown[]).map(toElement) };
}

/** The first child element named `name` (exact, case-sensitive as XML is). */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === name);
}

/** Every child element named `name`, in document order. */
export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return (element?.children ?? []).filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);
}

/** The first child element whatever its name (a `Request`'s payload). */
export function firstElement(element: XmlElement | undefined): XmlElement | undefined {
  return element?.children.find((c): c is XmlElement => typeof c !== 'string');
}

/** The element's own text (not its descendants'), as written. */
export function rawText(element: XmlElement | undefined): string {
  return (element?.children ?? []).filter((c): c is string => typeof c === 'string').join('');
}

/** The element's own text, trimmed; `null` when empty or absent. */
export function text(element: XmlElement | undefined): string | null {
  const value = rawText(element).trim();
  return value === '' ? null : value;
}

/** Text along a path of child names, trimmed. */
export function textAt(element: XmlElement | undefined, ...path: string[]): string | null {
  let at = element;
  for (const name of path) at = child(at, name);
  return text(at);
}
