/**
 * The `/graphql` route on hono: the request's frame (its id, logger and log facts), its body
 * limit, then the endpoint's own steps (`graphql-requests.ts`): admission, a repeated operation
 * answered from the response cache or the fast path, everything else by the GraphQL engine.
 *
 * @module
 */
import type { Context } from 'hono';
import type { Logger } from '../../ports/logger.ts';
import { answerResponse } from '../graphql/answer.ts';
import { limitBody, tooLargeMessage } from './body-limit.ts';
import { graphqlErrorResponse } from './error-response.ts';
import { lendParsedBody, readBody, type GraphQLRequests } from './graphql-requests.ts';
import { answeredWithId, graphQLFacts, requestIdFor, requestIdOf, requestLogger } from './request-log.ts';

export interface GraphQLRouteOptions {
  /** The endpoint's steps, shared with the Node lane. */
  requests: GraphQLRequests;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Where a request's lines go when no request logger is mounted (see request-log.ts). */
  logger: Logger;
}

export function graphqlRoute(options: GraphQLRouteOptions) {
  const { requests } = options;
  const engine = requests.engine;
  return async function graphql(c: Context): Promise<Response> {
    const request = c.req.raw;
    const idePage = engine.idePage(request);
    if (idePage) {
      // The GraphiQL page itself is public; the queries it sends carry the token.
      return engine.fetch(idePage);
    }
    // yoga's own size check is off for speed (see yoga.ts): this is the body limit, chunked bodies included.
    const limited = await limitBody(request, options.maxBodyBytes);
    if ('tooLarge' in limited) return graphqlErrorResponse(413, 'REQUEST_TOO_LARGE', tooLargeMessage(limited.tooLarge));

    const headers = request.headers;
    const frame = {
      header: (name: string) => headers.get(name),
      requestId: requestIdFor(c) ?? requestIdOf(request),
      log: requestLogger(c, options.logger),
      // For the request's log line (request-log.ts): who, for whom, and (from the engine) which operation.
      facts: graphQLFacts(c),
    };
    const admission = await requests.admit(frame);
    if ('refusal' in admission) return admission.refusal;
    const { context } = admission;
    const mediaType = request.method === 'POST' ? requests.fastMediaType(frame) : null;
    if (mediaType !== null) {
      const body = await readBodyOnce(limited.request).catch(() => null);
      if (body !== null) {
        const answer = await requests.answerKnown(context, body, mediaType);
        if (answer) return answeredWithId(c, answerResponse(answer));
      }
    }
    return engine.handle(limited.request, context);
  };
}

/**
 * Reads a request's body as text (the response cache's key), parses it at most once, when first
 * asked, and lets the engine read the same body afterwards (`lendParsedBody`). Without this, the
 * engine would need a new Request built around the text, a web stream for a body already read
 * (see yoga.ts).
 */
async function readBodyOnce(request: Request) {
  const body = readBody(await request.text());
  lendParsedBody(request, body);
  return body;
}
