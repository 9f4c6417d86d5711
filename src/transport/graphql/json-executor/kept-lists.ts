/**
 * Lists written again from the very texts they were last written from: a catalog page's products,
 * each a text kept while its values hold (json-executor.ts), make the same list on every request.
 * Such a list is encoded as UTF-8 once, when it is seen the second time, and sent as those bytes
 * from then on (json-text.ts); a list seen once costs its item texts' array until pushed out.
 *
 * The text is a function of the items' texts alone, compared by identity: the same strings in the
 * same order make the same list, whoever asks. Kept per list plan (a page shape), a few per plan,
 * a bounded number of plans: at most {@link MAX_PLANS} × {@link PER_PLAN} lists, about 60 KB each
 * for a 48-product page.
 *
 * @module
 */
import type { ListPlan } from './json-plan.ts';
import { JsonParts, type Json } from './json-text.ts';

/** Fewer items than this are written as they come: joining them costs less than keeping them. */
export const KEPT_LIST_MIN_ITEMS = 8;
const MAX_PLANS = 32;
const PER_PLAN = 2;

interface KeptList {
  texts: readonly string[];
  /** The list's text until it is encoded, then its bytes. */
  written: string | JsonParts;
}

const kept = new Map<ListPlan, KeptList[]>();

function sameTexts(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The JSON list of `texts` (its items' JSON, in order), as bytes when the same list was written before. */
export function listOf(plan: ListPlan, texts: string[]): Json {
  let slots = kept.get(plan);
  if (slots !== undefined) {
    for (const slot of slots) {
      if (!sameTexts(slot.texts, texts)) continue;
      if (typeof slot.written === 'string') slot.written = new JsonParts([Buffer.from(slot.written)]);
      return slot.written;
    }
  }
  const text = `[${texts.join(',')}]`;
  if (slots === undefined) {
    if (kept.size >= MAX_PLANS) kept.clear();
    kept.set(plan, (slots = []));
  }
  if (slots.length >= PER_PLAN) slots.shift();
  slots.push({ texts, written: text });
  return text;
}
