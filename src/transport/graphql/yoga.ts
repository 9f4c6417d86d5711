/**
 * The GraphQL engine: graphql-yoga over the features' schema (`schema.graphql`), with graphql-jit compiling each
 * operation once and running it as plain JavaScript afterwards.
 *
 * @module
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { introspects } from './introspection.ts';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import type { Metrics } from '../../ports/metrics.ts';
import type { GraphQLContext } from './context.ts';
import type { DocumentLimits } from './limits/document-limits.ts';
import { useDocumentLimits } from './plugins/use-document-limits.ts';
import { useErrorPolicy, type ErrorPolicyOptions } from './plugins/use-error-policy.ts';
import { useOperationName } from './plugins/use-operation-name.ts';
import { DEFAULT_MAX_TOKENS, useParserLimits } from './plugins/use-parser-limits.ts';
import { useQueryCost, type CostThrottle } from './plugins/use-query-cost.ts';
import { usePersistedGetCaching } from './plugins/use-persisted-get-caching.ts';
import { useTrustedDocuments, type TrustedDocumentsMode } from './plugins/use-trusted-documents.ts';
import { ApqStore } from './trusted-documents/apq-store.ts';
import type { ManifestEntry } from './trusted-documents/manifest.ts';
import { TrustedDocuments } from './trusted-documents/trusted-documents.ts';
import { useFiniteVariables } from './plugins/use-finite-variables.ts';
import { useIntrospectionSwitch } from './plugins/use-introspection-switch.ts';
import { useTracing } from './plugins/use-tracing.ts';
import { useResponseCache } from './plugins/use-response-cache.ts';
import type { AnswerCache } from './response-cache/cached-answer.ts';
import { ResponseCacheFront } from './response-cache/front.ts';
import { FastPath } from './fast-path.ts';
import type { Clock } from '../../ports/clock.ts';
import { scalars } from './scalars.ts';

export interface GraphQLEngineOptions {
  /** The schema's parts: the base, then each feature's (together, `schema.graphql`). */
  typeDefs: string[];
  /** Each feature's resolvers; the scalars are added here. Fields not listed resolve by property name. */
  resolvers: Array<Record<string, object>>;
  /** Serve the GraphiQL IDE on GET /graphql from a browser. */
  graphiql: boolean | { defaultHeaders?: string };
  /**
   * Renders the GraphiQL page. The Node entry passes the self-contained one (no CDN), so the IDE
   * works on networks without internet; yoga's default loads its scripts from a CDN.
   */
  renderGraphiQL?: (options?: Record<string, unknown>) => string | Promise<string>;
  /**
   * Compile operations with graphql-jit (default true). Off where code generation from strings is
   * forbidden (Cloudflare Workers): yoga's own executor runs them there, and the fast path runs
   * repeated queries on the JSON executor alone.
   */
  jit?: boolean;
  /** Answer introspection queries (`__schema`, `__type`); default true. GRAPHQL_INTROSPECTION. */
  introspection?: boolean;
  /** Trusted documents and APQ (README "Trusted documents"); default: APQ and free queries, no registered documents. */
  trustedDocuments?: TrustedDocumentsConfig;
  /** The most tokens a document may have (MAX_QUERY_TOKENS); always checked, it bounds the parser's work. */
  maxTokens?: number;
  /**
   * What a document may be and cost (README "Query limits and cost"); `false` (QUERY_LIMITS=false)
   * leaves only the parser's token limit, and answers without `extensions.cost`.
   */
  limits?: QueryLimits | false;
  /** The callers' buckets the cost is charged to; absent: no throttling. */
  throttle?: CostThrottle;
  /** Where the engine counts what it admits, refuses and what operations cost. */
  /** Told of the errors the error policy holds the detail of (`useErrorPolicy`'s `onError`). */
  onError?: ErrorPolicyOptions['onError'];
  metrics?: Pick<Metrics, 'graphqlDocument' | 'requestRefused' | 'operationCost' | 'cacheRequest'>;
  /** Answers of repeated operations (RESPONSE_CACHE); absent: every operation runs. */
  responseCache?: { store: AnswerCache; clock: Clock };
}

/** The limits on documents and their cost, from the environment. */
export interface QueryLimits extends DocumentLimits {
  maxSkusPerRequest: number;
  maxQueryCost: number;
}

/** What `useTrustedDocuments` runs with, as configured. */
export interface TrustedDocumentsConfig {
  /** TRUSTED_DOCUMENTS. */
  mode: TrustedDocumentsMode;
  /** The manifest's documents, read by the entry (TRUSTED_DOCUMENTS_FILE); compiled here against the schema. */
  manifest: readonly ManifestEntry[];
  /** APQ_MAX_ENTRIES, and APQ_MAX_MB in bytes. */
  apqMaxEntries: number;
  apqMaxBytes: number;
  /** PERSISTED_GET_MAX_AGE_SECONDS. */
  getMaxAgeSeconds: number;
}

const DEFAULT_TRUSTED_DOCUMENTS: TrustedDocumentsConfig = {
  mode: 'allow',
  manifest: [],
  apqMaxEntries: 5000,
  apqMaxBytes: 16 * 1024 * 1024,
  getMaxAgeSeconds: 5,
};

/** The request-independent part of the context is passed per request by the HTTP route. */
export type GraphQLServerContext = GraphQLContext;

/**
 * Creates the yoga instance that the `/graphql` route hands authenticated requests to, with
 * `idePage(request)`: the one request served without a token.
 */
