/**
 * Which document a request runs: one the storefront build registered (trusted documents, by
 * `documentId` or `extensions.persistedQuery.sha256Hash`), one a client registered by Apollo's
 * Automatic Persisted Queries, or the text it sent (a free query) — and whether the caller may.
 *
 * `TRUSTED_DOCUMENTS` (README "Trusted documents"):
 * - `off`: only texts; an id is answered `PERSISTED_QUERY_NOT_SUPPORTED` (Apollo's link then
 *   stops sending hashes);
 * - `allow` (default): registered documents by id, APQ, and free queries for everyone;
 * - `only`: registered documents by id; free queries (and APQ, which is a way of sending them)
 *   only for callers the access policy allows `graphql.freeQuery` (operations): buyers, reps and
 *   PunchOut sessions get `PERSISTED_QUERY_ONLY`.
 *
 * The lookup and the hand-over of a registered document's parsed `DocumentNode` (no parsing per
 * request) are `@graphql-yoga/plugin-persisted-operations`'; its errors are restated in
 * erpfront's codes by the error policy (`use-error-policy.ts`). This plugin adds the policy and
 * the APQ protocol (a hash must be its query's; a query is registered once it validated). The
 * caching of a read fetched by GET with an id is `usePersistedGetCaching`'s.
 *
 * @module
 */
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, type GraphQLParams, type OnParamsEventPayload, type Plugin, type PromiseOrValue } from 'graphql-yoga';
import { can } from '../../../domain/access/policy.ts';
import type { Principal } from '../../../domain/principal.ts';
import type { DocumentSource, Metrics } from '../../../ports/metrics.ts';
import type { GraphQLContext } from '../context.ts';
import { sha256Hex, type ApqStore } from '../trusted-documents/apq-store.ts';
import type { TrustedDocuments } from '../trusted-documents/trusted-documents.ts';

export type TrustedDocumentsMode = 'off' | 'allow' | 'only';

export interface TrustedDocumentsPluginOptions {
  mode: TrustedDocumentsMode;
  /** The build's registered documents (none: `TrustedDocuments.none`). */
  documents: TrustedDocuments;
  /** Where APQ registrations are kept. */
  apq: ApqStore;
  /** Counts documents by source and kind of caller (`erpfront_graphql_documents_total`). */
  metrics?: Pick<Metrics, 'graphqlDocument'>;
}

/** How a request names a registered document. */
interface DocumentKey {
  /** `documentId`, or the APQ hash. */
  id: string;
  /** By `extensions.persistedQuery` (APQ, or a persisted query list): APQ registrations count. */
  apq: boolean;
}

/** A metric label per kind of caller: a handful of values, never one per customer. */
function callerKind(principal: Principal): string {
  const { roles } = principal;
  return roles.has('punchout') ? 'punchout' : roles.has('ops') ? 'ops' : roles.has('rep') ? 'rep' : 'buyer';
}

function refusal(code: string, status: number, message: string) {
  return createGraphQLError(message, { extensions: { code, http: { status } } });
}

/**
 * The id a request names a document by, `null` for none.
 * @throws a `BAD_REQUEST` refusal for an id or an APQ extension of the wrong shape
 */
function keyOf(params: GraphQLParams & { documentId?: unknown }, request: Request): DocumentKey | null {
  const documentId = request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') : params.documentId;
  if (documentId != null) {
    if (typeof documentId !== 'string' || documentId === '')
      throw refusal('BAD_REQUEST', 400, 'documentId must be the id of a registered document, as a string.');
    return { id: documentId, apq: false };
  }
  const persisted = (params.extensions as { persistedQuery?: unknown } | undefined)?.persistedQuery;
  if (persisted == null) return null;
  const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1 || typeof sha256Hash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256Hash)) {
    throw refusal('BAD_REQUEST', 400, 'extensions.persistedQuery must be { "version": 1, "sha256Hash": "<64 hex digits>" }.');
  }
  return { id: sha256Hash.toLowerCase(), apq: true };
}

