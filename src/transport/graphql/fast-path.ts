/**
 * The fast path for operations the engine has already run (README "Speed"): a query sent again as
 * the same text (or the same registered document id) is run by the JSON executor, which writes the
 * answer's text as it resolves (json-executor/), or where that does not plan the operation by its
 * graphql-jit compilation, both kept from its first run, without the engine's per-request
 * machinery (web Request and Response, envelop's hooks, parse and validation cache look-ups, a
 * second walk to serialize). On Workers, where code may not be generated, only the JSON executor
 * runs.
 *
 * What the engine checks once per document (tokens, shape limits, validation, introspection,
 * trusted documents) held when it learned the document, for the same text and the same kind of
 * caller (the key carries the principal's roles, which the trusted-document policy decides by).
 * What depends on the request is checked here, with the engine's own functions: variables finite
 * and not too deep, the SKUs per request and the cost for these variables, the caller's bucket
 * charged and refunded, `extensions.cost` answered. Anything else — a refusal, a variable that
 * does not coerce, any error in the result — goes to the engine, which answers it in its words,
 * masked (a charge made here is given back first; only queries are learned, so running one
 * again changes nothing).
 *
 * @module
 */
import { getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLError, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import type { DocumentSource, Metrics } from '../../ports/metrics.ts';
import { isPromise } from '../../services/maybe-promise.ts';
import type { GraphQLContext } from './context.ts';
import { actualCost, queryCost } from './cost/query-cost.ts';
import { findNonFinite } from './plugins/use-finite-variables.ts';
import { inOperationSpan } from './plugins/use-tracing.ts';
import { shown, throttled, type CostExtension, type CostThrottle, type ThrottleStatus } from './plugins/use-query-cost.ts';
import type { GraphQLAnswer } from './answer.ts';
import { writeJson } from './json-executor/json-executor.ts';
import { encodeJson, JsonParts } from './json-executor/json-text.ts';
import { planJson, type JsonPlan } from './json-executor/json-plan.ts';
import { introspects } from './introspection.ts';
import { PreparedRequests, type Prepared } from './prepared-requests.ts';
import { keepAnswer, type ResponseCacheSlot } from './response-cache/cached-answer.ts';
import { planResponse, type ResponsePlan } from './response-cache/plan.ts';

/** A learned operation: its document, its compilation, and what the response cache may keep of it. */
interface Learned {
  document: DocumentNode;
  /** Its graphql-jit compilation; `null` where code may not be generated (Workers). */
  compiled: CompiledQuery | null;
  /** Its plan for the JSON executor, when that runs it (json-executor.ts); else graphql-jit's compilation does. */
  json: JsonPlan | null;
  operationName: string | null;
  plan: ResponsePlan | null;
  source: DocumentSource;
}

export interface FastPathOptions {
  schema: GraphQLSchema;
  /** SKUs per request and cost limits; `false`: none (QUERY_LIMITS=false). */
  limits: { maxSkusPerRequest: number; maxQueryCost: number } | false;
  throttle?: CostThrottle;
  metrics?: Pick<Metrics, 'operationCost' | 'graphqlDocument'>;
  /**
   * Whether graphql-jit may compile operations (default true). Off where code generation from
   * strings is forbidden (Workers): there only the JSON executor runs what it plans, and the
   * engine everything else.
   */
  compile?: boolean;
  /** Most operations kept (each a compiled function). */
  maxOperations?: number;
}

/** A request's JSON body: its text, and its value parsed when first asked. */
export interface RequestBody {
  text: string;
  parsed(): unknown;
}

/** The principal's roles, sorted and joined: part of the keys of what is learned and prepared. */
function rolesOf(principal: GraphQLContext['principal']): string {
  return [...principal.roles].sort().join(',');
}

/** The parameters of a JSON body the fast path takes: a query by text or by registered id, nothing else. */
interface Params {
  query?: string;
  documentId?: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

const PARAMS = new Set(['query', 'documentId', 'variables', 'operationName']);

function callerKind(context: GraphQLContext): string {
  const { roles } = context.principal;
  return roles.has('punchout') ? 'punchout' : roles.has('ops') ? 'ops' : roles.has('rep') ? 'rep' : 'buyer';
}

export class FastPath {
  readonly #o: FastPathOptions;
  readonly #learned = new Map<string, Learned>();
  readonly #prepared = new PreparedRequests<Learned>();

  constructor(options: FastPathOptions) {
    this.#o = options;
  }

  static #key(roles: string, params: Params): string | null {
    const by = typeof params.query === 'string' ? `q:${params.query}` : typeof params.documentId === 'string' ? `id:${params.documentId}` : null;
    return by === null ? null : `${roles}\u0001${params.operationName ?? ''}\u0001${by}`;
  }

  /**
   * What `body` asks for, prepared once per text (prepared-requests.ts); `null` when it is not a
   * learned operation sent in a plain shape with finite variables (the engine judges it then).
   */
  #prepare(roles: string, body: RequestBody): Prepared<Learned> | null {
    const key = PreparedRequests.key(roles, body.text);
    const known = this.#prepared.get(key);
    if (known) return known;
    const params = body.parsed() as Params;
    // Only the plain shapes the engine learned from; anything else (APQ, both a query and an id) is the engine's to judge.
    if (params === null || typeof params !== 'object' || Array.isArray(params)) return null;
    for (const name in params) if (!PARAMS.has(name)) return null;
    if (params.query !== undefined && params.documentId !== undefined) return null;
    const learnedKey = FastPath.#key(roles, params);
    const learned = learnedKey === null ? undefined : this.#learned.get(learnedKey);
    if (!learned) return null;
    const variables = params.variables ?? undefined;
    if (variables !== undefined && (typeof variables !== 'object' || findNonFinite(variables) !== null)) return null;
    const cost = queryCost(this.#o.schema, learned.document, { operationName: params.operationName, variables });
    return this.#prepared.prepare(key, this.#o.schema, learned, learned.json, variables, cost);
  }

  /** The engine plugin that learns each query it ran without an error (last before execution). */
  plugin(): Plugin<GraphQLContext & { params?: Params }> {
    return {
      onExecute: ({ args }) => {
        const context = args.contextValue;
        const params = context.params;
        if (!params || !context.principal) return;
        const key = FastPath.#key(rolesOf(context.principal), params);
        if (key === null || this.#learned.has(key)) return;
        const operation = getOperationAST(args.document, args.operationName);
        if (operation?.operation !== 'query') return;
        return {
          onExecuteDone: ({ result }) => {
            // A single result without an error (a stream has no `data` of its own).
            if (Symbol.asyncIterator in result || result.errors || this.#learned.size >= (this.#o.maxOperations ?? 1000)) return;
            // Introspection is not for graphql-jit (introspection.ts): the engine answers it every time.
            const jit =
              this.#o.compile === false || introspects(args.document) ? null : compileQuery(this.#o.schema, args.document, args.operationName ?? undefined);
            const compiled = jit && isCompiledQuery(jit) ? jit : null;
            const json = planJson(this.#o.schema, args.document, args.operationName);
            if (compiled === null && json === null) return;
            this.#learned.set(key, {
              document: args.document,
              compiled,
              json,
              operationName: operation.name?.value ?? null,
              plan: planResponse(args.document, args.operationName),
              source: typeof params.query === 'string' ? 'text' : 'trusted',
            });
          },
        };
      },
    };
  }

  /**
   * Answers the request of JSON body `body`, or `null` for the engine to answer it. `headers`: the
   * answer's (its media type, and what else the route sends with every answer); `slot`: where the
   * response cache keeps the answer, if it may.
   */
  async run(
    body: RequestBody,
    context: GraphQLContext,
    headers: Readonly<Record<string, string>>,
    slot: ResponseCacheSlot | undefined,
  ): Promise<GraphQLAnswer | null> {
    const prepared = this.#prepare(rolesOf(context.principal), body);
    if (prepared === null) return null;
    const { operation: learned, variables, cost, coerced } = prepared;
    const { limits, throttle } = this.#o;
    if (limits && (cost.skus > limits.maxSkusPerRequest || cost.requested > limits.maxQueryCost)) return null;

    return inOperationSpan(learned.operationName, context.requestId, async () => {
      let status: ThrottleStatus | null = null;
      if (throttle) {
        const decision = await throttle.take(context.principal, cost.requested);
        if (!decision.allowed) return refusal(throttled(cost.requested, decision.status, decision.retryAfterMs), decision.status, headers);
        status = decision.status;
      }
      // The JSON executor writes the answer's text as it resolves; an answer the response cache
      // keeps is built as a result object, which the cache splits into its kept and live parts.
      const written = learned.json && coerced && !slot ? writeJson(learned.json, context, coerced) : null;
      const json = isPromise(written) ? await written : written;
      let data: Record<string, unknown> | null = null;
      if (json === null && learned.compiled === null) {
        if (throttle) await throttle.refund(context.principal, cost.requested);
        return null;
      }
      if (json === null) {
        const run = learned.compiled!.query(undefined, context, variables);
        const result = (isPromise(run as Promise<ExecutionResult>) ? await run : run) as ExecutionResult;
        if (result.errors || !result.data) {
          if (throttle) await throttle.refund(context.principal, cost.requested);
          return null;
        }
        data = result.data as Record<string, unknown>;
      }
      this.#o.metrics?.graphqlDocument(learned.source, callerKind(context));
      if (learned.operationName !== null) context.facts.operationName = learned.operationName;
      if (slot && learned.plan && data) keepAnswer(slot, learned.plan, data, { variables, cost, operationName: learned.operationName });
      const actual = actualCost(cost, context.reader.erpReads);
      if (throttle && cost.requested > actual) status = await throttle.refund(context.principal, cost.requested - actual);
      this.#o.metrics?.operationCost(learned.operationName, cost.requested, actual);
      const extensions: { cost: CostExtension } | undefined =
        limits || throttle ? { cost: { requestedQueryCost: shown(cost.requested), actualQueryCost: shown(actual), throttleStatus: status } } : undefined;
      // Written as JSON.stringify writes `{ data, extensions }`: the same bytes either way.
      const tail = extensions ? `,"extensions":${JSON.stringify(extensions)}}` : '}';
      if (json === null) return { status: 200, headers, body: `{"data":${JSON.stringify(data)}${tail}` };
      return { status: 200, headers, body: typeof json === 'string' ? `{"data":${json}${tail}` : encodeJson(new JsonParts(['{"data":', ...json.parts, tail])) };
    });
  }
}

/**
 * The throttle's refusal as the engine answers it (the cost plugin's error, `extensions.http`
 * turned into the status and headers, `extensions.cost` of a request that did not run): a flood
 * is refused here, at the cost of a look-up, instead of by the engine.
 */
function refusal(error: GraphQLError, status: ThrottleStatus, headers: Readonly<Record<string, string>>): GraphQLAnswer {
  const { http, ...extensions } = error.extensions as { http: { status: number; headers?: Record<string, string> } } & Record<string, unknown>;
  const cost: CostExtension = {
    requestedQueryCost: shown(Number(extensions.requestedQueryCost ?? extensions.cost)),
    actualQueryCost: 0,
    throttleStatus: status,
  };
  const body = JSON.stringify({ errors: [{ message: error.message, extensions }], extensions: { cost } });
  return { status: http.status, headers: { ...headers, ...http.headers }, body };
}
