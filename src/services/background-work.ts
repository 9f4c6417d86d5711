/**
 * Work a request starts and does not wait for (a stale cache entry's refresh), kept track of so a
 * runtime can keep it alive past the answer. Node runs it to its end on its own. Workers does not:
 * once a request has answered, whatever it started that is not handed to `ctx.waitUntil` is
 * cancelled, and a refresh cancelled half-way would never settle, so every later read that joined
 * it would wait for ever. The Worker entry hands {@link BackgroundWork.settled} to `waitUntil`
 * after each answer.
 *
 * @module
 */

export class BackgroundWork {
  readonly #pending = new Set<Promise<unknown>>();

  /** Keeps track of `work` until it settles; its failure is the caller's to handle (it is swallowed here). */
  track(work: Promise<unknown>): void {
    const tracked = work.then(
      () => {},
      () => {},
    );
    this.#pending.add(tracked);
    void tracked.then(() => this.#pending.delete(tracked));
  }

  /** How much is under way now. */
  get size(): number {
    return this.#pending.size;
  }

  /** Settles once every piece of work under way now has (never rejects). */
  settled(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return Promise.all([...this.#pending]).then(() => {});
  }
}
