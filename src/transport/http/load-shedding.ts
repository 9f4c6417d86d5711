/**
 * Load shedding: when erpfront is saturated it refuses the work cheapest to retry, at once, so
 * that what it still accepts is answered in bounded time and memory stays flat.
 *
 * Two signals, both read before a request does any work:
 * - requests in flight (admitted, not yet answered), bounded by `maxInflight`: the hard limit,
 *   which also bounds the memory requests hold. Nothing waits in a queue: a request over its
 *   class's share is refused on arrival, so a surge costs one short answer per request and never
 *   a growing backlog. This is what holds when requests wait on the ERP;
 * - the event loop's delay caused by erpfront's own work (Node only;
 *   `adapters/event-loop/node-event-loop-delay.ts`): what holds when the process is CPU-bound.
 *   Warm pages never wait on anything, so hundreds of them are served one after the other in a
 *   single turn of the event loop, never more than a few in flight at once; the delay is the
 *   length of that turn. An order needs a dozen turns (its store, the ERP, the budget), so the
 *   threshold is the latency budget per turn that orders are answered within.
 *
 * Each class of request (`request-class.ts`) has its own share of both:
 *
 * | class | admitted while in flight below | and event-loop delay at most |
 * | --- | --- | --- |
 * | `catalog` (catalog reads, anonymous) | ½ of `maxInflight` | the threshold |
 * | `read` (every other read) | ¾ of `maxInflight` | twice the threshold |
 * | `essential` (orders, order status, ops) | `maxInflight` | not watched |
 *
 * so reads never take the last quarter of the places, which stays for orders and operations.
 * A request is held to the turn under way: admitted unless this turn of the loop has already run
 * past its class's delay. Once turns have lately run past three quarters of the threshold (the
 * pressure), a caller sending more than the average caller (`caller-weights.ts`) and side by side
 * (several requests in one turn: many connections) is held to how long turns have been lately, at
 * half its class's delay, until they fall back under a quarter of the threshold. The buyer
 * flooding erpfront is refused first, the one beside it keeps its pages, a client sending one
 * request after the other's answer is never held to the past, and turns do not hover at the
 * threshold while the surge lasts (measured: with every request held to the longest turn lately
 * and no such pressure, placeOrder p99 was 5.9 s at a 100 ms threshold).
 *
 * Below the catalog's share and threshold every request is admitted without being classified:
 * the classification (a peek at the GraphQL operation) is only paid under pressure.
 * A refused request gets `503`, `Retry-After` and `errors[0].extensions.code = 'OVERLOADED'`.
 *
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import type { EventLoopDelay, EventLoopReading } from '../../ports/event-loop-delay.ts';
import type { Metrics } from '../../ports/metrics.ts';
import { CallerWeights } from './caller-weights.ts';
import { graphqlErrorResponse } from './error-response.ts';
import { classifyByRoute, classifyGraphQL, withBody, type RequestClass } from './request-class.ts';

export interface LoadSheddingOptions {
  /** Most requests admitted at once (MAX_INFLIGHT_REQUESTS); 0 for no bound. */
  maxInflight: number;
  /** Event-loop delay over which catalog reads are shed, ms (OVERLOAD_EVENT_LOOP_DELAY_MS); 0: delay not watched. */
  delayThresholdMs: number;
  /** The runtime's event-loop delay; absent where it cannot be measured (Workers): the bound on requests in flight alone applies. */
  eventLoopDelay?: EventLoopDelay;
  /** What `Retry-After` tells a refused client, seconds (OVERLOAD_RETRY_AFTER_SECONDS). */
  retryAfterSeconds: number;
  /** Counts refusals (`erpfront_requests_refused_total{reason="shed"}`) and reads the load at scrape time. */
  metrics?: Pick<Metrics, 'requestRefused' | 'observeLoad'>;
}

/** Each class's share of the places, and how much delay it tolerates (× the threshold). */
const SHARES: Readonly<Record<RequestClass, { places: number; delay: number }>> = {
  catalog: { places: 0.5, delay: 1 },
  read: { places: 0.75, delay: 2 },
  essential: { places: 1, delay: Infinity },
};

const IDLE: EventLoopReading = { turnMs: 0, recentMs: 0, turn: 0 };

/**
 * Pressure, in fractions of the threshold: it starts when turns have lately run past ENGAGE (below
 * the limit every request is held to, so that a surge held at the limit still engages it), heavy
 * callers are then held to HOLD, and it ends when turns fall back under RELEASE.
 */
const ENGAGE = 0.75;
const HOLD = 0.5;
const RELEASE = 0.25;

/**
 * The shedder: one per process, asked by every transport before a request does any work (the
 * hono middleware below, and the Node lane for the GraphQL requests it takes).
 */
