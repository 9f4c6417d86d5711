/**
 * PunchOut requests for the fuzz suite: cXML documents (the stored samples and the demo buyer's
 * own setup and order requests) mutated — elements removed or doubled, text and attributes
 * replaced, entity and DOCTYPE tricks, foreign namespaces, cut short — and SAP OCI call-ups with
 * generated `HOOK_URL`s, logins, `~` fields and `NEW_ITEM-*` fields.
 *
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FuzzRequest } from './exchange.ts';
import { MAX_URL } from './graphql-inputs.ts';
import { weirdString } from './values.ts';
import { DEMO_OCI_BUYER, demoRequest, FIXTURES, fixturesAvailable, orderRequest, setupRequest } from '../punchout.ts';

const SAMPLES = join(FIXTURES, 'cxml/samples');
// The public samples beside the clone, when they are there (fixturesAvailable warns, or fails under CI).
const samples = fixturesAvailable('fuzzing from the real-world cXML samples')
  ? readdirSync(SAMPLES).flatMap((dir) => readdirSync(join(SAMPLES, dir)).map((f) => readFileSync(join(SAMPLES, dir, f), 'utf8')))
  : [];

/** The demo buyer's header, to put a sample's request behind credentials erpfront accepts. */
const DEMO_HEADER = /<Header>[\s\S]*<\/Header>/.exec(demoRequest(''))![0];

const line = fc.record({
  sku: fc.oneof(
    fc.integer({ min: 1, max: 5000 }).map((n) => `SKU-${String(n).padStart(5, '0')}`),
    weirdString,
  ),
  aux: fc.option(weirdString, { nil: null }),
  quantity: fc.oneof(fc.integer({ min: -2, max: 1000 }), fc.constantFrom(0.5, 1e308, Number.NaN)),
  unit: fc.oneof(fc.constantFrom('EA', 'BX'), weirdString),
  price: fc.oneof(fc.constantFrom('12.50', '0', '-1', '1e9', 'abc'), weirdString),
  currency: fc.oneof(fc.constant('USD'), weirdString),
});

/** Base documents: valid requests of the demo buyer, and every stored sample (own or demo credentials). */
const baseDocument: fc.Arbitrary<string> = fc.oneof(
  fc
    .constantFrom('http://buyer.example/return', 'https://localhost/cart', 'javascript:alert(1)', 'http://evil.example/', '//x')
    .map((url) => demoRequest(setupRequest(url))),
  fc.tuple(fc.uuid(), fc.array(line, { minLength: 1, maxLength: 3 })).map(([po, lines]) => demoRequest(orderRequest(`PO-${po}`, lines))),
  ...(samples.length > 0 ? [fc.constantFrom(...samples), fc.constantFrom(...samples).map((doc) => doc.replace(/<Header>[\s\S]*<\/Header>/, DEMO_HEADER))] : []),
);

type Mutation = (doc: string, pick: number, text: string) => string;

/** Splits a document into markup and text runs (a linear scan: no backtracking). */
function tokens(doc: string): string[] {
  return doc.match(/<[^>]*>|[^<]+/g) ?? [doc];
}

/** The token range [start, end] of the element that opens at a start-tag token. */
function elementAt(parts: string[], pick: number): [number, number] | null {
  const starts = parts.flatMap((p, i) => (/^<[A-Za-z]/.test(p) ? [i] : []));
  if (starts.length === 0) return null;
  const start = starts[pick % starts.length]!;
  if (parts[start]!.endsWith('/>')) return [start, start];
  for (let depth = 0, i = start; i < parts.length; i++) {
    if (/^<[A-Za-z]/.test(parts[i]!) && !parts[i]!.endsWith('/>')) depth++;
    else if (parts[i]!.startsWith('</')) depth--;
    if (depth === 0) return [start, i];
  }
  return [start, parts.length - 1];
}

