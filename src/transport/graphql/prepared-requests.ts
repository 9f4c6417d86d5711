/**
 * Requests the fast path has prepared, by the caller's roles and the body's text: which learned
 * operation the body asks for, its variables, their cost and, for the JSON executor, their coerced
 * values. A storefront sends the same few bodies again and again; everything here depends on the
 * text alone (and the roles, which decide the operation learned), so it is worked out once per
 * text instead of parsing the body, checking and stringifying its variables, walking the document
 * for the cost and coercing the variables on every request (about 25 µs of a warm page).
 *
 * Shared by every request sending that text, so nothing in an entry may change: the variables are
 * a frozen copy (the parsed body itself goes on to the engine when the fast path declines), the
 * cost and the coerced values frozen. Bounded by the keys' size, then forgotten all at once;
 * a body larger than a page's is prepared for its request only.
 *
 * @module
 */
import { getVariableValues, type GraphQLSchema, type VariableValues } from 'graphql';
import { deepFreeze } from '../../domain/deep-freeze.ts';
import type { QueryCost } from './cost/query-cost.ts';
import type { JsonPlan } from './json-executor/json-plan.ts';

export interface Prepared<Operation> {
  operation: Operation;
  /** The body's variables (frozen), as the engine would take them. */
  variables: Record<string, unknown> | undefined;
  cost: QueryCost;
  /** The variables coerced for the operation's JSON plan; `null` without a plan, or when they do not coerce. */
  coerced: VariableValues | null;
}

const MAX_KEYS_CHARS = 4 * 1024 * 1024;
const MAX_KEY_CHARS = 16 * 1024;

export class PreparedRequests<Operation> {
  readonly #entries = new Map<string, Prepared<Operation>>();
  #keysChars = 0;

  /** The key of `text` sent by a caller of sorted roles `roles`. */
  static key(roles: string, text: string): string {
    return `${roles}\u0001${text}`;
  }

  get(key: string): Prepared<Operation> | undefined {
    return this.#entries.get(key);
  }

  /**
   * An entry for `operation` with `variables` and `cost` (copied and frozen here), kept under
   * `key` when it is small enough; `plan`: the operation's JSON plan, whose variables are coerced now.
   */
  prepare(
    key: string,
    schema: GraphQLSchema,
    operation: Operation,
    plan: JsonPlan | null,
    variables: Record<string, unknown> | undefined,
    cost: QueryCost,
  ): Prepared<Operation> {
    const own = variables === undefined ? undefined : deepFreeze(structuredClone(variables));
    const coerced = plan ? getVariableValues(schema, plan.operation.variableDefinitions ?? [], own ?? {}) : null;
    const prepared: Prepared<Operation> = {
      operation,
      variables: own,
      cost: deepFreeze(cost),
      coerced: coerced && !coerced.errors ? frozenValues(coerced.variableValues) : null,
    };
    if (key.length <= MAX_KEY_CHARS) {
      if (this.#keysChars + key.length > MAX_KEYS_CHARS) {
        this.#entries.clear();
        this.#keysChars = 0;
      }
      this.#entries.set(key, prepared);
      this.#keysChars += key.length;
    }
    return prepared;
  }
}

/** `values` with its coerced values frozen (not its sources: they hold the schema's own type objects). */
function frozenValues(values: VariableValues): VariableValues {
  for (const value of Object.values(values.coerced)) deepFreeze(value);
  return Object.freeze({ sources: values.sources, coerced: Object.freeze(values.coerced) });
}
