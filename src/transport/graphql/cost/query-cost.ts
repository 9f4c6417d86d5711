/**
 * The static cost of a GraphQL operation, before it runs: pure (schema, document and variables
 * in, numbers out), so it can be tested alone and computed for any document the limits let
 * through.
 *
 * How it counts (Shopify's scheme, with the ERP's share added; weights in `field-costs.ts`):
 * - a scalar or enum field costs nothing; an object one point;
 * - an object the ERP is asked for (a product, its price, its availability, the customer's
 *   account with its credit, orders) costs two more points;
 * - a list sized by an argument costs its size times one item: `products(skus:)` as many as the
 *   SKUs, a page (`searchProducts`, `orders`) `first` items; other lists come with the record that
 *   holds them and count once;
 * - a mutation costs a fixed 10 per field, whatever it selects.
 * Fragments count where they are spread, each time (computed once per fragment, so a document
 * that expands enormously costs no more time to count than to read). `@skip`/`@include` are not
 * evaluated: the cost is what the operation may do.
 *
 * The actual cost (`actualCost`) gives back the ERP's share of each read the cache served.
 *
 * @module
 */
import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { COST_WEIGHTS, ERP_READS, FIELD_COSTS, type ErpRead, type ListSize } from './field-costs.ts';

/** What an operation may cost, before it runs. */
export interface QueryCost {
  /** Points, every read counted as reaching the ERP (`extensions.cost.requestedQueryCost`). */
  requested: number;
  /** The ERP reads it may make, by kind: how many products, prices, stock records, ... */
  erpReads: Record<ErpRead, number>;
  /** Products it asks for: SKUs of every `products`, one per `product`, `first` of every `searchProducts`. */
  skus: number;
  /** `query`, `mutation`; `null` when the document names no operation to run (nothing runs). */
  operationType: 'query' | 'mutation' | 'subscription' | null;
}

export interface CostInput {
  operationName?: string | null;
  /** The request's variables as sent (sizes are read from them). */
  variables?: Readonly<Record<string, unknown>> | null;
}

/** Points, products and reads of a part of the document; `reads` in the order of `ERP_READS`. */
interface Tally {
  points: number;
  skus: number;
  reads: number[];
}

const zero = (): Tally => ({ points: 0, skus: 0, reads: ERP_READS.map(() => 0) });

function addTo(into: Tally, part: Tally, times = 1): void {
  into.points += part.points * times;
  into.skus += part.skus * times;
  for (let i = 0; i < into.reads.length; i++) into.reads[i]! += part.reads[i]! * times;
}

/** The static cost of the operation `input.operationName` names (or the document's only one). */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, input: CostInput = {}): QueryCost {
  const operation = operationOf(document, input.operationName);
  if (!operation) return { requested: 0, erpReads: readsOf(zero()), skus: 0, operationType: null };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const counter = new CostCounter(schema, fragments, input.variables ?? {});
  if (operation.operation === 'mutation') {
    const fields = counter.rootFields(operation.selectionSet);
    return { requested: fields * COST_WEIGHTS.mutation, erpReads: readsOf(zero()), skus: 0, operationType: 'mutation' };
  }
  const root = operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  const tally = counter.selection(operation.selectionSet, root ?? undefined, undefined);
  return { requested: tally.points, erpReads: readsOf(tally), skus: tally.skus, operationType: operation.operation };
}

/**
 * What the operation cost once it ran: the requested cost less the ERP's share of every read
 * that did not reach the ERP (served from the cache, or asked twice in one request), never below
 * the cost of the answer's own objects. `reached` counts, by kind, the reads that reached the ERP
 * (`ErpReader.erpReads`); `live` reads always do.
 */
export function actualCost(cost: QueryCost, reached: Readonly<Partial<Record<ErpRead, number>>>): number {
  if (cost.operationType !== 'query') return cost.requested;
  let served = 0;
  for (const kind of ERP_READS) {
    if (kind !== 'live') served += Math.max(0, cost.erpReads[kind] - (reached[kind] ?? 0));
  }
  return Math.max(0, cost.requested - served * COST_WEIGHTS.erpRead);
}

function readsOf(tally: Tally): Record<ErpRead, number> {
  return Object.fromEntries(ERP_READS.map((kind, i) => [kind, tally.reads[i]!])) as Record<ErpRead, number>;
}

function operationOf(document: DocumentNode, name: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (name) return operations.find((o) => o.name?.value === name);
  return operations.length === 1 ? operations[0] : undefined;
}