export class LoadShedder {
  readonly #o: LoadSheddingOptions;
  readonly #cap: Readonly<Record<RequestClass, number>>;
  readonly #watchDelay: boolean;
  readonly #readDelay: EventLoopDelay;
  readonly #threshold: number;
  readonly #weights = new CallerWeights();
  #inflight = 0;
  #pressed = false;
  /** `Retry-After` of a refusal. */
  readonly retryAfter: string;

  constructor(options: LoadSheddingOptions) {
    this.#o = options;
    const places = (requestClass: RequestClass) =>
      options.maxInflight === 0 ? Infinity : Math.max(1, Math.floor(options.maxInflight * SHARES[requestClass].places));
    this.#cap = { catalog: places('catalog'), read: places('read'), essential: places('essential') };
    this.#watchDelay = options.delayThresholdMs > 0 && options.eventLoopDelay !== undefined;
    this.#readDelay = this.#watchDelay ? options.eventLoopDelay! : () => IDLE;
    this.#threshold = this.#watchDelay ? options.delayThresholdMs : Infinity;
    this.retryAfter = String(options.retryAfterSeconds);
    options.metrics?.observeLoad(() => ({ inflight: this.#inflight, eventLoopDelayMs: options.eventLoopDelay ? options.eventLoopDelay().recentMs : null }));
  }

  #admits(requestClass: RequestClass, delay: EventLoopReading, caller: string | null): boolean {
    if (this.#inflight >= this.#cap[requestClass]) return false;
    const threshold = this.#threshold;
    if (delay.recentMs > threshold * ENGAGE) this.#pressed = true;
    else if (delay.recentMs <= threshold * RELEASE) this.#pressed = false;
    const limit = threshold * SHARES[requestClass].delay;
    // A heavy caller sending side by side is held to what the loop did lately, under a lower
    // limit, until the pressure ends; every other request only to the turn under way: admitted
    // unless this very turn has already run long. A client that sends its next request after the
    // last answer is never held to the past, whatever it sends.
    if (this.#pressed && caller !== null && this.#weights.sideBySide(caller) && this.#weights.heavy(caller)) return delay.recentMs <= limit * HOLD;
    return delay.turnMs <= limit;
  }

  /**
   * Whether to start the request at `path` with these headers. Under pressure a GraphQL request
   * is worth what its operation is: `classify` tells (it may read the body; it is only called
   * then). Admitted, the request holds a place until {@link release}; refused, it is counted.
   */
  admit(
    path: string,
    headers: { get(name: string): string | null; has(name: string): boolean },
    classify: () => RequestClass | Promise<RequestClass>,
  ): boolean | Promise<boolean> {
    const byRoute = classifyByRoute(path, headers);
    // Anonymous requests are not told apart: they may come from anyone (and go first anyway).
    const caller = headers.get('authorization');
    const delay = this.#readDelay();
    if (this.#watchDelay && caller !== null && byRoute !== 'essential') this.#weights.count(caller, delay.turn);
    if (this.#admits(byRoute ?? 'catalog', delay, caller)) return this.#take();
    if (byRoute !== null) return this.#refuse();
    // Under pressure: what is this request worth? Decided without doing any of its work.
    const decide = (requestClass: RequestClass) =>
      // The peek may have waited for the body while others were admitted: the delay read again.
      this.#admits(requestClass, this.#readDelay(), caller) ? this.#take() : this.#refuse();
    const classified = classify();
    return classified instanceof Promise ? classified.then(decide) : decide(classified);
  }

  /** Gives back the place of an admitted request once it is answered. */
  release(): void {
    this.#inflight--;
  }

  /** The answer to a refused request. */
  refusal(): Response {
    return graphqlErrorResponse(503, 'OVERLOADED', `erpfront is at capacity and did not start this request; retry in ${this.retryAfter} s.`, {
      'Retry-After': this.retryAfter,
      'cache-control': 'no-store',
    });
  }

  #take(): true {
    this.#inflight++;
    return true;
  }

  #refuse(): false {
    this.#o.metrics?.requestRefused('shed');
    return false;
  }
}

/** The load-shedding middleware of `shedder`. Mount it before every route. */
export function loadShedding(shedder: LoadShedder): MiddlewareHandler {
  return async function loadShedding(c, next) {
    let body: string | null = null;
    const admitted = await shedder.admit(c.req.path, c.req.raw.headers, async () => {
      const classified = await classifyGraphQL(c.req.raw);
      body = classified.body;
      return classified.requestClass;
    });
    if (!admitted) return shedder.refusal();
    if (body !== null) c.req.raw = withBody(c.req.raw, body);
    try {
      await next();
    } finally {
      shedder.release();
    }
  };
}
