/**
 * The response cache in front of the GraphQL engine (README "Response cache"): the HTTP route asks
 * it, once the caller is authenticated and authorized for a customer, for the answer to a repeated
 * operation. The key is the caller's price scope (currency, price list, the customer's own
 * contract prices), the principal's roles and the request body, byte for byte: the same document,
 * variables and operation name asked by any caller who would be priced alike. Nothing else of the
 * caller reaches the kept text (credit, orders, the viewer: live parts, run for every request).
 *
 * A hit keeps every protection the engine applies: the document passed the parser, shape, trusted
 * document and cost limits when it ran under that very body; its cost is charged to the caller's
 * bucket now (a refusal goes to the engine, which answers it), the live parts run with the
 * request's own scope, and any error of theirs sends the request to the engine (after the charge
 * is given back), which masks and answers it. What is served is the text that was run, with this
 * request's `extensions.cost`.
 *
 * @module
 */
import { execute, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { CustomerAccount } from '../../../ports/erp-connector.ts';
import type { Metrics } from '../../../ports/metrics.ts';
import { isPromise } from '../../../services/maybe-promise.ts';
import { ReadThroughCache } from '../../../services/read-through-cache.ts';
import type { GraphQLContext } from '../context.ts';
import { actualCost } from '../cost/query-cost.ts';
import { shown, type CostExtension, type CostThrottle, type ThrottleStatus } from '../plugins/use-query-cost.ts';
import { inOperationSpan } from '../plugins/use-tracing.ts';
import type { GraphQLAnswer } from '../answer.ts';
import type { AnswerCache, CachedAnswer, ResponseCacheSlot } from './cached-answer.ts';

export interface ResponseCacheFrontOptions {
  store: AnswerCache;
  schema: GraphQLSchema;
  /** The callers' buckets (as the engine's cost plugin has them); absent: `throttleStatus` null. */
  throttle?: CostThrottle;
  /** Whether answers carry `extensions.cost` (the engine's cost plugin is on). */
  showCost: boolean;
  /** `operationCost` as the engine counts it; `erpfront_cache_requests_total{cache="responses"}` hits and misses. */
  metrics?: Pick<Metrics, 'operationCost' | 'cacheRequest'>;
}

const utf8 = new TextEncoder();
const OPEN = utf8.encode('{"data":{');

const REGULAR_MEDIA_TYPES = ['application/graphql-response+json', 'application/json'];

/**
 * The media type yoga answers a single result with for `accept` (its rule: the request's types
 * in reverse order, the last match wins), or `null` when it would not answer one of its two JSON
 * types (then the engine answers).
 */
export function answerMediaType(accept: string | null): string | null {
  const known = mediaTypes.get(accept ?? '');
  if (known !== undefined) return known;
  const chosen = chooseMediaType(accept);
  // Clients send a handful of distinct headers; a flood of made-up ones is not remembered past the bound.
  if (mediaTypes.size < 100 && (accept?.length ?? 0) <= 256) mediaTypes.set(accept ?? '', chosen);
  return chosen;
}

/** `answerMediaType`'s answers by `accept` header. */
const mediaTypes = new Map<string, string | null>();

function chooseMediaType(accept: string | null): string | null {
  const asked = (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',');
  let chosen: string | null = null;
  for (let i = asked.length - 1; i >= 0; i--) {
    const [mediaType, ...params] = asked[i]!.split(';');
    if ((params.find((p) => p.includes('charset=')) ?? 'charset=utf-8') !== 'charset=utf-8') continue;
    const [pre, suf] = mediaType!.split('/');
    for (const candidate of REGULAR_MEDIA_TYPES) {
      const [cpre, csuf] = candidate.split('/');
      if ((pre === '*' || pre === cpre) && (suf === '*' || suf === csuf)) chosen = candidate;
    }
  }
  return chosen === null ? null : `${chosen}; charset=utf-8`;
}

/** A request the cache may answer or keep: its scope's account read, its body text. */
export interface CacheableRequest {
  context: Omit<GraphQLContext, 'responseCache'>;
  body: string;
  /** The answer's headers: its media type (see `answerMediaType`), and what else the route sends with every answer. */
  headers: Readonly<Record<string, string>>;
}

export class ResponseCacheFront {
  readonly #o: ResponseCacheFrontOptions;
  readonly #residuals = new WeakMap<DocumentNode, CompiledQuery | null>();

  constructor(options: ResponseCacheFrontOptions) {
    this.#o = options;
  }

  /** A customer's price scope: what, besides the SKUs, decides every price and whether an item is sold to them. */
  static scopeOf(account: CustomerAccount): string {
    return `${account.currency}\u0001${account.priceListId ?? ''}\u0001${account.hasContractPrices ? account.id : ''}`;
  }

  /** The key of a request for a customer of price scope `scope`. */
  static key(context: Pick<GraphQLContext, 'principal'>, scope: string, body: string): string {
    const roles = [...context.principal.roles].sort().join(',');
    return `${roles}\u0001${scope}\u0001${context.principal.punchOutSessionId ?? ''}\u0001${body}`;
  }

  /**
   * Answers `request` from the cache, or opens the slot its answer is kept in when it runs:
   * `{ response }` on a hit, `{ slot }` otherwise, `null` when its answer is not kept (no
   * customer, or a hit the engine answers after all). The look-up never asks the ERP anything
   * (the account is read from the in-process cache only), so a request the engine refuses costs
   * no ERP call for it.
   */
  async lookup(request: CacheableRequest): Promise<{ answer: GraphQLAnswer } | { slot: ResponseCacheSlot } | null> {
    const { context } = request;
    if (context.customerId === null) return null;
    const { customerId } = context;
    const { store } = this.#o;
    const accountKey = ReadThroughCache.key('accounts', customerId);
    const scopeKey = `scope\u0001${customerId}`;
    // The scope from the account this instance holds, else from its note (the account only in the shared tier).
    const known = () => {
      const account = context.services.cache.peek<CustomerAccount>('accounts', customerId)?.value;
      if (account !== undefined) return ResponseCacheFront.scopeOf(account);
      const note = store.get(scopeKey);
      return note !== undefined && 'scope' in note ? note.scope : null;
    };
    // At keep time: as above, or the account as the run read it (noted for the next requests).
    const keyOf = () => {
      let scope = known();
      const read = footprint.values.get(accountKey) as CustomerAccount | undefined;
      if (scope === null && read !== undefined) {
        scope = ResponseCacheFront.scopeOf(read);
        const freshUntil = footprint.freshUntil;
        store.set(scopeKey, { value: { scope }, tags: [accountKey], expiresAt: freshUntil, bytes: scopeKey.length + scope.length + 128 }, generation);
      }
      return scope === null ? null : ResponseCacheFront.key(context, scope, request.body);
    };
    const generation = store.generation;
    const scope = known();
    const key = scope === null ? null : ResponseCacheFront.key(context, scope, request.body);
    const answer = key === null ? undefined : store.get(key);
    if (answer !== undefined && 'parts' in answer) {
      const served = await inOperationSpan(answer.operationName, context.requestId, () => this.#serve(answer, request));
      if (served) {
        this.#o.metrics?.cacheRequest('responses', 'hit');
        for (const [domain, count] of answer.reads) this.#o.metrics?.cacheRequest(domain, 'hit', count);
        return { answer: served };
      }
    }
    this.#o.metrics?.cacheRequest('responses', 'miss');
    // A hit the engine answers after all (refused, or its live parts failed) keeps nothing: its
    // live parts' reads were not noted (a hit keeps nothing, so they need not be), and the run
    // would not read again what they memoized for the request.
    if (answer !== undefined && 'parts' in answer) return null;
    const footprint = context.reader.track();
    // Keyed once the run is done: a first request for a customer reads the account then.
    return { slot: { store, key: key === null ? keyOf : () => key, footprint, generation } };
  }

  /**
   * The live parts' document compiled once (graphql-jit, as the fast path runs operations): the
   * engine's executor costs an AbortController, and a DOMException when it is aborted at the end,
   * on every request. One compilation per residual document, which every answer of one operation
   * shares (its plan's); `null` when it does not compile (the engine's executor runs it).
   */
  #compiled(residual: DocumentNode): CompiledQuery | null {
    let compiled = this.#residuals.get(residual);
    if (compiled === undefined) {
      const result = compileQuery(this.#o.schema, residual);
      compiled = isCompiledQuery(result) ? result : null;
      this.#residuals.set(residual, compiled);
    }
    return compiled;
  }

  async #serve(answer: CachedAnswer, request: CacheableRequest): Promise<GraphQLAnswer | null> {
    const { context } = request;
    const { throttle } = this.#o;
    const requested = answer.cost.requested;
    let status: ThrottleStatus | null = null;
    if (throttle) {
      const decision = await throttle.take(context.principal, requested);
      // Refused: the engine refuses it, in its own words, charging nothing more.
      if (!decision.allowed) return null;
      status = decision.status;
    }
    let live: ExecutionResult | null = null;
    if (answer.residual) {
      const compiled = this.#compiled(answer.residual);
      const run = compiled
        ? compiled.query(undefined, context, answer.variables)
        : execute({ schema: this.#o.schema, document: answer.residual, contextValue: context, variableValues: answer.variables });
      live = isPromise(run) ? await run : (run as ExecutionResult);
      if (live.errors || !live.data) {
        // The engine runs it again and answers the error, masked: the charge is its to make.
        if (throttle) await throttle.refund(context.principal, requested);
        return null;
      }
    }
    const actual = actualCost(answer.cost, context.reader.erpReads);
    if (throttle && requested > actual) status = await throttle.refund(context.principal, requested - actual);
    this.#o.metrics?.operationCost(answer.operationName, requested, actual);
    if (answer.operationName !== null) context.facts.operationName = answer.operationName;

    const data = live?.data as Record<string, unknown> | undefined;
    // The kept parts as their bytes, the rest (live parts, cost) encoded now: sent as they are, uncopied.
    const chunks: Uint8Array[] = [OPEN];
    let text = '';
    for (let i = 0; i < answer.parts.length; i++) {
      const part = answer.parts[i]!;
      if (i > 0) text += ',';
      if ('bytes' in part) {
        if (text !== '') chunks.push(utf8.encode(text));
        chunks.push(part.bytes);
        text = '';
      } else text += `${JSON.stringify(part.live)}:${JSON.stringify(data?.[part.live] ?? null)}`;
    }
    text += '}';
    if (this.#o.showCost) {
      const cost: CostExtension = { requestedQueryCost: shown(requested), actualQueryCost: shown(actual), throttleStatus: status };
      text += `,"extensions":{"cost":${JSON.stringify(cost)}}`;
    }
    text += '}';
    chunks.push(utf8.encode(text));
    return { status: 200, headers: request.headers, body: chunks };
  }
}
