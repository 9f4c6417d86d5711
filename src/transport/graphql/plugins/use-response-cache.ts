/**
 * Keeps answers for the response cache (README "Response cache"): after an operation ran for a
 * request that has a slot (`context.responseCache`, set by the HTTP route), the text of its
 * cacheable root fields (`response-cache/plan.ts`) is stored, tagged by every cache entry the
 * request read, expiring when the first of them stops being fresh. Not kept: an answer with any
 * error (an error's message may name the customer), one that read anything stale (a stale answer
 * is served by running the operation, which marks it), one that read nothing (its age unknown).
 *
 * The text is what yoga would send for those fields (`JSON.stringify` of the executed data), so a
 * cached answer is byte for byte the answer that was run. Serving it is `response-cache/front.ts`.
 *
 * @module
 */
import type { DocumentNode, ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Clock } from '../../../ports/clock.ts';
import { queryCost } from '../cost/query-cost.ts';
import type { AnswerPart, CachedAnswer, ResponseCacheSlot } from '../response-cache/cached-answer.ts';
import { planResponse, type ResponsePlan } from '../response-cache/plan.ts';

/** Per-part estimate of the store's own overhead (map entries, the part objects), in bytes. */
const OVERHEAD_BYTES = 64;

export function useResponseCache(options: { clock: Clock }): Plugin<{ responseCache?: ResponseCacheSlot }> {
  // Yoga hands the same DocumentNode for the same text (its parse cache): planned once per document.
  const plans = new WeakMap<DocumentNode, Map<string, ResponsePlan | null>>();
  const planFor = (document: DocumentNode, operationName: string | null | undefined) => {
    let byName = plans.get(document);
    if (!byName) plans.set(document, (byName = new Map()));
    const name = operationName ?? '';
    if (!byName.has(name)) byName.set(name, planResponse(document, operationName));
    return byName.get(name)!;
  };

  return {
    onExecute({ args }) {
      const slot = args.contextValue.responseCache;
      if (!slot) return;
      const plan = planFor(args.document, args.operationName);
      if (!plan) return;
      const variables = (args.variableValues ?? undefined) as Record<string, unknown> | undefined;
      return {
        onExecuteDone({ result }) {
          if (!isSingleResult(result) || result.errors || !result.data) return;
          const { footprint } = slot;
          if (footprint.stale || footprint.tags.size === 0 || footprint.freshUntil <= options.clock.now()) return;
          const data = result.data as Record<string, unknown>;
          const parts: AnswerPart[] = plan.fields.map((f) =>
            f.cached ? { text: `${JSON.stringify(f.responseKey)}:${JSON.stringify(data[f.responseKey] ?? null)}` } : { live: f.responseKey },
          );
          const answer: CachedAnswer = {
            parts,
            residual: plan.residual,
            variables,
            cost: queryCost(args.schema, args.document, { operationName: args.operationName, variables }),
            operationName: plan.operationName,
            reads: [...footprint.reads],
          };
          const tags = [...footprint.tags];
          let bytes = slot.key.length + OVERHEAD_BYTES * (parts.length + 4);
          for (const part of parts) if ('text' in part) bytes += part.text.length;
          for (const tag of tags) bytes += tag.length + OVERHEAD_BYTES;
          slot.store.set(slot.key, { value: answer, tags, expiresAt: footprint.freshUntil, bytes }, slot.generation);
        },
      };
    },
  };
}

function isSingleResult(result: unknown): result is ExecutionResult {
  return typeof result === 'object' && result !== null && !Array.isArray(result) && !(Symbol.asyncIterator in result);
}
