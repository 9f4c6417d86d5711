/**
 * Which parts of an operation the response cache may keep: the root fields whose answer depends on
 * nothing but the caller's price scope and the cache entries read (`products`, `product`, with only
 * catalog, price and availability fields below them). Everything else of the operation (`viewer`,
 * a customer's credit, orders, anything per user) stays live: it is run for every request, by a
 * residual document holding only those root fields, and spliced into the cached text in the
 * document's order.
 *
 * An operation is not planned at all (never cached) when it is not a query, when a root selection
 * is a fragment or carries a directive, when two root selections share a response key, or when no
 * root field may be kept.
 *
 * @module
 */
import { Kind, OperationTypeNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** Root query fields whose answer is the same for every caller of one price scope. */
const SCOPE_FIELDS: ReadonlySet<string> = new Set(['products', 'product']);

/**
 * The fields of `Product` that are the same for every caller of one price scope: catalog data, the
 * price (by the scope's entries) and availability (stock is the same for everybody). A field added
 * to `Product` later is not kept until it is listed here.
 */
const PRODUCT_FIELDS: ReadonlySet<string> = new Set(['__typename', 'sku', 'name', 'description', 'unitOfMeasure', 'category', 'price', 'availability']);

/** One root selection of the operation, in document order. */
export interface PlannedField {
  /** The key in `data`: the alias, else the field's name. */
  responseKey: string;
  /** Kept in the response cache (else run for every request). */
  cached: boolean;
}

export interface ResponsePlan {
  fields: readonly PlannedField[];
  /** The operation with only its live root fields (fragments and variables kept); `null` when all are kept. */
  residual: DocumentNode | null;
  operationName: string | null;
}

/** The plan for `document`'s operation named `operationName` (or its only one); `null`: never cached. */
export function planResponse(document: DocumentNode, operationName: string | null | undefined): ResponsePlan | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation || operation.operation !== OperationTypeNode.QUERY) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const fields: PlannedField[] = [];
  const seen = new Set<string>();
  const live: OperationDefinitionNode['selectionSet']['selections'][number][] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || (selection.directives?.length ?? 0) > 0) return null;
    const responseKey = selection.alias?.value ?? selection.name.value;
    if (seen.has(responseKey)) return null;
    seen.add(responseKey);
    const cached = SCOPE_FIELDS.has(selection.name.value) && selection.selectionSet !== undefined && productOnly(selection.selectionSet, fragments, new Set());
    fields.push({ responseKey, cached });
    if (!cached) live.push(selection);
  }
  if (!fields.some((f) => f.cached)) return null;
  const residual: DocumentNode | null =
    live.length === 0
      ? null
      : {
          kind: Kind.DOCUMENT,
          definitions: [
            { ...operation, selectionSet: { kind: Kind.SELECTION_SET, selections: live } },
            ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION),
          ],
        };
  return { fields, residual, operationName: operation.name?.value ?? null };
}

/** Whether a selection on `Product` asks only for {@link PRODUCT_FIELDS} (fragments followed). */
function productOnly(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, visiting: Set<string>): boolean {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!PRODUCT_FIELDS.has(selection.name.value)) return false;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!productOnly(selection.selectionSet, fragments, visiting)) return false;
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) return false;
      visiting.add(name);
      const ok = productOnly(fragment.selectionSet, fragments, visiting);
      visiting.delete(name);
      if (!ok) return false;
    }
  }
  return true;
}
