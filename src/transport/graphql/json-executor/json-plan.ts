/**
 * The plan of an operation the JSON executor (`json-executor.ts`) can run: its selection sets
 * resolved once against the schema into fields with their resolvers, leaf serializers and
 * response keys already written as JSON. Only the plain shape a storefront page has is planned:
 * fields (aliases and arguments allowed) on object types, lists, scalars and enums,
 * `__typename`. A fragment, a directive, an interface or union, introspection, a response key
 * selected twice, or a resolver that takes `info` makes the operation unplanned (`null`), and
 * graphql-jit runs it as before.
 *
 * A subtree is **pure** when every field in it reads a property of its parent (no resolver of its
 * own): its JSON is then a function of the object it starts from, which the executor may keep for
 * an object that can no longer change (frozen).
 *
 * @module
 */
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  GraphQLEnumType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** How a value of one output type is written. */
export type OutputPlan = LeafPlan | ListPlan | ObjectPlan;

export interface LeafPlan {
  kind: 'leaf';
  nonNull: boolean;
  /** The scalar's or enum's `serialize`. */
  serialize: (value: unknown) => unknown;
}

export interface ListPlan {
  kind: 'list';
  nonNull: boolean;
  of: OutputPlan;
}

export interface ObjectPlan {
  kind: 'object';
  nonNull: boolean;
  /** `__typename`, written as JSON. */
  typeName: string;
  fields: FieldPlan[];
  /** Every field below reads a property of its parent: the JSON depends on the object alone. */
  pure: boolean;
  /**
   * Every field is a leaf, `__typename` or a pure object (read by a resolver or not): the JSON
   * depends on the fields' values alone, compared by identity (see the executor's `#shallowObject`).
   */
  shallow: boolean;
}

export interface FieldPlan {
  /** `"responseKey":`, ready to write. */
  key: string;
  /** The field's name on its type (the property a field without a resolver reads). */
  name: string;
  /** `null`: `__typename`. */
  def: GraphQLField<unknown, unknown> | null;
  node: FieldNode;
  /** The field's own resolver; `null` reads the parent's property. */
  resolve: GraphQLFieldResolver<unknown, unknown> | null;
  /** Whether it has arguments (computed once per request from the variables). */
  hasArgs: boolean;
  /** Its index in the plan's fields, for the request's argument values. */
  index: number;
  type: OutputPlan;
}

export interface JsonPlan {
  operation: OperationDefinitionNode;
  root: ObjectPlan;
  /** Every field of the plan, by `index`. */
  fields: FieldPlan[];
}

/** Thrown while planning: the operation has a shape the executor does not run. */
class Unplanned extends Error {}

/** The plan of `document`'s operation, or `null` when the JSON executor does not run it. */
export function planJson(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): JsonPlan | null {
  const operation = getOperationAST(document, operationName);
  const root = schema.getQueryType();
  if (operation?.operation !== 'query' || !root || document.definitions.length !== 1 || operation.directives?.length) return null;
  const fields: FieldPlan[] = [];
  try {
    return { operation, root: objectPlan(root, operation.selectionSet, true, fields), fields };
  } catch (error) {
    if (error instanceof Unplanned) return null;
    throw error;
  }
}

function objectPlan(type: GraphQLObjectType, selectionSet: SelectionSetNode, nonNull: boolean, all: FieldPlan[]): ObjectPlan {
  const defs = type.getFields();
  const keys = new Set<string>();
  const fields: FieldPlan[] = [];
  let pure = true;
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length) throw new Unplanned();
    const name = selection.name.value;
    const responseKey = selection.alias?.value ?? name;
    if (keys.has(responseKey)) throw new Unplanned();
    keys.add(responseKey);
    const key = `${JSON.stringify(responseKey)}:`;
    if (name === '__typename') {
      const typename: LeafPlan = { kind: 'leaf', nonNull: true, serialize: () => type.name };
      fields.push(field({ key, name, def: null, node: selection, resolve: null, hasArgs: false, type: typename }, all));
      continue;
    }
    const def = defs[name];
    if (!def || name.startsWith('__')) throw new Unplanned();
    // A resolver that declares `info` may read the path or the document: graphql-jit gives it one.
    if (def.resolve && def.resolve.length > 3) throw new Unplanned();
    const output = outputPlan(def.type, selection, all);
    if (def.resolve || (output.kind !== 'leaf' && !subtreePure(output))) pure = false;
    fields.push(field({ key, name, def, node: selection, resolve: def.resolve ?? null, hasArgs: (selection.arguments?.length ?? 0) > 0, type: output }, all));
  }
  const shallow = fields.every((f) => f.type.kind === 'leaf' || (f.type.kind === 'object' && f.type.pure));
  return { kind: 'object', nonNull, typeName: type.name, fields, pure, shallow };
}

function field(plan: Omit<FieldPlan, 'index'>, all: FieldPlan[]): FieldPlan {
  const made = { ...plan, index: all.length };
  all.push(made);
  return made;
}

function subtreePure(plan: OutputPlan): boolean {
  return plan.kind === 'leaf' || (plan.kind === 'list' ? subtreePure(plan.of) : plan.pure);
}

function outputPlan(type: GraphQLOutputType, node: FieldNode, all: FieldPlan[]): OutputPlan {
  const nonNull = type instanceof GraphQLNonNull;
  const inner = getNullableType(type);
  if (inner instanceof GraphQLList) return { kind: 'list', nonNull, of: outputPlan(inner.ofType, node, all) };
  const named = getNamedType(inner);
  if (named instanceof GraphQLScalarType || named instanceof GraphQLEnumType) {
    if (node.selectionSet) throw new Unplanned();
    return { kind: 'leaf', nonNull, serialize: (value) => named.serialize(value) };
  }
  if (named instanceof GraphQLObjectType && node.selectionSet) return objectPlan(named, node.selectionSet, nonNull, all);
  throw new Unplanned();
}
