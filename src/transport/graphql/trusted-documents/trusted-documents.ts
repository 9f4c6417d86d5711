/**
 * The trusted documents a storefront build registered, parsed and validated once, when erpfront
 * starts: a request that names one by id runs that document without parsing it, and a manifest
 * holding a document this schema cannot run stops the start instead of failing buyers later.
 *
 * Each document keeps one `DocumentNode` for the process's life, so everything keyed by the
 * document object — yoga's validation cache, graphql-jit's compiled query — is computed for it
 * once, not per request.
 *
 * @module
 */
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { manifestError, type ManifestEntry } from './manifest.ts';

/** One registered document, ready to run. */
export interface TrustedDocument {
  readonly id: string;
  readonly document: DocumentNode;
  /** Its one operation's name (`null` for an anonymous one). */
  readonly operationName: string | null;
  readonly operation: OperationDefinitionNode['operation'];
}

export interface TrustedDocumentsOptions {
  schema: GraphQLSchema;
  /** Rules beyond graphql-js's own, as requests are validated (the introspection switch's). */
  rules?: readonly ValidationRule[];
  /** The parser's token limit, as for requests. */
  maxTokens: number;
  /**
   * More checks, run once per document at start; any problem stops it. The seam for work that
   * should be done once per document rather than per request (its static cost, once one is
   * computed).
   */
  check?: (document: TrustedDocument) => readonly string[];
}

/** The prefix the GraphQL-over-HTTP persisted-documents convention puts before a sha256 hash. */
const SHA256_PREFIX = 'sha256:';

/** The registered documents, by id. */
export class TrustedDocuments {
  readonly #byId: ReadonlyMap<string, TrustedDocument>;

  private constructor(byId: ReadonlyMap<string, TrustedDocument>) {
    this.#byId = byId;
  }

  /** None: every id is unknown. */
  static readonly none = new TrustedDocuments(new Map());

  /**
   * Parses and validates every entry against the schema.
   * @throws {ConfigError} listing each document that does not parse, does not validate, holds
   *   other than exactly one operation, or fails `check`
   */
  static compile(entries: readonly ManifestEntry[], options: TrustedDocumentsOptions): TrustedDocuments {
    const rules = [...specifiedRules, ...(options.rules ?? [])];
    const byId = new Map<string, TrustedDocument>();
    const problems: string[] = [];
    for (const entry of entries) {
      const compiled = compileOne(entry, options, rules);
      if ('problems' in compiled) problems.push(...compiled.problems.map((p) => `${entry.source}: document ${entry.id}: ${p}`));
      else byId.set(entry.id, compiled);
    }
    if (problems.length > 0) throw manifestError(problems);
    return new TrustedDocuments(byId);
  }

  /** The document registered under `id`; `sha256:<hash>` also finds one registered as `<hash>`, and the reverse. */
  get(id: string): TrustedDocument | undefined {
    const found = this.#byId.get(id);
    if (found || this.#byId.size === 0) return found;
    return this.#byId.get(id.startsWith(SHA256_PREFIX) ? id.slice(SHA256_PREFIX.length) : `${SHA256_PREFIX}${id}`);
  }

  get size(): number {
    return this.#byId.size;
  }
}

function compileOne(entry: ManifestEntry, options: TrustedDocumentsOptions, rules: readonly ValidationRule[]): TrustedDocument | { problems: string[] } {
  let document: DocumentNode;
  try {
    document = parse(entry.text, { maxTokens: options.maxTokens });
  } catch (error) {
    // A RangeError: nested deeper than the recursive parser's stack, as for requests.
    const why = error instanceof GraphQLError ? error.message : error instanceof RangeError ? 'nested too deeply to parse' : String(error);
    return { problems: [why] };
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return { problems: [`holds ${operations.length} operations; a registered document holds exactly one (and its fragments)`] };
  const errors = validate(options.schema, document, rules);
  if (errors.length > 0) return { problems: errors.slice(0, 3).map((e) => e.message) };
  const [operation] = operations as [OperationDefinitionNode];
  const trusted: TrustedDocument = { id: entry.id, document, operationName: operation.name?.value ?? null, operation: operation.operation };
  const more = options.check?.(trusted) ?? [];
  return more.length > 0 ? { problems: [...more] } : trusted;
}
