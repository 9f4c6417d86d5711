/**
 * What erpfront refuses in XML before any parser sees it: an entity declaration anywhere, a
 * DOCTYPE with an internal subset (`[`), and more markup than any document erpfront takes could
 * need. This runs on every cXML body before its sender is authenticated, so it must cost the
 * same for any input of a given size: single passes, no backtracking. (The regular expression it
 * replaces, `/<!DOCTYPE[^>[]*\[/i`, rescanned the rest of the body from every `<!DOCTYPE`: a
 * megabyte of them blocked the event loop for minutes.)
 *
 * @module
 */

/**
 * The most elements and attributes (counted as `<` and `=`, an upper bound of both) in one
 * document. An OrderRequest of 200 lines (ORDER_MAX_LINES) with addresses and extrinsics has
 * about 13,000; a megabyte of `<a/>` has 260,000, which the parser needs a second of CPU to build
 * before anyone is authenticated. Parsing cost is per node, so this bounds it.
 */
export const MAX_MARKUP_ITEMS = 50_000;

/** Whether `xml` has more than `MAX_MARKUP_ITEMS` tags and attribute assignments. */
export function exceedsMarkupBudget(xml: string): boolean {
  let count = 0;
  for (let i = 0; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if ((c === 0x3c || c === 0x3d) && ++count > MAX_MARKUP_ITEMS) return true;
  }
  return false;
}

/** What was found, if anything. */
export type ForbiddenDeclaration = 'entity' | 'internal-subset' | null;

/** Whether `xml` at `at` starts with `word` (ASCII, any case). */
function startsWithIgnoringCase(xml: string, at: number, word: string): boolean {
  if (at + word.length > xml.length) return false;
  for (let k = 0; k < word.length; k++) {
    if ((xml.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Scans `xml` once. A DOCTYPE declaration is followed to its end as a parser reads it: quoted
 * literals (a system identifier may contain `>` or `[`) are skipped, and the declaration ends at
 * the first `>` outside them; a `[` before that opens an internal subset. Scanning resumes after
 * the declaration, so no character is looked at more than a bounded number of times.
 */
export function findForbiddenDeclaration(xml: string): ForbiddenDeclaration {
  let at = xml.indexOf('<!');
  while (at !== -1) {
    const name = at + 2;
    if (startsWithIgnoringCase(xml, name, 'entity')) return 'entity';
    let resume = name;
    if (startsWithIgnoringCase(xml, name, 'doctype')) {
      let quote = 0;
      let i = name + 7;
      for (; i < xml.length; i++) {
        const c = xml.charCodeAt(i);
        if (quote !== 0) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) {
          quote = c;
        } else if (c === 0x5b) {
          return 'internal-subset';
        } else if (c === 0x3e) {
          break;
        }
      }
      resume = i;
    }
    at = xml.indexOf('<!', resume);
  }
  return null;
}
