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

/** Creates the load-shedding middleware. Mount it before every route. */
export function loadShedding(options: LoadSheddingOptions): MiddlewareHandler {
  const places = (requestClass: RequestClass) =>
    options.maxInflight === 0 ? Infinity : Math.max(1, Math.floor(options.maxInflight * SHARES[requestClass].places));
  const cap = { catalog: places('catalog'), read: places('read'), essential: places('essential') };
  const watchDelay = options.delayThresholdMs > 0 && options.eventLoopDelay !== undefined;
  const readDelay: EventLoopDelay = watchDelay ? options.eventLoopDelay! : () => IDLE;
  const threshold = watchDelay ? options.delayThresholdMs : Infinity;
  const retryAfter = String(options.retryAfterSeconds);
  const weights = new CallerWeights();
  let inflight = 0;
  let pressed = false;
  options.metrics?.observeLoad(() => ({ inflight, eventLoopDelayMs: options.eventLoopDelay ? options.eventLoopDelay().recentMs : null }));

  const admits = (requestClass: RequestClass, delay: EventLoopReading, caller: string | null) => {
    if (inflight >= cap[requestClass]) return false;
    if (delay.recentMs > threshold * ENGAGE) pressed = true;
    else if (delay.recentMs <= threshold * RELEASE) pressed = false;
    const limit = threshold * SHARES[requestClass].delay;
    // A heavy caller sending side by side is held to what the loop did lately, under a lower
    // limit, until the pressure ends; every other request only to the turn under way: admitted
    // unless this very turn has already run long. A client that sends its next request after the
    // last answer is never held to the past, whatever it sends.
    if (pressed && caller !== null && weights.sideBySide(caller) && weights.heavy(caller)) return delay.recentMs <= limit * HOLD;
    return delay.turnMs <= limit;
  };

  return async function loadShedding(c, next) {
    const headers = c.req.raw.headers;
    let requestClass = classifyByRoute(c.req.path, headers);
    // Anonymous requests are not told apart: they may come from anyone (and go first anyway).
    const caller = headers.get('authorization');
    let delay = readDelay();
    if (watchDelay && caller !== null && requestClass !== 'essential') weights.count(caller, delay.turn);
    if (!admits(requestClass ?? 'catalog', delay, caller)) {
      // Under pressure: what is this request worth? Decided without doing any of its work.
      let body: string | null = null;
      if (requestClass === null) {
        ({ requestClass, body } = await classifyGraphQL(c.req.raw));
        delay = readDelay(); // the peek may have waited for the body while others were admitted
      }
      if (!admits(requestClass, delay, caller)) {
        options.metrics?.requestRefused('shed');
        return graphqlErrorResponse(503, 'OVERLOADED', `erpfront is at capacity and did not start this request; retry in ${retryAfter} s.`, {
          'Retry-After': retryAfter,
          'cache-control': 'no-store',
        });
      }
      if (body !== null) c.req.raw = withBody(c.req.raw, body);
    }
    inflight++;
    try {
      await next();
    } finally {
      inflight--;
    }
  };
}