/** One computation: the document's fragments, each counted once per page size it is spread at. */
class CostCounter {
  readonly #schema: GraphQLSchema;
  readonly #fragments: Map<string, FragmentDefinitionNode>;
  readonly #variables: Readonly<Record<string, unknown>>;
  readonly #counted = new Map<string, Tally>();
  readonly #counting = new Set<string>();

  constructor(schema: GraphQLSchema, fragments: Map<string, FragmentDefinitionNode>, variables: Readonly<Record<string, unknown>>) {
    this.#schema = schema;
    this.#fragments = fragments;
    this.#variables = variables;
  }

  /** Fields of a mutation's root selection, through fragments. */
  rootFields(selectionSet: SelectionSetNode, seen = new Set<string>()): number {
    let count = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) count += selection.name.value === '__typename' ? 0 : 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) count += this.rootFields(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = this.#fragments.get(selection.name.value);
        if (fragment) count += this.rootFields(fragment.selectionSet, seen);
      }
    }
    return count;
  }

  /**
   * A selection set on `parent` (undefined when the document names a type or field the schema
   * lacks: validation refuses it; it is counted by its shape meanwhile). `pageSize`: the set is a
   * page's, and its list fields hold that many items.
   */
  selection(selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, pageSize: number | undefined): Tally {
    const tally = zero();
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        addTo(tally, this.#field(selection, parent, pageSize));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.#schema.getType(selection.typeCondition.name.value) : parent;
        addTo(tally, this.selection(selection.selectionSet, type ?? undefined, pageSize));
      } else {
        addTo(tally, this.#fragment(selection.name.value, pageSize));
      }
    }
    return tally;
  }

  #fragment(name: string, pageSize: number | undefined): Tally {
    const key = `${name}|${pageSize ?? ''}`;
    const known = this.#counted.get(key);
    if (known) return known;
    const fragment = this.#fragments.get(name);
    // A cycle counts as nothing: graphql-js refuses cyclic fragments.
    if (!fragment || this.#counting.has(key)) return zero();
    this.#counting.add(key);
    const tally = this.selection(fragment.selectionSet, this.#schema.getType(fragment.typeCondition.name.value) ?? undefined, pageSize);
    this.#counting.delete(key);
    this.#counted.set(key, tally);
    return tally;
  }

  #field(field: FieldNode, parent: GraphQLNamedType | undefined, pageSize: number | undefined): Tally {
    if (!field.selectionSet) return zero();
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[field.name.value] : undefined;
    const spec = parent ? FIELD_COSTS[`${parent.name}.${field.name.value}`] : undefined;
    const size = spec?.size ? sizeOf(spec.size, field, this.#variables) : 1;
    // A list inside a page (`edges`) holds the page's items.
    const inPage = pageSize !== undefined && definition !== undefined && isListType(getNullableType(definition.type));
    const items = spec?.page ? 1 : inPage ? pageSize : size;

    const item = this.selection(field.selectionSet, definition ? getNamedType(definition.type) : undefined, spec?.page ? size : undefined);
    item.points += COST_WEIGHTS.object;
    if (spec?.erp && !spec.page) {
      item.points += COST_WEIGHTS.erpRead;
      item.reads[ERP_READS.indexOf(spec.erp)]! += 1;
    }
    const tally = zero();
    addTo(tally, item, items);
    if (spec?.erp && spec.page) {
      tally.points += COST_WEIGHTS.erpRead;
      tally.reads[ERP_READS.indexOf(spec.erp)]! += 1;
    }
    if (spec?.products) tally.skus += spec.page ? size : items;
    return tally;
  }
}

/** How many items a field returns, from its arguments as sent. */
function sizeOf(size: ListSize, field: FieldNode, variables: Readonly<Record<string, unknown>>): number {
  if ('assumed' in size) return size.assumed;
  const name = 'list' in size ? size.list : size.count;
  const value = field.arguments?.find((argument) => argument.name.value === name)?.value;
  const given = value === undefined ? undefined : literalValue(value, variables);
  if ('list' in size) return Array.isArray(given) ? given.length : given == null ? 0 : 1;
  if (typeof given !== 'number' || !Number.isFinite(given)) return size.default;
  return Math.min(Math.max(given, 0), size.max);
}

/** A literal or a variable's value, as far as sizes need it: lists (by length) and numbers. */
function literalValue(value: ValueNode, variables: Readonly<Record<string, unknown>>): unknown {
  switch (value.kind) {
    case Kind.VARIABLE:
      return variables[value.name.value];
    case Kind.LIST:
      return value.values;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(value.value);
    case Kind.NULL:
      return null;
    default:
      return value;
  }
}
