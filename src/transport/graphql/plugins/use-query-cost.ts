/**
 * The query cost of every operation, before and after it runs (the computation is
 * `cost/query-cost.ts`; this plugin only applies it):
 *
 * - before it runs (validated, no resolver called yet): refused with HTTP 400 when it asks for
 *   more products in all than MAX_SKUS_PER_REQUEST (`TOO_MANY_SKUS`, every `products`, `product`
 *   and `searchProducts` of the request together, variables resolved) or costs more than
 *   MAX_QUERY_COST (`QUERY_TOO_COSTLY`, with `cost` and `limit`); else charged to the caller's
 *   throttle bucket, when there is one;
 * - after: the actual cost (the ERP's share given back for each read the cache served) and the
 *   difference refunded to the bucket;
 * - on every answer that went through GraphQL, refusals included: `extensions.cost`, in the shape
 *   of Shopify's Admin API: `{ requestedQueryCost, actualQueryCost, throttleStatus }`. A document
 *   refused before it could be costed (a parser or shape limit, a syntax error) requested 0;
 *   one that did not run cost 0. `throttleStatus` is `null` while no bucket applies (throttling
 *   off): an unlimited bucket has no numbers to show.
 *
 * Metrics: refusals by reason (`limit` for every limit code, whichever plugin refused; `cost`),
 * and each operation's requested and actual cost by operation name.
 *
 * @module
 */
import type { DocumentNode, ExecutionResult, GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Principal } from '../../../domain/principal.ts';
import type { Metrics } from '../../../ports/metrics.ts';
import type { ErpReader } from '../../../services/erp-reader.ts';
import type { GraphQLContext } from '../context.ts';
import { actualCost, queryCost, type QueryCost } from '../cost/query-cost.ts';
import { retryAfterSeconds } from '../../http/error-response.ts';
import { limitError } from '../limits/document-limits.ts';

/** A caller's bucket as a client sees it. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/**
 * The per-caller bucket the cost is charged to (the `Throttle` service). Each method answers
 * `null` for the status while throttling is off.
 */
export interface CostThrottle {
  /** Takes `points` from the principal's bucket, or says when they will be there (`retryAfterMs`; `null`: never, the request is larger than the bucket). */
  take(
    principal: Principal,
    points: number,
  ): Promise<{ allowed: true; status: ThrottleStatus | null } | { allowed: false; status: ThrottleStatus; retryAfterMs: number | null }>;
  /** Gives back points a request was charged and did not cost. */
  refund(principal: Principal, points: number): Promise<ThrottleStatus | null>;
  /** The principal's bucket, unchanged. */
  status(principal: Principal): Promise<ThrottleStatus | null>;
}

export interface QueryCostOptions {
  /** Most products one request may ask for, all fields together (MAX_SKUS_PER_REQUEST). */
  maxSkusPerRequest: number;
  /** Most points one operation may cost (MAX_QUERY_COST). */
  maxQueryCost: number;
  /** The callers' buckets; absent: nothing is charged and `throttleStatus` is `null`. */
  throttle?: CostThrottle;
  metrics?: Pick<Metrics, 'requestRefused' | 'operationCost'>;
}

/** What `extensions.cost` shows. */
export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number;
  throttleStatus: ThrottleStatus | null;
}

/**
 * The codes of the parser and shape limits (other plugins refuse with them): an answer carrying
 * one counts as refused for `limit`. (`TOO_MANY_SKUS` is also one product list's field error,
 * which is no refusal: the request-wide one is counted where it is decided.)
 */
const LIMIT_CODES = new Set(['TOO_MANY_TOKENS', 'QUERY_TOO_DEEP', 'TOO_MANY_ALIASES', 'TOO_MANY_DIRECTIVES', 'TOO_MANY_FRAGMENT_SPREADS']);

/** One operation's cost, from the moment it was computed to its answer. */
interface Costed {
  cost: QueryCost;
  operationName: string | null;
  principal: Principal;
  reader: ErpReader;
  /** Whether it ran (else it was refused: it cost nothing). */
  ran: boolean;
  /** The bucket after the charge; `undefined` when none was made. */
  status?: ThrottleStatus | null;
}

