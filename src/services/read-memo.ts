/**
 * Answers computed from cache reads, kept per subject (an item) and served again to a later
 * request while the reads they were computed from hold (read-receipts.ts): a buyer's price and an
 * item's availability on a catalog page, asked again and again of the same entries.
 *
 * An answer is kept under its subject and two more parts of its question (for a price: the
 * customer as read by the request, and the quantity), compared by identity: an answer is only
 * ever served for the very question it was computed for, from the very entries it read. A few
 * answers per subject (several customers, quantities); the oldest makes room. Held weakly by the
 * subject: an item that leaves the cache takes its answers with it.
 *
 * @module
 */
import type { ErpReader } from './erp-reader.ts';
import type { MaybePromise } from './maybe-promise.ts';
import type { ReadReceipts } from './read-receipts.ts';

const DAY_MS = 86_400_000;

interface Slot<A> {
  a: unknown;
  b: unknown;
  answer: A;
  receipts: ReadReceipts;
}

export interface ReadMemoOptions {
  /** Answers kept per subject (default 4). */
  perSubject?: number;
  /** Whether an answer depends on the UTC day as well (dates counted from today): it lapses at midnight. */
  dayBound?: boolean;
}

/** Answers by subject and question, served again while their reads hold. */
export class ReadMemo<S extends object, A> {
  readonly #slots = new WeakMap<S, Slot<A>[]>();
  readonly #perSubject: number;
  readonly #dayBound: boolean;

  constructor(options: ReadMemoOptions = {}) {
    this.#perSubject = options.perSubject ?? 4;
    this.#dayBound = options.dayBound ?? false;
  }

  /**
   * The answer to (`subject`, `a`, `b`): the one an earlier request computed, when its reads hold
   * for `reader` (counted as the hits they stand for), else `compute()`'s, which is kept when it
   * may be (every read a fresh hit, the answer ready now). `compute` reads through `reader` only.
   */
  answer(reader: ErpReader, subject: S, a: unknown, b: unknown, compute: () => MaybePromise<A>): MaybePromise<A> {
    const slots = this.#slots.get(subject);
    if (slots !== undefined) {
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        if (slot.a === a && slot.b === b) {
          if (reader.replay(slot.receipts)) return slot.answer;
          break;
        }
      }
    }
    const { answer, receipts } = reader.record(compute);
    if (receipts !== null) {
      if (this.#dayBound) receipts.validUntil = Math.min(receipts.validUntil, (Math.floor(receipts.readAt / DAY_MS) + 1) * DAY_MS);
      this.#keep(subject, slots, { a, b, answer: answer as A, receipts });
    }
    return answer;
  }

  #keep(subject: S, slots: Slot<A>[] | undefined, slot: Slot<A>): void {
    if (slots === undefined) {
      this.#slots.set(subject, [slot]);
      return;
    }
    const same = slots.findIndex((s) => s.a === slot.a && s.b === slot.b);
    if (same >= 0) slots[same] = slot;
    else {
      if (slots.length >= this.#perSubject) slots.shift();
      slots.push(slot);
    }
  }
}
