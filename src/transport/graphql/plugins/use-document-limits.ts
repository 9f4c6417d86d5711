/**
 * Refuses a document over the shape limits (depth, aliases, directives, fragment spreads; see
 * `limits/document-limits.ts`) before graphql-js validates it: this plugin's `onValidate` runs
 * before the validation itself, and a refusal takes its place, so no validation rule (nor
 * graphql-jit, nor a resolver) ever works on such a document. HTTP 400 with the limit's code.
 *
 * A document's verdict is kept with it (yoga hands back the same parsed document for the same
 * text), so a document seen before costs one lookup.
 *
 * @module
 */
import type { DocumentNode, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { checkDocumentLimits, type DocumentLimits } from '../limits/document-limits.ts';

export interface DocumentLimitsOptions {
  limits: DocumentLimits;
}

export function useDocumentLimits(options: DocumentLimitsOptions): Plugin {
  const verdicts = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  return {
    onValidate({ params: { schema, documentAST }, setResult }) {
      let refusals = verdicts.get(documentAST);
      if (refusals === undefined) {
        refusals = checkDocumentLimits(schema, documentAST, options.limits);
        verdicts.set(documentAST, refusals);
      }
      if (refusals.length > 0) {
        setResult([...refusals]);
      }
    },
  };
}
