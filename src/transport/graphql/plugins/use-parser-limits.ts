/**
 * Bounds the work of parsing a document before it is done: graphql-js stops at `maxTokens`
 * (its own parser option), and a document nested too deep for its recursive parser is refused:
 * `TOO_MANY_TOKENS` or `QUERY_TOO_DEEP` (HTTP 400), never an unexpected error.
 * The depth, alias and cost limits the throttling work adds build on this.
 *
 * @module
 */
import { GraphQLError, parse } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** Far above any real document (the CatalogPage is ~150 tokens, the introspection query ~300). */
export const DEFAULT_MAX_TOKENS = 3000;

export function useParserLimits(options: { maxTokens?: number } = {}): Plugin {
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  return {
    onParse({ setParseFn }) {
      setParseFn((source, parseOptions) => {
        try {
          return parse(source, { ...parseOptions, maxTokens });
        } catch (error) {
          // graphql-js parses recursively: a document nested deep enough runs out of stack before
          // it runs out of tokens (lists take two tokens a level). The caller's document, not ours.
          if (error instanceof RangeError) {
            throw createGraphQLError('The document is nested too deeply to parse; no operation of this API nests like that.', {
              extensions: { code: 'QUERY_TOO_DEEP', http: { status: 400 } },
            });
          }
          if (error instanceof GraphQLError && /more than \d+ tokens/.test(error.message)) {
            throw createGraphQLError(`The document has more than ${maxTokens} tokens; send a smaller one (pass long lists as variables).`, {
              extensions: { code: 'TOO_MANY_TOKENS', http: { status: 400 } },
            });
          }
          throw error;
        }
      });
    },
  };
}
