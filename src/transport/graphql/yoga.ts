/**
 * The GraphQL engine: graphql-yoga over the features' schema (`schema.graphql`), with graphql-jit compiling each
 * operation once and running it as plain JavaScript afterwards.
 *
 * @module
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createSchema, createYoga } from 'graphql-yoga';
import type { GraphQLContext } from './context.ts';
import { useErrorCodes } from './plugins/use-error-codes.ts';
import { useErrorDetails } from './plugins/use-error-details.ts';
import { useParserLimits } from './plugins/use-parser-limits.ts';
import { useFiniteVariables } from './plugins/use-finite-variables.ts';
import { useIntrospectionSwitch } from './plugins/use-introspection-switch.ts';
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
  renderGraphiQL?: (options?: Record<string, unknown>) => string;
  /**
   * Compile operations with graphql-jit (default true). Off where code generation from strings is
   * forbidden (Cloudflare Workers): yoga's own executor runs them there.
   */
  jit?: boolean;
  /** Answer introspection queries (`__schema`, `__type`); default true. GRAPHQL_INTROSPECTION. */
  introspection?: boolean;
}

/** The request-independent part of the context is passed per request by the HTTP route. */
export type GraphQLServerContext = GraphQLContext;

/**
 * Creates the yoga instance that the `/graphql` route hands authenticated requests to, with
 * `idePage(request)`: the one request served without a token.
 */
/** The GraphQL-over-HTTP parameters of an operation sent by GET. */
const OPERATION_PARAMETERS = ['query', 'variables', 'operationName', 'extensions'];

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
  const yoga = createYoga<GraphQLServerContext>({
    schema: createSchema<GraphQLServerContext>({ typeDefs: options.typeDefs, resolvers: [scalars, ...options.resolvers] as never }),
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
    // development); useErrorDetails logs it under the request id instead.
    maskedErrors: { isDev: false },
    plugins: [
      useErrorDetails(),
      useParserLimits(),
      useIntrospectionSwitch({ enabled: options.introspection !== false }),
      useFiniteVariables(),
      options.jit !== false && useGraphQlJit(),
      useErrorCodes(),
    ],
  });
  const graphiql = options.graphiql !== false;
  return Object.assign(yoga, {
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