export function useQueryCost(options: QueryCostOptions): Plugin<{ request: Request }> {
  const costed = new WeakMap<Request, Costed>();
  const { throttle, metrics } = options;

  const refuse = (entry: Costed, error: GraphQLError, stop: (result: ExecutionResult) => void) => {
    entry.ran = false;
    stop({ errors: [error] });
  };

  return {
    onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as unknown as GraphQLContext & { request: Request };
      const cost = queryCost(args.schema, args.document, {
        operationName: args.operationName,
        variables: args.variableValues as Record<string, unknown> | undefined,
      });
      const entry: Costed = {
        cost,
        operationName: args.operationName ?? operationNameOf(args.document),
        principal: context.principal,
        reader: context.reader,
        ran: true,
      };
      costed.set(context.request, entry);
      if (cost.skus > options.maxSkusPerRequest) {
        metrics?.requestRefused('limit');
        return refuse(entry, tooManySkus(cost.skus, options.maxSkusPerRequest), setResultAndStopExecution);
      }
      if (cost.requested > options.maxQueryCost) {
        metrics?.requestRefused('cost');
        return refuse(entry, tooCostly(cost.requested, options.maxQueryCost), setResultAndStopExecution);
      }
      if (!throttle) return;
      return throttle.take(entry.principal, cost.requested).then((decision) => {
        entry.status = decision.status;
        if (!decision.allowed) refuse(entry, throttled(cost.requested, decision.status, decision.retryAfterMs), setResultAndStopExecution);
      });
    },

    onResultProcess({ request, result, setResult, serverContext }) {
      if (!isSingleResult(result)) return;
      const entry = costed.get(request);
      if (result.errors?.some((error) => LIMIT_CODES.has(String(error.extensions?.code)))) metrics?.requestRefused('limit');
      const requested = entry?.cost.requested ?? 0;
      const actual = entry?.ran ? actualCost(entry.cost, entry.reader.erpReads) : 0;
      if (entry?.ran) metrics?.operationCost(entry.operationName, requested, actual);
      const answer = (throttleStatus: ThrottleStatus | null) => {
        const cost: CostExtension = { requestedQueryCost: shown(requested), actualQueryCost: shown(actual), throttleStatus };
        setResult({ ...result, extensions: { ...result.extensions, cost } });
      };
      if (!throttle) return answer(null);
      const principal = entry?.principal ?? (serverContext as Partial<GraphQLContext>).principal;
      if (!principal) return answer(null);
      // Charged: give back what it did not cost. Not charged (refused before): the bucket as it is.
      const status =
        entry?.status !== undefined
          ? entry.ran && requested > actual
            ? throttle.refund(principal, requested - actual)
            : Promise.resolve(entry.status)
          : throttle.status(principal);
      return status.then(answer);
    },
  };
}

function isSingleResult(result: unknown): result is ExecutionResult {
  return typeof result === 'object' && result !== null && !Array.isArray(result) && !(Symbol.asyncIterator in result);
}

/** A cost as JSON can carry it: a document may cost more than a double counts exactly. */
export function shown(points: number): number {
  return Number.isFinite(points) ? Math.min(points, Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER;
}

function operationNameOf(document: DocumentNode): string | null {
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition') return definition.name?.value ?? null;
  }
  return null;
}

function tooManySkus(skus: number, max: number): GraphQLError {
  return limitError(
    'TOO_MANY_SKUS',
    `The request asks for ${skus} products in all (every products, product and searchProducts together); at most ${max} are accepted. Ask for fewer per request and page through them.`,
    { limit: max, found: shown(skus) },
  );
}

function tooCostly(cost: number, limit: number): GraphQLError {
  return createGraphQLError(
    `This operation costs ${shown(cost)} points; at most ${limit} are accepted (MAX_QUERY_COST). Ask for fewer products or fields per request.`,
    {
      extensions: { code: 'QUERY_TOO_COSTLY', cost: shown(cost), limit, http: { status: 400 } },
    },
  );
}

/** The caller's bucket does not hold the cost now (429, come back later), or ever (400, ask for less). */
export function throttled(requested: number, status: ThrottleStatus, retryAfterMs: number | null): GraphQLError {
  if (retryAfterMs === null) {
    return createGraphQLError(
      `This request costs ${requested} points, more than this caller's bucket holds (${status.maximumAvailable}). Ask for fewer items per request.`,
      {
        extensions: {
          code: 'QUERY_TOO_COSTLY',
          cost: requested,
          limit: status.maximumAvailable,
          requestedQueryCost: requested,
          maximumAvailable: status.maximumAvailable,
          throttleStatus: status,
          http: { status: 400 },
        },
      },
    );
  }
  const seconds = retryAfterSeconds(retryAfterMs);
  return createGraphQLError(
    `Throttled: this request costs ${requested} points and ${status.currentlyAvailable} are available, restored at ${status.restoreRate} a second. Retry after ${seconds} s.`,
    {
      extensions: {
        code: 'THROTTLED',
        retryAfterSeconds: seconds,
        requestedQueryCost: requested,
        throttleStatus: status,
        http: { status: 429, headers: { 'Retry-After': String(seconds) } },
      },
    },
  );
}
