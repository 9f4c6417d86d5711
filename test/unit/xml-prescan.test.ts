/**
 * The checks run on every cXML body before its sender is known: entity declarations and DTD
 * internal subsets are found as a parser would find them, in time linear in the body.
 */
import { describe, expect, it } from 'vitest';
import { exceedsMarkupBudget, findForbiddenDeclaration, MAX_MARKUP_ITEMS } from '../../src/features/punchout/xml/prescan.ts';

describe('findForbiddenDeclaration', () => {
  it.each([
    ['<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd"><cXML/>', null],
    ['<!doctype cXML [<!ELEMENT cXML ANY>]><cXML/>', 'internal-subset'],
    ['<!DOCTYPE cXML[]><cXML/>', 'internal-subset'],
    // A quoted system identifier may hold `>` and `[`: the declaration ends at the first `>` outside quotes.
    ['<!DOCTYPE cXML SYSTEM "a>b" [<!ELEMENT cXML ANY>]><cXML/>', 'internal-subset'],
    ["<!DOCTYPE cXML SYSTEM 'x/[1]/cXML.dtd'><cXML/>", null],
    ['<cXML><!-- <!EnTiTy x "y"> --></cXML>', 'entity'],
    ['<!DOCTYPE cXML SYSTEM "unterminated', null],
    ['<!', null],
  ])('%s: %s', (xml, expected) => {
    expect(findForbiddenDeclaration(xml)).toBe(expected);
  });

  it.each([
    ['repeated <!DOCTYPE', '<!DOCTYPE'],
    ['repeated <!DOCTYPE with an open quote', '<!DOCTYPE x "'],
    ['repeated <!', '<!'],
    ['repeated <!ENTIT', '<!ENTIT'],
  ])('%s (4 MiB): linear, well under 2 s', (_, unit) => {
    const xml = unit.repeat(Math.floor((4 * 1024 * 1024) / unit.length));
    const started = performance.now();
    findForbiddenDeclaration(xml);
    exceedsMarkupBudget(xml);
    // Linear takes tens of milliseconds here; a scan that went back over the input for each
    // unit would take minutes on 4 MiB. 2 s separates the two even on a machine busy with other
    // test files.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('exceedsMarkupBudget', () => {
  it(`counts tags and attribute assignments up to ${MAX_MARKUP_ITEMS}`, () => {
    expect(exceedsMarkupBudget('<a b="c"/>'.repeat(MAX_MARKUP_ITEMS / 2))).toBe(false);
    expect(exceedsMarkupBudget(`${'<a b="c"/>'.repeat(MAX_MARKUP_ITEMS / 2)}<x/>`)).toBe(true);
  });
});