export function useTrustedDocuments(options: TrustedDocumentsPluginOptions): Plugin<GraphQLContext, GraphQLContext> {
  const { mode, documents, apq } = options;
  const count = (source: DocumentSource, context: GraphQLContext) => options.metrics?.graphqlDocument(source, callerKind(context.principal));
  /** Each request's key, for the library's extraction and lookup. */
  const keys = new WeakMap<object, DocumentKey>();
  /** Queries to register under their hash once they validate. */
  const registrations = new WeakMap<object, { hash: string; text: string }>();

  /**
   * Why this caller may not send free queries (nor use APQ, which is a way of sending them), or
   * `null` when it may: everyone unless `only`, then whom the access policy allows.
   */
  const freeQueryRefusal = (context: GraphQLContext): string | null => {
    if (mode === 'allow') return null;
    const decision = can({ principal: context.principal, customerId: context.customerId }, 'graphql.freeQuery', { customerId: null });
    return decision.verdict === 'allow' ? null : decision.verdict === 'deny' ? decision.message : 'Send the id of a registered document.';
  };

  const library = usePersistedOperations<GraphQLContext>({
    // Free queries are decided above, with the caller's principal (the library's hook sees only the request).
    allowArbitraryOperations: true,
    extractPersistedOperationId: (_params, _request, context) => keys.get(context)?.id ?? null,
    getPersistedOperation(id, _request, context) {
      const trusted = documents.get(id)?.document;
      if (trusted) {
        count('trusted', context);
        return trusted;
      }
      const registered = keys.get(context)?.apq && freeQueryRefusal(context) === null ? apq.get(id) : undefined;
      if (registered !== undefined) count('apq', context);
      return registered ?? null;
    },
  });

  // Typed for a server without context; yoga passes ours, which its lookup above reads.
  const libraryOnParams = library.onParams as ((payload: OnParamsEventPayload<GraphQLContext>) => PromiseOrValue<void>) | undefined;

  /** The policy and the APQ hash check; a promise only when a hash is to be checked. */
  function admit(params: GraphQLParams, request: Request, context: GraphQLContext): void | Promise<void> {
    const key = keyOf(params, request);
    if (mode === 'off') {
      if (key)
        throw refusal('PERSISTED_QUERY_NOT_SUPPORTED', 400, 'This server runs GraphQL documents sent as text only (TRUSTED_DOCUMENTS=off): send the query.');
      return;
    }
    if (key) keys.set(context, key);
    if (typeof params.query !== 'string') return; // by id, or not a request yoga will accept
    const refused = freeQueryRefusal(context);
    if (refused !== null) throw refusal('PERSISTED_QUERY_ONLY', 403, refused);
    count('text', context);
    if (!key) return;
    if (!key.apq) throw refusal('BAD_REQUEST', 400, 'Send either a query or a documentId, not both.');
    const text = params.query;
    return sha256Hex(text).then((hash) => {
      if (hash !== key.id) {
        throw refusal(
          'PERSISTED_QUERY_HASH_MISMATCH',
          400,
          'extensions.persistedQuery.sha256Hash is not the sha256 of this query (hex of its UTF-8 bytes); nothing was registered.',
        );
      }
      // Trusted documents need no registration, and a text too long to keep still runs.
      if (!documents.get(hash)) registrations.set(context, { hash, text });
    });
  }

  return {
    onParams(payload) {
      const admitted = admit(payload.params, payload.request, payload.context);
      if (mode === 'off') return admitted;
      return admitted ? admitted.then(() => libraryOnParams?.(payload)) : libraryOnParams?.(payload);
    },
    onParse: library.onParse,
    onValidate({ context }) {
      const registration = registrations.get(context);
      if (!registration) return;
      // Registered only once it validated: what a hash fetches later is known to run.
      return ({ valid }) => {
        if (valid) apq.set(registration.hash, registration.text);
      };
    },
  };
}
