/**
 * Refuses variables holding numbers JSON cannot mean: `1e999` parses to Infinity, which no
 * quantity or price may be. Refused up front, with a code, before any executor sees it (graphql-jit
 * would fail on it with an unexpected error).
 *
 * @module
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';

function findNonFinite(value: unknown, path: string): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNonFinite(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = findNonFinite(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

export function useFiniteVariables(): Plugin {
  return {
    onParams({ params }) {
      if (!params.variables) return;
      const where = findNonFinite(params.variables, '$');
      if (where) {
        throw createGraphQLError(`Variable ${where.slice(2) ? `$${where.slice(2)}` : ''} is not a finite number (JSON numbers beyond ±1.8e308 overflow).`, {
          extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
        });
      }
    },
  };
}
