/**
 * The erpfront HTTP application, assembled from already-built parts: the `/graphql` route over the
 * features' schema, and the features' own routes. No runtime imports: the Node and Workers entries
 * build the parts (through `compose.ts`) and pass them in.
 *
 * @module
 */
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { HTTPException } from 'hono/http-exception';
import { loggableError } from './domain/loggable-error.ts';
import type { FeatureRoute } from './features/feature.ts';
import type { Logger } from './ports/logger.ts';
import type { RecentErrors } from './services/recent-errors.ts';
import { notFoundResponse, refusalResponse, unexpectedErrorResponse } from './transport/http/error-response.ts';
import type { GraphQLRequests } from './transport/http/graphql-requests.ts';
import { graphqlRoute } from './transport/http/graphql-route.ts';
import { loadShedding, type LoadShedder } from './transport/http/load-shedding.ts';
import { requestLog, requestLogger, type RequestLogOptions } from './transport/http/request-log.ts';
import { requestTrace } from './transport/http/request-trace.ts';
import { acceptsCompression } from './transport/http/accepts-compression.ts';

export interface AppDeps {
  /** The `/graphql` endpoint's steps and its engine (shared with the Node lane). */
  requests: GraphQLRequests;
  /** The features' HTTP routes. */
  routes: FeatureRoute[];
  /** Largest GraphQL request body, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** gzip or deflate responses of 1 KiB and more, for clients that accept it. */
  compress?: boolean;
  /** Where erpfront's log lines go; each request gets a child bound to its id. */
  logger: Logger;
  /** Overload protection (shared with the Node lane): when and what to shed while saturated; none, nothing is shed. */
  shedder?: LoadShedder;
  /** Where failed answers (500 and above) are kept for the ops console; none, they are only logged. */
  recentErrors?: RecentErrors;
}

/** The largest GraphQL request body taken by default, in bytes. */
export const MAX_GRAPHQL_BODY_BYTES = 1024 * 1024;

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  // First: a request refused for overload must cost as little as possible (not even a log line:
  // a surge sheds thousands a second; erpfront_requests_refused_total{reason="shed"} counts them),
  // and orders still get in.
  if (deps.shedder) app.use(loadShedding(deps.shedder));
  // The request's span around everything, its log line included (a no-op without a tracing SDK).
  app.use(requestTrace());
  // Then: it times the whole request, sees every answer, and gives the request its id.
  app.use(requestLog(requestLogOptions(deps)));
  // Before every route: a CatalogPage's JSON shrinks about ninefold (30 KB to 3.4 KB), the
  // GraphiQL page from 9 MB to 2.4 MB. The threshold only applies to answers that state their
  // length; streamed ones are compressed whatever their size (a few bytes' overhead).
  // Only for a client that accepts gzip or deflate: the middleware reads every answer's headers,
  // which makes @hono/node-server build a full web Response (the body encoded once more) instead
  // of writing the string it was given. An answer sent as is needs no `Vary: Accept-Encoding`:
  // it suits every client, so a shared cache serving it to anyone is right.
  if (deps.compress) {
    const compressing = compress({ threshold: 1024 });
    app.use((c, next) => (acceptsCompression(c.req.header('accept-encoding')) ? compressing(c, next) : next()));
  }
  const graphql = graphqlRoute({ requests: deps.requests, maxBodyBytes: deps.maxBodyBytes ?? MAX_GRAPHQL_BODY_BYTES, logger: deps.logger });
  for (const route of deps.routes) app.route(route.path, route.app);
  app.on(['GET', 'POST'], '/graphql', graphql);
  app.notFound(() => notFoundResponse());
  app.onError((error, c) => {
    // A middleware's refusal (hono's body limit throws one for a body over a route's own limit) is
    // an answer to the client, not a failure of erpfront: its status, with a code, like any other.
    if (error instanceof HTTPException && error.status < 500) {
      return refusalResponse(error.status);
    }
    requestLogger(c, deps.logger).error('unexpected error', { err: loggableError(error) });
    return unexpectedErrorResponse();
  });
  return app;
}

/** The request log's options: every request's line on `logger`, and a 500 kept among the recent errors. */
export function requestLogOptions(deps: Pick<AppDeps, 'logger' | 'recentErrors'>): RequestLogOptions {
  const recent = deps.recentErrors;
  return {
    logger: deps.logger,
    onServerError: recent
      ? ({ status, method, path, requestId }) =>
          recent.recordAnswer({ at: new Date().toISOString(), code: `HTTP_${status}`, message: `Answered ${status}.`, requestId, where: `${method} ${path}` })
      : undefined,
  };
}