/** The GraphQL-over-HTTP parameters of an operation sent by GET. */
const OPERATION_PARAMETERS = ['query', 'variables', 'operationName', 'extensions', 'documentId'];

/** What the IDE opens with: a buyer's first look at their own prices and stock. */
const IDE_DEFAULT_QUERY = `# Your own prices and availability (the token below is a buyer of customer C0001).
query CatalogPage {
  products(skus: ["SKU-00001", "SKU-00002"]) {
    sku
    name
    price(quantity: 10) { unitPrice { amount currency } source asOf stale }
    availability(quantity: 10) { status available promiseDate }
  }
}
`;

export function createGraphQLEngine(options: GraphQLEngineOptions) {
  const schema = createSchema<GraphQLServerContext>({ typeDefs: options.typeDefs, resolvers: [scalars, ...options.resolvers] as never });
  const trusted = options.trustedDocuments ?? DEFAULT_TRUSTED_DOCUMENTS;
  // Parsed and validated now, as requests are (a broken manifest stops the start: ConfigError).
  const documents =
    trusted.manifest.length === 0
      ? TrustedDocuments.none
      : TrustedDocuments.compile(trusted.manifest, {
          schema,
          maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
          rules: options.introspection === false ? [NoSchemaIntrospectionCustomRule] : [],
        });
  const limits = options.limits ?? false;
  // Queries run again by the JSON executor or their compilation (only where code may be generated: not on Workers).
  const fastPath = new FastPath({
    schema,
    limits: limits && { maxSkusPerRequest: limits.maxSkusPerRequest, maxQueryCost: limits.maxQueryCost },
    throttle: options.throttle,
    metrics: options.metrics,
    compile: options.jit !== false,
  });
  const yoga = createYoga<GraphQLServerContext>({
    schema,
    // GraphQL-over-HTTP's name for a registered document's id (useTrustedDocuments).
    extraParamNames: ['documentId'],
    graphqlEndpoint: '/graphql',
    graphiql:
      options.graphiql === false
        ? false
        : { title: 'erpfront', defaultQuery: IDE_DEFAULT_QUERY, headers: typeof options.graphiql === 'object' ? options.graphiql.defaultHeaders : undefined },
    // The HTTP route limits the body (transport/http/body-limit.ts) before yoga sees it; yoga's own
    // size check would make the Node adapter build a full web-stream Request (measured: 35% of throughput).
    maxRequestBodySize: false,
    landingPage: false,
    ...(options.renderGraphiQL ? { renderGraphiQL: options.renderGraphiQL } : {}),
    logging: false,
    // Never the exception's text in a masked error, whatever NODE_ENV says (yoga adds it in
    // development); useErrorPolicy logs it under the request id instead.
    maskedErrors: { isDev: false },
    // Tracing first: its span is the outermost, around everything the other plugins do.
    plugins: [
      useTracing(),
      useErrorPolicy({ onError: options.onError }),
      useOperationName(),
      useParserLimits({ maxTokens: options.maxTokens }),
      // Before graphql-js's validation: its place is taken by a refusal.
      limits && useDocumentLimits({ limits }),
      useIntrospectionSwitch({ enabled: options.introspection !== false }),
      useFiniteVariables(),
      useTrustedDocuments({
        mode: trusted.mode,
        documents,
        apq: new ApqStore({ maxEntries: trusted.apqMaxEntries, maxBytes: trusted.apqMaxBytes }),
        metrics: options.metrics,
      }),
      usePersistedGetCaching({ maxAgeSeconds: trusted.getMaxAgeSeconds }),
      // Once the document is known (text, trusted id or APQ hash): its cost, charged to the caller.
      (limits || options.throttle !== undefined) &&
        useQueryCost({
          maxSkusPerRequest: limits ? limits.maxSkusPerRequest : Number.POSITIVE_INFINITY,
          maxQueryCost: limits ? limits.maxQueryCost : Number.POSITIVE_INFINITY,
          throttle: options.throttle,
          metrics: options.metrics,
        }),
      // Last before execution: it keeps only what ran past every check above.
      options.responseCache !== undefined && useResponseCache(),
      fastPath.plugin(),
      options.jit !== false && useGraphQlJit({}, { enableIf: ({ document }) => !introspects(document) }),
    ],
  });
  // The same checks and charge, for a repeated operation answered without running it (response-cache/front.ts).
  const responseCache = options.responseCache
    ? new ResponseCacheFront({
        store: options.responseCache.store,
        schema,
        throttle: options.throttle,
        showCost: Boolean(limits) || options.throttle !== undefined,
        metrics: options.metrics,
      })
    : null;
  const graphiql = options.graphiql !== false;
  return Object.assign(yoga, {
    responseCache,
    fastPath,
    /**
     * For a browser's GET of `/graphql` while GraphiQL is on, with no operation in it: the request
     * to hand yoga without a token, so that yoga can only render the IDE page. `null` for every
     * other request (a GET with `?query=` included): those need a token.
     */
    idePage(request: Request): Request | null {
      if (!graphiql || request.method !== 'GET' || !(request.headers.get('accept') ?? '').includes('text/html')) return null;
      const url = new URL(request.url);
      // A GET carrying an operation is an operation, whatever it accepts: it needs a token.
      if (OPERATION_PARAMETERS.some((name) => url.searchParams.has(name))) return null;
      return new Request(`${url.origin}${url.pathname}`, { method: 'GET', headers: request.headers });
    },
  });
}

export type GraphQLEngine = ReturnType<typeof createGraphQLEngine>;
