/**
 * Cache invalidations across Workers isolates: published to the log in one global Durable Object
 * (`invalidation-log.ts`), read by each isolate from its cursor at most every `pollMs` (default
 * 1000 ms), piggybacked on its requests (`catchUp`, which the Worker's entry awaits before each
 * request, and the shared tier before each read). An isolate holds no connection between requests
 * and cannot be pushed to, so this is the bound on Workers: a change event published at T reaches
 * every isolate's requests that start after T + `pollMs`.
 *
 * Unlike Redis pub/sub nothing is lost while the object is unreachable: the log keeps messages,
 * and the next read delivers them. Only an isolate whose cursor fell off the log (the log trimmed
 * past it) may have missed messages: it is told through `onMissed`, as on Node.
 *
 * Every message read (and every one this isolate publishes) is also recorded in `tombstones`, which
 * the shared tier (`cache-store.ts`) consults to treat entries fetched before a change as absent.
 *
 * @module
 */
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { loggableError } from '../../../domain/loggable-error.ts';
import type { InvalidationBus, InvalidationMessage } from '../../../ports/cache-invalidation.ts';
import type { KeyPattern } from '../../../ports/cache-store.ts';
import { silentLogger, type Logger } from '../../../ports/logger.ts';
import { ReadThroughCache } from '../../../services/read-through-cache.ts';
import type { InvalidationLogLimits, InvalidationPage } from './invalidation-log.ts';
import { Tombstones } from './tombstones.ts';

/** The RPC surface of the log object. */
interface LogStub {
  append(message: string, limits: InvalidationLogLimits): Promise<{ seq: number; at: number }>;
  since(cursor: number | null): Promise<InvalidationPage>;
}

export interface WorkersInvalidationBusOptions {
  /** The log object's name (default `cache`): every isolate of one deployment uses the same. */
  name?: string;
  /** How often at most an isolate reads the log, in ms (default 1000): the bound on Workers. */
  pollMs?: number;
  /** How long invalidations are remembered, in ms: at least as long as the shared tier keeps an entry. */
  keepMs: number;
  /**
   * How long a request waits for the log, in ms (default 1000): past that it is served from what
   * the isolate holds, and the read goes on for the requests after it.
   */
  waitMs?: number;
  /** Most messages the log keeps (default 10,000); past that, the floor rises (see the log). */
  maxEntries?: number;
  logger?: Logger;
  /** The clock (default `Date.now`). */
  now?: () => number;
}

/** The invalidation bus of one isolate, with what the Workers shared tier needs of it. */
export interface WorkersInvalidationBus extends InvalidationBus {
  /**
   * Reads what was published since this isolate last read, if that was `pollMs` ago or more, and
   * hands it to the subscribers. Never rejects: while the log cannot be read, the isolate goes on
   * serving what it holds and reads again `pollMs` later, from the same cursor.
   */
  catchUp(): Promise<void>;
  /** What this isolate knows was invalidated, and when. */
  readonly tombstones: Tombstones;
}

interface Subscriber {
  handler: (message: InvalidationMessage) => void;
  onMissed: () => void;
}

/** A read of the log older than this is given up on (see catchUp). */
const ABANDON_MS = 10_000;

/** `promise`, or nothing after `ms`, whichever is first; never rejects. */
function bounded(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Creates this isolate's end of the bus over the `CACHE_EVENTS` namespace. */
export function createWorkersInvalidationBus(namespace: DurableObjectNamespace, options: WorkersInvalidationBusOptions): WorkersInvalidationBus {
  const pollMs = options.pollMs ?? 1000;
  const limits: InvalidationLogLimits = { keepMs: options.keepMs, maxEntries: options.maxEntries ?? 10_000 };
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const name = options.name ?? 'cache';
  // Taken anew for every call: a stub that saw the object reset stays broken.
  const stub = () => namespace.get(namespace.idFromName(name)) as LogStub;
  const tombstones = new Tombstones(options.keepMs);
  const subscribers = new Set<Subscriber>();
  const waitMs = options.waitMs ?? 1000;
  let cursor: number | null = null;
  let lastReadAt = Number.NEGATIVE_INFINITY;
  /** The read under way, shared by the requests that arrive meanwhile. */
  let reading: { promise: Promise<void>; startedAt: number } | null = null;
  /** The latest read's number: a read given up on (see catchUp) applies nothing once superseded. */
  let generation = 0;
  /** The last read failed: the next failure is not logged again (one line per outage, not per second). */
  let failing = false;

  const remember = (message: InvalidationMessage, at: number) => {
    const cacheKeys = message.keys.map((k) => ReadThroughCache.key(message.domain, k));
    const patterns = (message.patterns ?? []).map((p): KeyPattern => ({ ...p, prefix: ReadThroughCache.key(message.domain, p.prefix) }));
    tombstones.record(cacheKeys, patterns, at);
  };

  const read = async (mine: number) => {
    // From when the read was asked: a message appended after that may not be in its answer.
    lastReadAt = now();
    try {
      for (;;) {
        const page = await stub().since(cursor);
        if (mine !== generation) return;
        if (page.floorAt > 0) tombstones.raiseFloor(page.floorAt);
        if (page.missed) {
          logger.warn('this isolate fell behind the cache invalidation log: forgetting its in-process cache');
          for (const s of subscribers) s.onMissed();
        }
        for (const entry of page.entries) {
          cursor = entry.seq;
          let message: InvalidationMessage;
          try {
            message = JSON.parse(entry.message) as InvalidationMessage;
          } catch (error) {
            logger.error('ignoring a cache invalidation that is not valid JSON', { seq: entry.seq, err: loggableError(error) });
            continue;
          }
          remember(message, entry.at);
          for (const s of subscribers) s.handler(message);
        }
        if (page.entries.length === 0) cursor = Math.max(cursor ?? 0, page.head);
        if (!page.more) break;
      }
      tombstones.prune(now());
      if (failing) logger.info('the cache invalidation log is readable again; what was published meanwhile has been applied');
      failing = false;
    } catch (error) {
      if (!failing)
        logger.warn('could not read the cache invalidation log (a Durable Object); this isolate retries every poll period', { err: loggableError(error) });
      failing = true;
    }
  };

  return {
    tombstones,
    async publish(message) {
      const { at } = await stub().append(JSON.stringify(message), limits);
      // At once here, without waiting for this isolate's next read of the log.
      remember(message, at);
    },
    async subscribe(handler, onMissed) {
      const subscriber = { handler, onMissed };
      subscribers.add(subscriber);
      return async () => void subscribers.delete(subscriber);
    },
    catchUp() {
      const at = now();
      // A read that started in a request since gone may never settle (workerd cancels a request's
      // I/O with it): past ABANDON_MS it is given up on and the next request reads again.
      if (reading && at - reading.startedAt < ABANDON_MS) return bounded(reading.promise, waitMs);
      if (!reading && at - lastReadAt < pollMs) return Promise.resolve();
      const promise = read(++generation).finally(() => {
        if (reading?.promise === promise) reading = null;
      });
      reading = { promise, startedAt: at };
      return bounded(promise, waitMs);
    },
  };
}
