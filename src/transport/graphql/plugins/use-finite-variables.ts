/**
 * Refuses variables holding numbers JSON cannot mean: `1e999` parses to Infinity, which no
 * quantity or price may be; and variables nested deeper than any input of the schema. Refused up
 * front, with a code, before any executor sees them (graphql-jit would fail on them with an
 * unexpected error).
 *
 * @module
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** Deeper than any input type of the schema (PlaceOrderInput is three levels) by far. */
const MAX_VARIABLE_DEPTH = 32;

/**
 * The path of the first non-finite number in `value`, `'depth'` when it nests deeper than
 * {@link MAX_VARIABLE_DEPTH}, or `null`. Walks with its own stack: a hostile body nested
 * thousands of levels deep must not exhaust the call stack.
 */
export function findNonFinite(value: unknown): string | 'depth' | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '$', depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'number') {
      if (!Number.isFinite(current)) return path;
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_VARIABLE_DEPTH) return 'depth';
    const entries = Array.isArray(current) ? current.map((v, i) => [`[${i}]`, v] as const) : Object.entries(current).map(([k, v]) => [`.${k}`, v] as const);
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: `${path}${entries[i]![0]}`, depth: depth + 1 });
  }
  return null;
}

export function useFiniteVariables(): Plugin {
  return {
    onParams({ params }) {
      if (!params.variables) return;
      const where = findNonFinite(params.variables);
      if (where === 'depth') {
        throw createGraphQLError(`Variables are nested more than ${MAX_VARIABLE_DEPTH} levels deep; no input of this API is.`, {
          extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
        });
      }
      if (where) {
        throw createGraphQLError(`Variable ${where.slice(2) ? `$${where.slice(2)}` : ''} is not a finite number (JSON numbers beyond ±1.8e308 overflow).`, {
          extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
        });
      }
    },
  };
}
