/**
 * What the response cache keeps of one answer, and the request's slot that builds it: the key it
 * goes under and the footprint of what the request reads.
 *
 * @module
 */
import type { DocumentNode } from 'graphql';
import type { Footprint } from '../../../services/footprint.ts';
import type { ResponseCache } from '../../../services/response-cache.ts';
import type { QueryCost } from '../cost/query-cost.ts';

/** One root selection of a cached answer: its text, kept (`"products":[…]`), or a live field's response key. */
export type AnswerPart = { text: string } | { live: string };

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

/** The store of cached answers. */
export type AnswerCache = ResponseCache<CachedAnswer>;

/** Set on the GraphQL context by the HTTP route when a request's answer may be kept. */
export interface ResponseCacheSlot {
  store: AnswerCache;
  /** Scope, principal's roles and the request body (see `response-cache/front.ts`). */
  key: string;
  /** What the request reads from the moment the slot was opened. */
  footprint: Footprint;
  /** The store's generation when the slot was opened (see `ResponseCache.set`). */
  generation: number;
}
