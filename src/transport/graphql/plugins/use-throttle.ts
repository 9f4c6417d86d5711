/**
 * Charges every operation to its caller's throttle bucket once it is parsed and validated, before
 * it runs: a request that does not fit does no work at all (no resolver, no ERP call) and is
 * answered at once:
 * - HTTP 429, `Retry-After` (seconds, rounded up), `extensions.code` `THROTTLED`, with
 *   `retryAfterSeconds`, `requestedQueryCost` and the caller's `throttleStatus`;
 * - HTTP 400 `QUERY_TOO_COSTLY` when the request costs more than the caller's bucket can ever hold
 *   (waiting would not help: the request must be made smaller).
 *
 * Why here and not in the HTTP route: the cost is the document's, and the document is parsed here
 * (from yoga's cache for a document seen before). Reading the body in the route first would make
 * the Node adapter build a web-stream Request for every call (see yoga.ts).
 *
 * The charge stays with the request's context (`throttleChargeOf`), so what runs after it (the
 * actual cost, `extensions.cost`) can refund the difference and report the status.
 *
 * @module
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Throttle, ThrottleDecision, ThrottleStatus } from '../../../services/throttle/throttle.ts';
import { retryAfterSeconds } from '../../http/error-response.ts';
import type { GraphQLContext } from '../context.ts';
import { requestCost as standIn, type RequestCost } from '../request-cost.ts';

export interface ThrottlePluginOptions {
  throttle: Throttle;
  /** What an operation costs (default: the stand-in of `request-cost.ts`). */
  cost?: RequestCost;
}

/** What a request was charged, and its caller's bucket after the charge. */
export interface ThrottleCharge {
  requested: number;
  status: ThrottleStatus | null;
}

const charges = new WeakMap<object, ThrottleCharge>();

/** The charge of the request whose context this is; `undefined` when none was made (throttle off). */
export function throttleChargeOf(context: object): ThrottleCharge | undefined {
  return charges.get(context);
}

export function useThrottle(options: ThrottlePluginOptions): Plugin {
  const cost = options.cost ?? standIn;
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as unknown as GraphQLContext;
      const requested = cost({ document: args.document, variables: args.variableValues, operationName: args.operationName });
      const decision = await options.throttle.take(context.principal, requested);
      charges.set(context, { requested, status: decision.status });
      if (!decision.allowed) setResultAndStopExecution({ errors: [refusal(decision)] });
    },
  };
}

function refusal(decision: Extract<ThrottleDecision, { allowed: false }>) {
  const { status, requested } = decision;
  if (decision.retryAfterMs === null) {
    return createGraphQLError(
      `This request costs ${requested} points, more than this caller's bucket holds (${status.maximumAvailable}). Ask for fewer items per request.`,
      { extensions: { code: 'QUERY_TOO_COSTLY', requestedQueryCost: requested, maximumAvailable: status.maximumAvailable, http: { status: 400 } } },
    );
  }
  const seconds = retryAfterSeconds(decision.retryAfterMs);
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
