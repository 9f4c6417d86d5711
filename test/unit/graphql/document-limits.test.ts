/**
 * The shape limits over erpfront's schema: each refuses with its code and says the limit and what
 * it found; counts follow fragments; and a document that expands exponentially is judged in time
 * linear in its text.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkDocumentLimits, type DocumentLimits } from '../../../src/transport/graphql/limits/document-limits.ts';
import { CATALOG_PAGE } from '../../support/stack.ts';

const schema = buildSchema(readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8'));
const LIMITS: DocumentLimits = { maxDepth: 12, maxAliases: 30, maxDirectives: 50, maxFragmentSpreads: 100 };
const refusals = (document: string, limits: Partial<DocumentLimits> = {}) =>
  checkDocumentLimits(schema, parse(document, { maxTokens: 1_000_000 }), { ...LIMITS, ...limits }).map((e) => ({
    code: e.extensions.code,
    limit: e.extensions.limit,
    found: e.extensions.found,
  }));

/** `levels` fragments, each spreading the next twice: 2^levels selections once expanded. */
function fragmentChain(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Product { price { source } ...F${i + 1} ...F${i + 1} }`);
  return `{ products(skus: ["SKU-00001"]) { ...F0 } }\n${fragments.join('\n')}\nfragment F${levels} on Product { sku }`;
}

describe('document limits', () => {
  it("the README's CatalogPage fits the defaults", () => {
    expect(refusals(CATALOG_PAGE)).toEqual([]);
  });

  it('depth counts fields through fragments, not the spreads themselves', () => {
    // products > price > breaks > unitPrice > amount: 5 levels.
    expect(refusals(CATALOG_PAGE, { maxDepth: 4 })).toEqual([{ code: 'QUERY_TOO_DEEP', limit: 4, found: 5 }]);
    const viaFragments = '{ products(skus: []) { ...A } } fragment A on Product { price { ...B } } fragment B on Price { unitPrice { amount } }';
    expect(refusals(viaFragments, { maxDepth: 4 })).toEqual([]);
    expect(refusals(viaFragments, { maxDepth: 3 })).toEqual([{ code: 'QUERY_TOO_DEEP', limit: 3, found: 4 }]);
  });

  it('aliases count each time their fragment is spread', () => {
    const document = '{ a: viewer { subject } ...V ...V } fragment V on Query { b: viewer { subject } c: viewer { subject } }';
    expect(refusals(document, { maxAliases: 4 })).toEqual([{ code: 'TOO_MANY_ALIASES', limit: 4, found: 5 }]);
    expect(refusals(document, { maxAliases: 5 })).toEqual([]);
  });

  it('directives, through fragments too', () => {
    const document = 'query($x: Boolean!) { viewer @include(if: $x) { subject @skip(if: $x) } ...V } fragment V on Query { viewer { roles @include(if: $x) } }';
    expect(refusals(document, { maxDirectives: 2 })).toEqual([{ code: 'TOO_MANY_DIRECTIVES', limit: 2, found: 3 }]);
  });

  it('fragment spreads count as they expand: the fragment bomb is refused, judged in a few milliseconds', () => {
    expect(refusals(fragmentChain(3))).toEqual([]); // 1 + 2 + 4 + 8 = 15 spreads
    expect(refusals(fragmentChain(3), { maxFragmentSpreads: 14 })).toEqual([{ code: 'TOO_MANY_FRAGMENT_SPREADS', limit: 14, found: 15 }]);
    const bomb = parse(fragmentChain(180));
    const started = performance.now();
    const found = checkDocumentLimits(schema, bomb, LIMITS);
    expect(performance.now() - started).toBeLessThan(50);
    expect(found.map((e) => e.extensions.code)).toEqual(['TOO_MANY_FRAGMENT_SPREADS']);
    expect(found[0]!.message).toMatch(/expand to 3\.1e\+54; at most 100/);
  });

  it('a cycle of fragments is left to graphql-js to refuse (it is no valid document)', () => {
    expect(refusals('{ viewer { ...A } } fragment A on Viewer { ...B } fragment B on Viewer { ...A }')).toEqual([]);
  });
});
