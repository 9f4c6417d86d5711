/**
 * What the `/graphql` endpoint does with a request, whatever carries it: authenticates the bearer
 * token, opens the request's scope, settles which customer it acts for, and answers a repeated
 * operation from the response cache or the fast path. The hono route (`graphql-route.ts`) and the
 * Node lane (`transport/node/graphql-lane.ts`) both go through here, so a request is admitted by
 * the same rules whichever of them took it; what neither can answer goes to the engine.
 *
 * @module
 */
import type { Principal } from '../../domain/principal.ts';
import type { Logger } from '../../ports/logger.ts';
import { actingFor, openRequestScope } from '../../services/request-scope.ts';
import type { TokenVerifier } from '../../services/token-verifier.ts';
import type { GraphQLAnswer } from '../graphql/answer.ts';
import type { GraphQLContext, GraphQLServices } from '../graphql/context.ts';
import type { RequestBody } from '../graphql/fast-path.ts';
import { answerMediaType } from '../graphql/response-cache/front.ts';
import type { GraphQLEngine } from '../graphql/yoga.ts';
import { authorizeCustomer } from './authorize-customer.ts';
import { authenticationFailure, bearerOf } from './bearer.ts';
import { graphqlErrorResponse } from './error-response.ts';
import { REQUEST_ID_HEADER, type GraphQLFacts } from './request-log.ts';

export interface GraphQLRequestsOptions {
  engine: GraphQLEngine;
  verifyToken: TokenVerifier;
  services: GraphQLServices;
  /** The largest keys list sent to the ERP in one call. */
  maxBatchSize: number;
  /** Told of each request acting for a customer, once authorized (the price sheet's activity). */
  customerSeen?: (customerId: string) => void;
}

/** The header a sales rep (or ops) uses to act for one customer, as Stripe-Account does. */
export const CUSTOMER_HEADER = 'x-customer-id';

/** The largest body the response cache and the fast path look at: a page's is a few KB. */
export const FAST_BODY_BYTES = 32 * 1024;

/** A request as the endpoint sees it before its body: its headers, id, logger and log line facts. */
export interface GraphQLRequestFrame {
  /** A request header by its lower-case name; `null` when absent. */
  header(name: string): string | null;
  requestId: string;
  /** The request's logger, bound to its id. */
  log: Logger;
  /** The request log line's GraphQL facts, filled in as the request goes. */
  facts: GraphQLFacts;
}

export type Admission = { context: GraphQLContext } | { refusal: Response };

/** The `/graphql` endpoint's own steps, shared by every transport that carries it. */
export class GraphQLRequests {
  readonly #o: GraphQLRequestsOptions;

  constructor(options: GraphQLRequestsOptions) {
    this.#o = options;
  }

  get engine(): GraphQLEngine {
    return this.#o.engine;
  }

  /**
   * Authenticates the request and settles the customer it acts for: the context it runs with, or
   * the answer that refuses it (401, 403, 400, 503). Nothing of a customer is read before that.
   */
  async admit(frame: GraphQLRequestFrame): Promise<Admission> {
    const { services, verifyToken } = this.#o;
    const token = bearerOf(frame.header('authorization'));
    if (!token) {
      return {
        refusal: graphqlErrorResponse(401, 'UNAUTHENTICATED', 'Send a bearer token: Authorization: Bearer <JWT>.', {
          'WWW-Authenticate': 'Bearer realm="erpfront"',
        }),
      };
    }
    const verified = await verifyToken(token);
    if ('problem' in verified) return { refusal: authenticationFailure(verified) };
    const principal: Principal = verified.principal;
    frame.facts.subject = principal.subject;
    const scope = openRequestScope(
      { erp: services.erp, cache: services.cache, maxBatchSize: this.#o.maxBatchSize },
      { principal, idempotencyKey: frame.header('idempotency-key'), requestId: frame.requestId, log: frame.log },
    );
    const decision = await authorizeCustomer(principal, frame.header(CUSTOMER_HEADER), scope.reader);
    if ('status' in decision) return { refusal: graphqlErrorResponse(decision.status, decision.code, decision.message) };
    frame.facts.customerId = decision.customerId;
    if (decision.customerId !== null) this.#o.customerSeen?.(decision.customerId);
    return { context: { ...actingFor(scope, decision.customerId), services, facts: frame.facts } };
  }

  /**
   * The media type of the answer when the response cache or the fast path may look at this
   * request (a POST of JSON, declared at most {@link FAST_BODY_BYTES}, answered as JSON); `null`
   * when only the engine answers it (a larger or chunked body is parsed once, by the engine).
   */
  fastMediaType(frame: Pick<GraphQLRequestFrame, 'header'>): string | null {
    const length = Number(frame.header('content-length') ?? Number.NaN);
    if (!(length <= FAST_BODY_BYTES) || !/^application\/json\s*(;|$)/i.test(frame.header('content-type') ?? '')) return null;
    return answerMediaType(frame.header('accept'));
  }

  /**
   * The answer to a repeated operation: from the response cache, else from the fast path;
   * `null` for the engine to answer (then `context.responseCache` may hold the slot its answer is
   * kept in). `mediaType`: from {@link fastMediaType}.
   */
  async answerKnown(context: GraphQLContext, body: RequestBody, mediaType: string): Promise<GraphQLAnswer | null> {
    const { responseCache, fastPath } = this.#o.engine;
    // The request id goes out with the answer's own headers: set afterwards (request-log.ts),
    // it would make the answer build a web Headers object.
    const headers = { 'content-type': mediaType, [REQUEST_ID_HEADER]: context.requestId };
    const outcome = responseCache && context.customerId !== null ? await responseCache.lookup({ context, body: body.text, headers }) : null;
    if (outcome && 'answer' in outcome) return outcome.answer;
    if (outcome) context.responseCache = outcome.slot;
    return fastPath.run(body, context, headers, context.responseCache);
  }
}

/**
 * Lets the engine read `body` from `request` without parsing it again: yoga reads a JSON body with
 * `request.json()`, which is answered from the parse already made (an invalid body still fails
 * there, as a 400). Returns `request`.
 */
export function lendParsedBody(request: Request, body: ReturnType<typeof readBody>): Request {
  const json = () => {
    const done = body.outcome();
    return 'parsed' in done ? Promise.resolve(done.parsed) : Promise.reject(done.invalid);
  };
  Object.defineProperty(request, 'json', { value: json, configurable: true });
  return request;
}

/** A body's text with its JSON parsed at most once, when first asked (a response-cache hit never is). */
export function readBody(text: string): RequestBody & { outcome(): { parsed: unknown } | { invalid: unknown } } {
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
  return {
    text,
    outcome: parse,
    parsed: () => {
      const done = parse();
      return 'parsed' in done ? done.parsed : undefined;
    },
  };
}
