/**
 * Tells the request's log line which operation ran: the name of the operation executed (the one
 * `operationName` picked, or the document's only one), as the document declares it. Parsed and
 * validated by then, so it is a GraphQL name; anonymous operations leave it out.
 *
 * @module
 */
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../context.ts';

export function useOperationName(): Plugin<Pick<GraphQLContext, 'facts'>> {
  return {
    onExecute({ args }) {
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      if (name !== undefined && args.contextValue.facts) args.contextValue.facts.operationName = name;
    },
  };
}
