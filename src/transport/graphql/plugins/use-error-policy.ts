/**
 * The GraphQL API's one error policy. Resolvers just throw (or return, for one item of a list):
 * this plugin decides, for every error of an answer, what the client sees and what only the log
 * gets.
 *
 * - Domain, store and ERP failures become errors with a stable `extensions.code` and a sentence of
 *   erpfront's (`toGraphQLError`), with an HTTP status where one applies (503 for a store that is
 *   down).
 * - Variables that do not fit their type (graphql-js reports them without a code) are the
 *   caller's mistake: `BAD_USER_INPUT`, 400.
 * - Refusals a library decides before execution, in its own words (the persisted-operations
 *   plugin's), are restated in erpfront's codes and sentences (`LIBRARY_REFUSALS`).
 * - Anything else is unexpected: yoga masks it (`INTERNAL_SERVER_ERROR`, nothing of it shown).
 *
 * Every answer carries an `X-Request-Id` (the client's own when it sends a sane one, so a
 * storefront can quote it). Each error whose detail was held back — an ERP's raw text, an
 * unexpected exception — is logged under that id, which a coded error also carries as
 * `extensions.requestId`.
 *
 * @module
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DomainError } from '../../../domain/errors.ts';
import { loggableError } from '../../../domain/loggable-error.ts';
import { untrustedField } from '../../../domain/untrusted-text.ts';
import type { Logger } from '../../../ports/logger.ts';
import { detailOf, toGraphQLError } from '../errors.ts';

export interface ErrorPolicyOptions {
  /**
   * Where held-back details go when the context carries no request logger (the engine used on its
   * own, without the `/graphql` route); default nowhere.
   */
  log?: (message: string, detail: unknown) => void;
  /**
   * Told of every error that is erpfront's or the ERP's rather than the caller's (an ERP failure or
   * outage, a store outage, an unexpected exception; not a refusal or bad input), with what the
   * client is told: the ops console's recent errors.
   */
  onError?: (event: { code: string; message: string; requestId: string | null; path: string }) => void;
}

/** What the `/graphql` route puts in the context: the request's id (answered as X-Request-Id) and logger. */
interface RequestLogging {
  request: Request;
  requestId?: string;
  log?: Logger;
}

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The client's request id when it is one we can log and echo as it is, else a new one. */
function requestIdOf(request: Request): string {
  const sent = request.headers.get(REQUEST_ID_HEADER);
  return sent !== null && SANE_REQUEST_ID.test(sent) ? sent : crypto.randomUUID();
}

/** What a client sees of one error, and the failure behind it that only the log gets. */
interface Settled {
  error: GraphQLError;
  detail: unknown;
}

/**
 * The failure a resolver threw, under the GraphQL errors the executor wrapped it in (graphql-js
 * and graphql-jit each add one).
 */
function thrownBy(error: GraphQLError): unknown {
  let cause: unknown = error.originalError;
  while (cause instanceof GraphQLError && cause.originalError != null) cause = cause.originalError;
  return cause;
}

/**
 * `error` with another message and extensions, at the same place in the answer. A new error:
 * graphql-jit's errors cannot be written to. graphql-jit keeps only `locations` (no AST nodes),
 * so they are carried over as they are.
 */
function restated(error: GraphQLError, message: string, extensions: Record<string, unknown>): GraphQLError {
  const copy = new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
  if (copy.locations === undefined && error.locations !== undefined) Object.assign(copy, { locations: error.locations });
  return copy;
}

/** A library's refusal code → what erpfront answers instead. */
const LIBRARY_REFUSALS: Readonly<Record<string, { code: string; status: number; message: string; headers?: Record<string, string> }>> = {
  // @graphql-yoga/plugin-persisted-operations: an id it has no document for. 404, not 400:
  // Apollo's link gives up on persisted queries after a 400. Never cached: the client is about
  // to register the document (APQ), and the same GET will then be answered.
  PERSISTED_QUERY_NOT_IN_LIST: {
    code: 'PERSISTED_QUERY_NOT_FOUND',
    status: 404,
    message:
      "No document is registered under this id. A storefront registers its build's documents with erpfront (TRUSTED_DOCUMENTS_FILE); with Automatic Persisted Queries, send the query with its hash once.",
    headers: { 'cache-control': 'no-store' },
  },
  // …and a request with neither a query nor an id.
  PERSISTED_QUERY_ID_REQUIRED: { code: 'BAD_REQUEST', status: 400, message: 'Send a GraphQL document as query, or the id of a registered one as documentId.' },
};

