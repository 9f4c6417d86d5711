/**
 * The shape limits of a GraphQL document, checked before graphql-js's own validation rules (and
 * long before graphql-jit compiles it): depth, aliases and directives, with graphql-armor's rules,
 * and fragment spreads counted as they expand, with our own. Every count follows fragment spreads
 * (a field inside a fragment spread three times counts three times) and is computed once per
 * fragment, so checking takes time linear in the document whatever it expands to.
 *
 * Why a spread limit of our own: armor has none, and a document of 2,000 tokens (180 fragments,
 * each spreading the next twice) expands to 2^180 selections. graphql-jit inlines every spread
 * when it compiles an operation, so such a document would keep the process busy for ever
 * (measured: 20 levels 0.3 s, 25 levels 10 s). Counting spreads as they expand bounds what any
 * later step can be asked to expand.
 *
 * @module
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  Kind,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/** The most a document may hold; each from the environment (see `config/env.ts`). */
export interface DocumentLimits {
  /** Deepest field nesting, fragments flattened (a spread adds no level; its fields do). */
  maxDepth: number;
  /** Aliased fields (`__typename` aliases are free: clients add them). */
  maxAliases: number;
  /** Directives (`@include`, `@skip`, ...). */
  maxDirectives: number;
  /** Fragment spreads, counted as they expand: a spread inside a fragment counts each time that fragment is spread. */
  maxFragmentSpreads: number;
}

/** The code of each refusal, as clients read it in `extensions.code`. */
export type DocumentLimitCode = 'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'TOO_MANY_DIRECTIVES' | 'TOO_MANY_FRAGMENT_SPREADS';

/** A refusal: HTTP 400, a code, and the limit with what was found (as armor reports it). */
export function limitError(
  code: DocumentLimitCode | 'TOO_MANY_TOKENS' | 'TOO_MANY_SKUS',
  message: string,
  details: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status: 400 } } });
}

/**
 * The refusals of `document` under `limits`, each with its code; empty when it fits. Runs only
 * the limit rules (not graphql-js's), so it is safe on any document the parser accepted.
 */
export function checkDocumentLimits(schema: GraphQLSchema, document: DocumentNode, limits: DocumentLimits): GraphQLError[] {
  const refusals: GraphQLError[] = [];
  // armor reports "Syntax Error: Query depth limit of 12 exceeded, found 14." and would throw; it
  // hands us its finding instead, and the refusal is ours: a code, and a sentence saying what to do.
  const found = (code: DocumentLimitCode, limit: number, what: string, advice: string) => (_: unknown, error: GraphQLError) => {
    const count = Number(/found (\d+)/.exec(error.message)?.[1]);
    refusals.push(
      limitError(code, `The document has ${Number.isFinite(count) ? count : `more than ${limit}`} ${what}; at most ${limit} are accepted. ${advice}`, {
        limit,
        ...(Number.isFinite(count) ? { found: count } : {}),
      }),
    );
  };
  const armor = { propagateOnRejection: false, exposeLimits: true } as const;
  const rules: ValidationRule[] = [
    maxDepthRule({
      ...armor,
      n: limits.maxDepth,
      flattenFragments: true,
      onReject: [found('QUERY_TOO_DEEP', limits.maxDepth, 'levels of nesting', 'No query of this API needs that many.')],
    }),
    maxAliasesRule({
      ...armor,
      n: limits.maxAliases,
      onReject: [
        found('TOO_MANY_ALIASES', limits.maxAliases, 'aliased fields', 'Ask for lists in one field (products takes many SKUs) instead of one alias per item.'),
      ],
    }),
    maxDirectivesRule({
      ...armor,
      n: limits.maxDirectives,
      onReject: [found('TOO_MANY_DIRECTIVES', limits.maxDirectives, 'directives', 'Send fewer @include/@skip.')],
    }),
    maxFragmentSpreadsRule(limits.maxFragmentSpreads, (count) => {
      refusals.push(
        limitError(
          'TOO_MANY_FRAGMENT_SPREADS',
          `The document's fragment spreads expand to ${formatCount(count)}; at most ${limits.maxFragmentSpreads} are accepted. Spread each fragment where it is needed, not in chains that repeat it.`,
          { limit: limits.maxFragmentSpreads, ...(Number.isSafeInteger(count) ? { found: count } : {}) },
        ),
      );
    }),
  ];
  validate(schema, document, rules);
  return refusals;
}

/** A huge count as a person reads it: 1.5e54, not 1532495540865888858358347027150309183618739122183602176. */
function formatCount(count: number): string {
  return count < 1e6 ? String(count) : count.toExponential(1);
}

/**
 * Counts each operation's fragment spreads as they expand, and reports an operation over `max`.
 * Each fragment's own expanded count is computed once (a cycle counts as nothing: graphql-js
 * refuses cyclic fragments after this), so a chain that doubles at every fragment costs one
 * visit per fragment.
 */
export function maxFragmentSpreadsRule(max: number, onExceeded: (count: number) => void): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const expanded = new Map<string, number>();
    const spreadsIn = (selectionSet: SelectionSetNode | undefined, path: Set<string>): number => {
      let count = 0;
      for (const selection of selectionSet?.selections ?? []) {
        if (selection.kind === Kind.FRAGMENT_SPREAD) count += 1 + fragmentSpreads(selection.name.value, path);
        else count += spreadsIn(selection.selectionSet, path);
      }
      return count;
    };
    const fragmentSpreads = (name: string, path: Set<string>): number => {
      const known = expanded.get(name);
      if (known !== undefined) return known;
      const fragment = context.getFragment(name);
      if (!fragment || path.has(name)) return 0;
      path.add(name);
      const count = spreadsIn(fragment.selectionSet, path);
      path.delete(name);
      expanded.set(name, count);
      return count;
    };
    return {
      OperationDefinition(operation) {
        const count = spreadsIn(operation.selectionSet, new Set());
        if (count > max) onExceeded(count);
        return false; // the counting above walked it
      },
      FragmentDefinition: () => false,
    };
  };
}