const MUTATIONS: Record<string, Mutation> = {
  'remove an element': (doc, pick) => {
    const parts = tokens(doc);
    const at = elementAt(parts, pick);
    return at ? [...parts.slice(0, at[0]), ...parts.slice(at[1] + 1)].join('') : doc;
  },
  'double an element': (doc, pick) => {
    const parts = tokens(doc);
    const at = elementAt(parts, pick);
    return at ? [...parts.slice(0, at[1] + 1), ...parts.slice(at[0], at[1] + 1), ...parts.slice(at[1] + 1)].join('') : doc;
  },
  'replace a text': (doc, pick, text) => {
    const parts = tokens(doc);
    const texts = parts.flatMap((p, i) => (p.startsWith('<') ? [] : [i]));
    if (texts.length > 0) parts[texts[pick % texts.length]!] = text;
    return parts.join('');
  },
  'replace a text, escaped': (doc, pick, text) => MUTATIONS['replace a text']!(doc, pick, text.replace(/&/g, '&amp;').replace(/</g, '&lt;')),
  'replace an attribute': (doc, pick, text) => {
    let n = 0;
    const target = pick % Math.max(1, (doc.match(/="[^"]*"/g) ?? []).length);
    return doc.replace(/="[^"]*"/g, (m) => (n++ === target ? `="${text.replace(/"/g, '&quot;')}"` : m));
  },
  'external entity': (doc) => withDoctype(doc, '<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY web SYSTEM "http://127.0.0.1:1/x">', '&xxe;&web;'),
  'entity expansion': (doc) =>
    withDoctype(
      doc,
      `<!ENTITY a "${'x'.repeat(50)}">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}`,
      '&j;',
    ),
  'parameter entity': (doc) => withDoctype(doc, '<!ENTITY % p SYSTEM "http://127.0.0.1:1/evil.dtd"> %p;', ''),
  'undefined entity': (doc) => doc.replace(/<Identity>/, '<Identity>&undefined;'),
  'character references': (doc, pick) =>
    doc.replace(/<Identity>/, `<Identity>${['&#0;', '&#x1;', '&#xD800;', '&#99999999;', '&#x;', '&#65;&#x42;', '&#xFFFE;'][pick % 7]}`),
  'foreign namespace': (doc) => doc.replace(/<cXML\b/, '<cXML xmlns="http://evil.example/ns"'),
  'prefixed root': (doc) => doc.replace(/<cXML\b/, '<c:cXML xmlns:c="http://xml.cxml.org/"').replace(/<\/cXML>/, '</c:cXML>'),
  'CDATA and comments': (doc, pick) => MUTATIONS['replace a text']!(doc, pick, '<![CDATA[<Identity>x</Identity>]]><!-- -- --><?pi x?>'),
  'cut short': (doc, pick) => doc.slice(0, pick % Math.max(1, doc.length)),
  'byte flip': (doc, pick, text) => {
    const i = pick % Math.max(1, doc.length);
    return doc.slice(0, i) + (text[0] ?? '\u0000') + doc.slice(i + 1);
  },
  'declared encoding': (doc, pick) =>
    doc.replace(/^<\?xml[^?]*\?>/, `<?xml version="1.${pick % 3}" encoding="${['UTF-16', 'ISO-8859-1', 'EBCDIC', 'x'][pick % 4]}"?>`),
  'byte order mark and junk first': (doc, pick) => ['\uFEFF', '  \n', 'junk', '<?xml version="1.0"?>'][pick % 4] + doc,
};

/** Puts an internal DTD subset on the document (replacing its DOCTYPE) and an entity reference in it. */
function withDoctype(doc: string, subset: string, reference: string): string {
  const body = doc.replace(/<!DOCTYPE[^>]*>/, '');
  const declared = body.replace(/(<\?xml[^?]*\?>)?/, (decl) => `${decl ?? ''}<!DOCTYPE cXML [${subset}]>`);
  return declared.replace(/<Identity>/, `<Identity>${reference}`);
}

const CONTENT_TYPES = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('text/xml; charset="UTF-8"', 'application/xml', 'text/xml', 'text/xml; charset=ISO-8859-1') },
  { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', '') },
);

/** cXML documents posted to `/punchout/cxml`. */
export function cxmlRequests(): fc.Arbitrary<FuzzRequest> {
  const mutation = fc.tuple(fc.constantFrom(...Object.keys(MUTATIONS)), fc.nat(), weirdString);
  return fc.tuple(baseDocument, fc.array(mutation, { minLength: 1, maxLength: 3 }), CONTENT_TYPES).map(([doc, mutations, contentType]) => ({
    method: 'POST' as const,
    path: '/punchout/cxml',
    headers: contentType ? { 'content-type': contentType } : ({} as Record<string, string>),
    body: mutations.reduce((d, [name, pick, text]) => MUTATIONS[name]!(d, pick, text), doc),
    label: `cXML (${mutations.map(([name]) => name).join(', ')})`,
  }));
}

const LOGIN = DEMO_OCI_BUYER.oci.logins[0]!;
/** HOOK_URLs of the buyer's registered hosts, some with a query of their own. */
const GOOD_HOOK_URLS = [
  'http://buyer.example/sap/bc/srm/oci_return?sap-client=100&~caller=CTLG',
  'http://buyer.example/ret?NEW_ITEM-PRICE[1]=0.01&NEW_ITEM-QUANTITY[1]=999',
  'https://buyer.example/x?a=%%%&b=<b>&c="q"',
  'http://localhost:8080/return',
  'http://127.0.0.1/ret#frag',
  'https://buyer.example/é中',
];
const HOOK_URLS = [
  'https://localhost:99999/x',
  'http://[::1]/x',
  'http://user:pass@buyer.example/x',
  'javascript:alert(document.cookie)',
  'data:text/html,<script>alert(1)</script>',
  '//buyer.example/x',
  '/relative',
  'http://buyer.example/%%%',
  'http://buyer.example/\u0000',
  'http://bücher.example/',
  'http://buyer.example.evil.example/',
  'ftp://buyer.example/',
  `http://buyer.example/${'a'.repeat(5000)}`,
  'http://127.0.0.1:1/',
  'http://buyer.example/?q="><script>alert(1)</script>',
];
const fieldName = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('DESCRIPTION', 'QUANTITY', 'PRICE', 'UNIT', 'CURRENCY', 'VENDORMAT', 'MATNR', 'LONGTEXT', 'EXT_PRODUCT_ID', 'X'),
      fc.oneof(fc.nat({ max: 1000 }).map(String), weirdString),
    )
    .map(([f, n]) => `NEW_ITEM-${f}[${n}]`),
  fc.constantFrom(
    '~OkCode',
    '~TARGET',
    '~CALLER',
    'OCI_VERSION',
    'OPI_VERSION',
    'FUNCTION',
    'PRODUCTID',
    'SEARCHSTRING',
    'HOOK_URL',
    'USERNAME',
    'PASSWORD',
    'TOKEN',
    'returntarget',
    '__proto__',
    'sap-client',
  ),
  weirdString,
);

/** OCI call-ups to `/punchout/oci` (GET query or POST form), with the buyer's login or not. */
export function ociRequests(): fc.Arbitrary<FuzzRequest> {
  const hook = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...GOOD_HOOK_URLS) },
    { weight: 2, arbitrary: fc.constantFrom(...HOOK_URLS) },
    { weight: 1, arbitrary: weirdString },
  );
  const login = fc.oneof({ weight: 3, arbitrary: fc.constant([LOGIN.username, LOGIN.password]) }, { weight: 1, arbitrary: fc.tuple(weirdString, weirdString) });
  const extra = fc.array(fc.tuple(fieldName, weirdString), { maxLength: 12 });
  const contentType = fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=ISO-8859-1',
    'text/plain',
    'application/json',
    'multipart/form-data',
    'multipart/form-data; boundary=x',
  );
  return fc
    .tuple(fc.option(hook, { nil: undefined }), fc.option(login, { nil: undefined }), extra, fc.constantFrom('GET', 'POST'), contentType)
    .map(([hookUrl, credentials, fields, method, type]) => {
      const params = new URLSearchParams();
      if (hookUrl !== undefined) params.append('HOOK_URL', hookUrl);
      if (credentials) {
        params.append('USERNAME', credentials[0]);
        params.append('PASSWORD', credentials[1]);
      }
      for (const [name, value] of fields) params.append(name, value);
      const form = params.toString();
      const names = [...new Set(params.keys())]
        .slice(0, 8)
        .map((n) => JSON.stringify(n.slice(0, 40)))
        .join(' ');
      return method === 'GET' && form.length < MAX_URL
        ? { method: 'GET' as const, path: `/punchout/oci?${form}`, label: `OCI call-up (GET, fields ${names})` }
        : {
            method: 'POST' as const,
            path: '/punchout/oci',
            headers: { 'content-type': type },
            body: form,
            label: `OCI call-up (POST as ${type}, fields ${names})`,
          };
    });
}
