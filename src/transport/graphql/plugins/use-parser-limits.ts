/**
 * Bounds the work of parsing a document before it is done: graphql-js stops at `maxTokens`
 * (its own parser option), and a document nested too deep for its recursive parser is refused:
 * `TOO_MANY_TOKENS` or `QUERY_TOO_DEEP` (HTTP 400), never an unexpected error. graphql-js's own
 * token limit is used rather than graphql-armor's (which counts through a proxy on the parser's
 * private lexer): same limit, no cost per token. The shape limits (`use-document-limits.ts`) and
 * the query cost (`use-query-cost.ts`) check what this lets through.
 *
 * @module
 */
import { GraphQLError, parse } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** MAX_QUERY_TOKENS' default: far above any real document (see the README, "Query limits and cost"). */
export const DEFAULT_MAX_TOKENS = 3000;

export interface ParserLimitsOptions {
  /** The most tokens a document may have (MAX_QUERY_TOKENS). */
  maxTokens?: number;
}

export function useParserLimits(options: ParserLimitsOptions = {}): Plugin {
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
              extensions: { code: 'TOO_MANY_TOKENS', limit: maxTokens, http: { status: 400 } },
            });
          }
          throw error;
        }
      });
    },
  };
}
