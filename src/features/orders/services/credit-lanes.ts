/**
 * One credit decision at a time per customer in this process (an isolate, on Workers): a
 * customer's orders placed at once take their decision and write in turn instead of all together.
 *
 * Not what makes the credit check atomic: the store's insert does that, holding only while the
 * customer's exposure is unchanged since it was read. But when many orders of one customer decide
 * together, every insert moves the exposure the others read, and all but one decide again, round
 * after round. Where a decision is two round trips to a store that queues its calls (the order
 * store's Durable Object), a burst of 150 orders took tens of seconds and a third ended
 * CREDIT_CHECK_BUSY; in turn, each decides once. Across processes the insert still arbitrates.
 *
 * @module
 */

/** Runs a customer's credit decisions one after the other, in arrival order. */
export interface CreditLanes {
  /**
   * Runs `decide` once the customer's earlier decisions in this process are done, or once it has
   * waited `maxWaitMs` for them: a request that was cancelled while deciding (its client went
   * away, on Workers) never says it is done, and must not hold the customer's next orders for long.
   */
  run<T>(customerId: string, decide: () => Promise<T>): Promise<T>;
}

/** The lanes of one process; `maxWaitMs` bounds how long an order waits behind the others. */
export function creditLanes(options: { maxWaitMs: number }): CreditLanes {
  /** Per customer, the end of its last decision taken or queued. */
  const tails = new Map<string, Promise<void>>();
  return {
    async run(customerId, decide) {
      const ahead = tails.get(customerId);
      let done!: () => void;
      const mine = new Promise<void>((resolve) => {
        done = resolve;
      });
      tails.set(customerId, mine);
      try {
        if (ahead) await waitAtMost(ahead, options.maxWaitMs);
        return await decide();
      } finally {
        done();
        if (tails.get(customerId) === mine) tails.delete(customerId);
      }
    },
  };
}

async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
