/**
 * The waiting lines of an ERP budget: one line per priority, served strictly by priority and
 * first come first served within one, from which a caller may walk away (its `AbortSignal`).
 * Both budgets, in-process and Redis, keep their waiters here and differ only in how they decide
 * that the head may go (a local token bucket, or a Lua script on Redis).
 *
 * @module
 */
import { ERP_PRIORITIES, type ErpPermit } from '../../ports/erp-budget.ts';
import type { ErpPriority } from '../../ports/erp-connector.ts';

/** A caller waiting for a permit. */
export interface Waiter {
  readonly priority: ErpPriority;
  readonly signal: AbortSignal | undefined;
  resolve(permit: ErpPermit): void;
  reject(reason: unknown): void;
}

export class PriorityLines {
  // One Set per priority: insertion order gives FIFO, and a leaver goes in O(1).
  readonly #lines: Record<ErpPriority, Set<Waiter>> = { order: new Set(), status: new Set(), read: new Set(), background: new Set() };
  readonly #detach = new Map<Waiter, () => void>();

  /**
   * Joins the line for `priority`; the promise settles when the budget hands the waiter a permit
   * (`take`, then `resolve`), or rejects with the signal's reason if the caller walks away first.
   * `onLeave` runs after a waiter left by abort (the budget may have been waiting on it), with
   * whether its line is now empty. Rejects at once on an unknown priority or an aborted signal.
   */
  join(priority: ErpPriority, signal: AbortSignal | undefined, onLeave: (lineEmpty: boolean) => void): Promise<ErpPermit> {
    if (!ERP_PRIORITIES.includes(priority)) {
      return Promise.reject(new TypeError(`ERP priority must be one of ${ERP_PRIORITIES.join(', ')}, but got: ${String(priority)}`));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const line = this.#lines[priority];
    return new Promise<ErpPermit>((resolve, reject) => {
      const waiter: Waiter = { priority, signal, resolve, reject };
      const onAbort = () => {
        // Only a waiter still in line can leave it; one already granted keeps its permit.
        if (!this.take(waiter)) return;
        reject(signal?.reason);
        onLeave(line.size === 0);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#detach.set(waiter, () => signal?.removeEventListener('abort', onAbort));
      line.add(waiter);
    });
  }

  /** The waiter to serve next: the first of the most urgent non-empty line. */
  head(): Waiter | undefined {
    for (const priority of ERP_PRIORITIES) {
      const first = this.#lines[priority].values().next();
      if (!first.done) return first.value;
    }
    return undefined;
  }

  /** Takes `waiter` out of its line to serve it; `false` when it had already left. */
  take(waiter: Waiter): boolean {
    if (!this.#lines[waiter.priority].delete(waiter)) return false;
    this.#detach.get(waiter)?.();
    this.#detach.delete(waiter);
    return true;
  }

  /** How many wait in the line for `priority`. */
  size(priority: ErpPriority): number {
    return this.#lines[priority].size;
  }

  /** How many wait, per priority (for snapshots and metrics). */
  waiting(): Record<ErpPriority, number> {
    const { order, status, read, background } = this.#lines;
    return { order: order.size, status: status.size, read: read.size, background: background.size };
  }
}
