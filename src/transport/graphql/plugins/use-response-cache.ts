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
import { queryCost } from '../cost/query-cost.ts';
import { keepAnswer, type ResponseCacheSlot } from '../response-cache/cached-answer.ts';
import { planResponse, type ResponsePlan } from '../response-cache/plan.ts';

export function useResponseCache(): Plugin<{ responseCache?: ResponseCacheSlot }> {
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
          keepAnswer(slot, plan, result.data as Record<string, unknown>, {
            variables,
            cost: queryCost(args.schema, args.document, { operationName: args.operationName, variables }),
            operationName: plan.operationName,
          });
        },
      };
    },
  };
}

function isSingleResult(result: unknown): result is ExecutionResult {
  return typeof result === 'object' && result !== null && !Array.isArray(result) && !(Symbol.asyncIterator in result);
}
