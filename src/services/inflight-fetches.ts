/**
 * The cache's fetches under way, by cache key: a second reader of a key joins the fetch already
 * asking the ERP for it instead of asking again. A fetch is joined for at most `maxFetchMs`: one
 * that never settles (its runtime cancelled it) must not hold every later reader of its keys. A
 * fetch can be disowned (an ERP change arrived while it ran): its callers still get its answer,
 * but the cache does not keep it, and the next reader fetches afresh.
 *
 * @module
 */
import { matchesPattern, type KeyPattern } from '../ports/cache-store.ts';

export class InflightFetches {
  readonly #fetches = new Map<string, { promise: Promise<unknown>; since: number }>();
  readonly #maxFetchMs: number;

  constructor(maxFetchMs: number) {
    this.#maxFetchMs = maxFetchMs;
  }

  /** The fetch under way for `key` at `now`, unless it started longer than `maxFetchMs` ago. */
  running(key: string, now: number): Promise<unknown> | undefined {
    const running = this.#fetches.get(key);
    if (running === undefined || now - running.since <= this.#maxFetchMs) return running?.promise;
    this.#fetches.delete(key);
    return undefined;
  }

  /** Registers `promise` as `key`'s fetch from `now`; it leaves once settled, unless replaced. */
  add(key: string, promise: Promise<unknown>, now: number): void {
    this.#fetches.set(key, { promise, since: now });
    void promise.finally(() => {
      if (this.owns(key, promise)) this.#fetches.delete(key);
    });
  }

  /** Whether `promise` is still `key`'s fetch (neither disowned nor replaced): what it brings may be kept. */
  owns(key: string, promise: Promise<unknown>): boolean {
    return this.#fetches.get(key)?.promise === promise;
  }

  /** Disowns the fetches of `keys` and of every key matching `patterns`. */
  disown(keys: readonly string[], patterns: readonly KeyPattern[]): void {
    for (const key of keys) this.#fetches.delete(key);
    if (patterns.length === 0) return;
    for (const key of [...this.#fetches.keys()]) {
      if (patterns.some((p) => matchesPattern(key, p))) this.#fetches.delete(key);
    }
  }
}
