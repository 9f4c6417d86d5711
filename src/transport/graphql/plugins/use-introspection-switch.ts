/**
 * Turns schema introspection (`__schema`, `__type`) off for every caller when GRAPHQL_INTROSPECTION
 * is false (the default in production): the public contract is `schema.graphql`, published with
 * erpfront, and a deployment need not hand its schema to whoever holds a token. `__typename`
 * stays, as clients (Apollo, urql) add it to every selection.
 *
 * @module
 */
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface IntrospectionSwitchOptions {
  /** Whether introspection queries are answered. */
  enabled: boolean;
}

export function useIntrospectionSwitch(options: IntrospectionSwitchOptions): Plugin {
  if (options.enabled) return {};
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
