/**
 * Whether a document introspects the schema (`__schema`, `__type`; `__typename` does not count).
 *
 * Such documents are never run by graphql-jit: graphql-jit 0.8.7 reads an argument's default from
 * graphql 16's `defaultValue`, and graphql 17 keeps the defaults of its introspection types in
 * `default`, so `__schema { directives }` (a non-null `includeDeprecated` with a default) failed
 * there with "was not provided": GraphiQL's own introspection query did, leaving the IDE without
 * a schema. Introspection is rare and small; graphql-js runs it.
 *
 * @module
 */
import { BREAK, visit, type DocumentNode } from 'graphql';

const known = new WeakMap<DocumentNode, boolean>();

export function introspects(document: DocumentNode): boolean {
  let found = known.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Field(node) {
        if (node.name.value === '__schema' || node.name.value === '__type') {
          found = true;
          return BREAK;
        }
        return undefined;
      },
    });
    known.set(document, found);
  }
  return found;
}
