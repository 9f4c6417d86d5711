/**
 * What a GraphQL request is charged against its caller's throttle bucket, before it runs.
 *
 * A stand-in, to be replaced by the static query cost (issue 12, item 2: every field sized by its
 * arguments, fields that reach the ERP weighted higher, computed once per document): the throttle
 * calls this one function, so the real cost slots in here. It counts in the same units, so the
 * default bucket sizes (`domain/throttle/throttle-policy.ts`) hold for both:
 * - a query: 1, plus 5 per product asked for (a product with its price and availability), i.e.
 *   every SKU of every `products(skus:)` and `first` (default 20) of every `searchProducts`;
 *   the README's 48-SKU CatalogPage costs 241, its search 101;
 * - a mutation: a fixed 10.
 * Fields are counted once where they are written, also inside fragments (a fragment spread twice
 * counts once: the stand-in undercounts such documents; the parser limits bound them meanwhile).
 *
 * @module
 */
import { Kind, visit, type ArgumentNode, type DocumentNode, type OperationDefinitionNode } from 'graphql';

export interface CostInput {
  document: DocumentNode;
  variables?: Readonly<Record<string, unknown>> | null;
  operationName?: string | null;
}

/** Points a request costs: a positive number. */
export type RequestCost = (input: CostInput) => number;

/** Points per product asked for: the product (1), its price (2) and its availability (2). */
const PER_PRODUCT = 5;
const MUTATION = 10;
/** `searchProducts(first:)`'s default in the schema. */
const SEARCH_PAGE = 20;

export const requestCost: RequestCost = ({ document, variables, operationName }) => {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (operation?.operation === 'mutation') return MUTATION;
  let products = 0;
  const counted = document.definitions.filter((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION);
  for (const definition of counted) {
    visit(definition, {
      Field(field) {
        if (field.name.value === 'products') products += listLength(argument(field.arguments, 'skus'), variables);
        else if (field.name.value === 'searchProducts') products += count(argument(field.arguments, 'first'), variables, SEARCH_PAGE);
      },
    });
  }
  return 1 + PER_PRODUCT * products;
};

function argument(args: readonly ArgumentNode[] | undefined, name: string): ArgumentNode['value'] | undefined {
  return args?.find((a) => a.name.value === name)?.value;
}

/** How many items a list argument holds (a single value is coerced to a list of one). */
function listLength(value: ArgumentNode['value'] | undefined, variables: CostInput['variables']): number {
  if (value === undefined) return 0;
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const given = variables?.[value.name.value];
    return Array.isArray(given) ? given.length : given == null ? 0 : 1;
  }
  return 1;
}

/** An integer argument's value, `fallback` when absent or not a sane number. */
function count(value: ArgumentNode['value'] | undefined, variables: CostInput['variables'], fallback: number): number {
  const raw = value?.kind === Kind.INT ? Number(value.value) : value?.kind === Kind.VARIABLE ? variables?.[value.name.value] : undefined;
  return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : fallback;
}
