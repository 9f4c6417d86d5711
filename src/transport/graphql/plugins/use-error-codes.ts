/**
 * Every error a client receives has an `extensions.code`. graphql-js reports variables that do
 * not fit their type (a `Float` of 1e999, a string for an `Int`) as request errors without one;
 * they are the caller's mistake, so they get `BAD_USER_INPUT`.
 *
 * @module
 */
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function useErrorCodes(): Plugin {
  const coded = (errors: readonly GraphQLError[]) => {
    for (const error of errors) {
      if (error.path === undefined && error.extensions?.code === undefined) {
        (error.extensions as Record<string, unknown>).code = 'BAD_USER_INPUT';
      }
    }
  };
  return {
    onExecute: () => ({
      onExecuteDone: ({ result }) => {
        if ('errors' in result && result.errors) coded(result.errors);
      },
    }),
  };
}
