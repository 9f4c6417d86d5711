/**
 * The `/graphql` route: authenticates the bearer token, opens the request's scope, settles which
 * customer the request acts for, and hands the request to the GraphQL engine with that scope.
 *
 * @module
 */
import type { Context } from 'hono';
import type { Principal } from '../../domain/principal.ts';
import { actingFor, openRequestScope } from '../../services/request-scope.ts';
import type { TokenVerifier } from '../../services/token-verifier.ts';
import type { GraphQLServices } from '../graphql/context.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { answerMediaType } from '../graphql/response-cache/front.ts';
import type { GraphQLEngine } from '../graphql/yoga.ts';
import { authorizeCustomer } from './authorize-customer.ts';
import { authenticationFailure } from './bearer.ts';
import { limitBody, tooLargeMessage } from './body-limit.ts';
import { graphqlErrorResponse } from './error-response.ts';
import { answeredWithId, graphQLFacts, REQUEST_ID_HEADER, requestIdFor, requestIdOf, requestLogger } from './request-log.ts';
import type { Logger } from '../../ports/logger.ts';

export interface GraphQLRouteOptions {
  engine: GraphQLEngine;
  verifyToken: TokenVerifier;
  services: GraphQLServices;
  /** The largest keys list sent to the ERP in one call. */
  maxBatchSize: number;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Where a request's lines go when no request logger is mounted (see request-log.ts). */
  logger: Logger;
  /** Told of each request acting for a customer, once authorized (the price sheet's activity). */
  customerSeen?: (customerId: string) => void;
}

/** The header a sales rep (or ops) uses to act for one customer, as Stripe-Account does. */
export const CUSTOMER_HEADER = 'x-customer-id';

export function graphqlRoute(options: GraphQLRouteOptions) {
  const { engine, verifyToken, services } = options;
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

    const authorization = request.headers.get('authorization');
    const token = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (!token) {
      return graphqlErrorResponse(401, 'UNAUTHENTICATED', 'Send a bearer token: Authorization: Bearer <JWT>.', {
        'WWW-Authenticate': 'Bearer realm="erpfront"',
      });
    }
    const verified = await verifyToken(token);
    if ('problem' in verified) return authenticationFailure(verified);

    const principal: Principal = verified.principal;
    // For the request's log line (request-log.ts): who, for whom, and (from the engine) which operation.
    const facts = graphQLFacts(c);
    facts.subject = principal.subject;
    const log = requestLogger(c, options.logger);
    const scope = openRequestScope(
      { erp: services.erp, cache: services.cache, maxBatchSize: options.maxBatchSize },
      { principal, idempotencyKey: request.headers.get('idempotency-key'), requestId: requestIdFor(c) ?? requestIdOf(request), log },
    );
    const decision = await authorizeCustomer(principal, request.headers.get(CUSTOMER_HEADER), scope.reader);
    if ('status' in decision) return graphqlErrorResponse(decision.status, decision.code, decision.message);
    facts.customerId = decision.customerId;
    if (decision.customerId !== null) options.customerSeen?.(decision.customerId);

    const context: GraphQLContext = { ...actingFor(scope, decision.customerId), services, facts };
    const { responseCache, fastPath } = engine;
    const length = Number(request.headers.get('content-length') ?? Number.NaN);
    // A page's body is a few KB; a larger one (or a chunked one) goes to the engine alone: no key
    // is built of it, and it is parsed once.
    if ((responseCache || fastPath) && request.method === 'POST' && length <= FAST_BODY_BYTES) {
      const mediaType = answerMediaType(request.headers.get('accept'));
      if (mediaType !== null && /^application\/json\s*(;|$)/i.test(request.headers.get('content-type') ?? '')) {
        const body = await readBodyOnce(limited.request).catch(() => null);
        if (body !== null) {
          // The request id goes out with the answer's own headers: set afterwards (request-log.ts),
          // it would make the answer build a web Headers object.
          const headers = { 'content-type': mediaType, [REQUEST_ID_HEADER]: context.requestId };
          // A repeated operation from the response cache; else a known query by its compilation; else the engine.
          const outcome = responseCache && decision.customerId !== null ? await responseCache.lookup({ context, body: body.text, headers }) : null;
          if (outcome && 'response' in outcome) return answeredWithId(c, outcome.response);
          if (outcome) context.responseCache = outcome.slot;
          const parsed = fastPath ? body.parsed() : undefined;
          const fast = fastPath && parsed !== undefined ? await fastPath.run(parsed, context, headers, context.responseCache) : null;
          if (fast) return answeredWithId(c, fast);
        }
      }
    }
    return engine.handle(limited.request, context);
  };
}

/** The largest body the response cache and the fast path look at. */
const FAST_BODY_BYTES = 32 * 1024;

/**
 * Reads a request's body as text (the response cache's key), parses it at most once, when first
 * asked (a response-cache hit never is), and lets the engine read the same body afterwards: yoga
 * reads a JSON body with `request.json()`, which is answered from it (an invalid body still fails
 * there, as a 400). Without this, the engine would need a new Request built around the text, a
 * web stream for a body already read (see yoga.ts).
 */
async function readBodyOnce(request: Request): Promise<{ text: string; parsed: () => unknown }> {
  const text = await request.text();
  let outcome: { parsed: unknown } | { invalid: unknown } | undefined;
  const parse = () => {
    if (outcome === undefined) {
      try {
        outcome = { parsed: JSON.parse(text) };
      } catch (error) {
        outcome = { invalid: error };
      }
    }
    return outcome;
  };
  const json = () => {
    const done = parse();
    return 'parsed' in done ? Promise.resolve(done.parsed) : Promise.reject(done.invalid);
  };
  Object.defineProperty(request, 'json', { value: json, configurable: true });
  return {
    text,
    parsed: () => {
      const done = parse();
      return 'parsed' in done ? done.parsed : undefined;
    },
  };
}