/** `errors` with each library refusal restated, or `null` when none is. */
function restatedRefusals(errors: readonly GraphQLError[]): GraphQLError[] | null {
  if (!errors.some((e) => typeof e.extensions?.code === 'string' && e.extensions.code in LIBRARY_REFUSALS)) return null;
  return errors.map((error) => {
    const ours = LIBRARY_REFUSALS[String(error.extensions?.code)];
    return ours ? restated(error, ours.message, { code: ours.code, http: { status: ours.status, ...(ours.headers ? { headers: ours.headers } : {}) } }) : error;
  });
}

function settle(error: GraphQLError): Settled {
  const cause = thrownBy(error);
  if (cause !== undefined && !(cause instanceof GraphQLError)) {
    const client = toGraphQLError(cause);
    if (client instanceof GraphQLError) {
      return { error: restated(error, client.message, { ...client.extensions }), detail: detailOf(client) };
    }
    // Unexpected: yoga masks it after this plugin; the log gets what it was.
    return { error, detail: cause };
  }
  // A request error (a variable that does not fit its type): no path, no code. 400 under
  // application/graphql-response+json, as graphql-js's own path answers.
  if (error.path === undefined && error.extensions?.code === undefined) {
    return { error: restated(error, error.message, { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 400 } }), detail: undefined };
  }
  return { error, detail: undefined };
}

export function useErrorPolicy(options: ErrorPolicyOptions = {}): Plugin<RequestLogging> {
  const log = options.log ?? (() => {});
  // Only for the engine used on its own: behind the `/graphql` route the request log names the request.
  const ids = new WeakMap<Request, string>();
  return {
    onRequest({ request }) {
      ids.set(request, requestIdOf(request));
    },
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        if (!('errors' in result) || !result.errors?.length) return;
        const context = args.contextValue;
        const id = context.requestId ?? ids.get(context.request);
        const errors = result.errors.map((original) => {
          const { error, detail } = settle(original);
          const cause = thrownBy(original);
          // Not the caller's doing: thrown by the ERP's or a store's adapter, or unexpected (a
          // DomainError is a refusal, a GraphQLError a library's or the caller's document).
          if (options.onError && cause !== undefined && !(cause instanceof GraphQLError) && !(cause instanceof DomainError)) {
            options.onError({
              code: error === original ? 'INTERNAL_SERVER_ERROR' : String(error.extensions.code),
              // The unexpected one is masked for the client: its text is for the log only.
              message: error === original ? 'Unexpected error; the log has the detail under the request id.' : error.message,
              requestId: id ?? null,
              // The field, without list positions: one failing list is one place, not one per item.
              path: error.path?.filter((segment) => typeof segment === 'string').join('.') || '(operation)',
            });
          }
          if (detail === undefined) return error;
          const code = error === original ? 'INTERNAL_SERVER_ERROR' : String(error.extensions.code);
          // Ours to write: the unexpected one stays as the executor made it, for yoga to mask.
          if (id && error !== original) error.extensions.requestId = id;
          if (context.log) {
            // Field names and the client's aliases, bounded; the ERP's text without its addresses.
            const fields = { code, path: untrustedField(error.path?.join('.') ?? '(operation)', 200), err: loggableError(detail) };
            if (error === original) context.log.error('GraphQL resolver failed', fields);
            else context.log.warn('GraphQL error detail', fields);
          } else {
            log(`erpfront: request ${id ?? '(no id)'}: ${code} at ${error.path?.join('.') ?? '(operation)'}:`, detail);
          }
          return error;
        });
        if (errors.some((error, i) => error !== result.errors![i])) setResult({ ...result, errors });
      },
    }),
    // Every answer passes here, those refused before execution included (onExecuteDone sees only executed ones).
    onResultProcess({ result, setResult }) {
      if (!('errors' in result) || !result.errors?.length) return;
      const errors = restatedRefusals(result.errors as readonly GraphQLError[]);
      if (errors) setResult({ ...result, errors });
    },
    onResponse({ request, response }) {
      const id = ids.get(request);
      if (id && !response.headers.has(REQUEST_ID_HEADER)) response.headers.set(REQUEST_ID_HEADER, id);
    },
  };
}
