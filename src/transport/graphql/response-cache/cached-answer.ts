/**
 * What the response cache keeps of one answer, and the request's slot that builds it: the key it
 * goes under and the footprint of what the request reads.
 *
 * @module
 */
import type { DocumentNode } from 'graphql';
import { flatString, stringBytes, valueBytes } from '../../../domain/heap-size.ts';
import type { Footprint } from '../../../services/footprint.ts';
import type { ResponseCache } from '../../../services/response-cache.ts';
import type { QueryCost } from '../cost/query-cost.ts';
import type { ResponsePlan } from './plan.ts';

/**
 * One root selection of a cached answer: its JSON (`"products":[…]`), kept as the UTF-8 bytes sent
 * (a hit copies them instead of encoding 30 KB of text again), or a live field's response key.
 */
export type AnswerPart = { bytes: Uint8Array } | { live: string };

export interface CachedAnswer {
  /** In document order. */
  parts: readonly AnswerPart[];
  /** The live root fields' document (run for every request); `null` when every part is kept. */
  residual: DocumentNode | null;
  /** The variables the operation ran with (the key's body holds the same). */
  variables: Record<string, unknown> | undefined;
  /** What the operation costs; charged to the caller on every answer, as when it runs. */
  cost: QueryCost;
  operationName: string | null;
  /**
   * The cache reads it was built from, by domain: served again from the cache by every hit, and
   * counted so (`erpfront_cache_requests_total{cache,result="hit"}`), as when the operation runs.
   */
  reads: ReadonlyArray<readonly [domain: string, count: number]>;
}

/**
 * A customer's price scope as last read by this instance (`currency␁priceList␁contract`), kept
 * beside the answers and tagged by the account's cache key, so that an instance whose account
 * entry lives only in the shared tier still finds its answers without a read, and forgets the
 * scope when the account changes or ages out.
 */
export interface ScopeNote {
  scope: string;
}

/** The store of cached answers (and the scope notes that key them). */
export type AnswerCache = ResponseCache<CachedAnswer | ScopeNote>;

/** Set on the GraphQL context by the HTTP route when a request's answer may be kept. */
export interface ResponseCacheSlot {
  store: AnswerCache;
  /**
   * Scope, principal's roles and the request body (see `response-cache/front.ts`), once the
   * customer's account is in the cache (the run reads it); `null`: not kept.
   */
  key: () => string | null;
  /** What the request reads from the moment the slot was opened. */
  footprint: Footprint;
  /** The store's generation when the slot was opened (see `ResponseCache.set`). */
  generation: number;
}

/**
 * What an answer takes on the heap besides its strings, measured (response-cache-heap.test.ts): the
 * answer's objects and its map slot; per part, its object; per tag, its slot in the answer's list
 * and in the tag index (a map entry, or a slot in the set of the answers that read the same entry).
 */
const ANSWER_BYTES = 400;
const PART_BYTES = 64;
const TAG_BYTES = 56;
/** A kept part's typed array and buffer objects; its bytes themselves live outside V8's heap (in RSS all the same). */
const BUFFER_BYTES = 96;
const utf8 = new TextEncoder();

/**
 * Keeps the answer an operation ran to, when it may be kept: not when it read anything stale (a
 * stale answer is served by running, which marks it), nor when it read nothing (its age unknown),
 * nor past the freshness of what it read. `data` is the executed result, without errors: the bytes
 * kept are `JSON.stringify` of it, as the engine sends it, so a hit is byte for byte what ran.
 */
export function keepAnswer(
  slot: ResponseCacheSlot,
  plan: ResponsePlan,
  data: Record<string, unknown>,
  run: { variables: Record<string, unknown> | undefined; cost: QueryCost; operationName: string | null },
): void {
  const { footprint } = slot;
  if (footprint.stale || footprint.tags.size === 0) return;
  const key = slot.key();
  if (key === null) return;
  const parts: AnswerPart[] = plan.fields.map((f) =>
    f.cached ? { bytes: utf8.encode(`${JSON.stringify(f.responseKey)}:${JSON.stringify(data[f.responseKey] ?? null)}`) } : { live: f.responseKey },
  );
  const answer: CachedAnswer = { parts, residual: plan.residual, ...run, reads: [...footprint.reads] };
  // Flat copies: kept as long as the answer, in its list and as the tag index's keys.
  const tags = Array.from(footprint.tags, flatString);
  // Its heap, as RESPONSE_CACHE_MAX_MB counts it: within a fifth of what a page of prices takes.
  let bytes = ANSWER_BYTES + stringBytes(key.length) + valueBytes(run.variables);
  for (const part of parts) bytes += PART_BYTES + ('bytes' in part ? BUFFER_BYTES + part.bytes.byteLength : 0);
  for (const tag of tags) bytes += TAG_BYTES + stringBytes(tag.length);
  // The store refuses what is already past its freshness, and what was built across a drop.
  slot.store.set(key, { value: answer, tags, expiresAt: footprint.freshUntil, bytes }, slot.generation);
}
