/**
 * Every error a client receives has an `extensions.code`. graphql-js reports variables that do
 * not fit their type (a `Float` of 1e999, a string for an `Int`) as request errors without one;
 * they are the caller's mistake, so they get `BAD_USER_INPUT`.
 *
 * @module
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * The error with `BAD_USER_INPUT` added, as a new error: graphql-jit's request errors carry an
 * `extensions` that cannot be written to.
 */
function withCode(error: GraphQLError): GraphQLError {
  if (error.path !== undefined || error.extensions?.code !== undefined) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    // A request error: 400 under application/graphql-response+json, as graphql-js's own path answers.
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

export function useErrorCodes(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        if (!('errors' in result) || !result.errors?.some((e) => withCode(e) !== e)) return;
        setResult({ ...result, errors: result.errors.map(withCode) });
      },
    }),
  };
}
