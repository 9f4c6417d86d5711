/**
 * Sends ERP writes exactly once each, with the order dispatcher's rules
 * (`features/orders/services/order-dispatcher.ts`): the one machinery behind the ERP-write outbox
 * (`ports/outbox-store.ts`: quotes, their responses, returns) and the company registrations
 * (`ports/application-store.ts`, `features/registration/account-dispatcher.ts`).
 *
 * Due writes are leased from their queue, and each lease counts an attempt. One in doubt (an
 * earlier attempt may have reached the ERP: a timeout, a lost reply, a crash mid-call) is looked
 * up by its external reference (the write's id) before it is sent again: found, it is done with
 * what the ERP holds; not found is trusted only once no earlier attempt can still commit
 * (`maxRequestMs` past its `sentBefore`), and until then it waits. A holder records that it is
 * about to send (`markSending`) and never sends past its lease. An ERP that refuses a second write
 * with one reference (`ERP_DUPLICATE_REF`) settles the doubt itself: the handler finds it. While
 * the ERP is down, writes stay due and are retried with backoff; the ERP budget and breaker in
 * front of the connector keep the retries within its limits.
 *
 * @module
 */
import type { Clock } from '../../ports/clock.ts';
import { ErpError } from '../../ports/erp-error.ts';
import { erpErrorClass } from '../../ports/erp/error-classes.ts';
import type { Logger } from '../../ports/logger.ts';
import type { OutboxEntry, OutboxJson, OutboxStore } from '../../ports/outbox-store.ts';
import type { Job, JobHandle } from '../../ports/scheduler.ts';
import { loggableError } from '../../domain/loggable-error.ts';

/** What the dispatcher needs to know of a leased write. */
export interface LeasedWrite {
  /** Also the ERP's external reference of the write. */
  id: string;
  attempts: number;
  inDoubt: boolean;
  sentBefore: number | null;
}

/** The queue a dispatcher leases from: the outbox store, or the company applications. */
export interface WriteQueue<E extends LeasedWrite> {
  lease(owner: string, options: { now: number; limit: number; leaseMs: number }): Promise<E[]>;
  markSending(id: string, owner: string, sendingUntil: number): Promise<boolean>;
  markDone(id: string, result: OutboxJson, now: number): Promise<void>;
  markRetry(id: string, retry: { error: string; nextAttemptAt: number; inDoubt: boolean; sentBefore?: number; owner?: string }, now: number): Promise<void>;
  markRefused(id: string, refusal: { reason: string; message: string }, now: number): Promise<void>;
}

/** How one kind of write reaches the ERP. */
export interface OutboxHandler<E extends LeasedWrite = OutboxEntry> {
  /**
   * Sends the write once, with the write's id as the ERP's external reference, and resolves with
   * what to record (the ERP's document number, say). `sendBy`: epoch ms after which it must not
   * be sent (the lease's end less a grace). A business refusal rejects with `ERP_REJECTED`.
   */
  send(entry: E, options: { sendBy: number; log: Logger }): Promise<OutboxJson>;
  /** The write as the ERP holds it, found by the write's id; `null` when the ERP has none. */
  find(entry: E, options: { log: Logger }): Promise<OutboxJson | null>;
  /**
   * Runs once the ERP has the write, before it is marked done (registration: the company's admin);
   * should it fail, the next attempt finds the write and runs it again, so it must be idempotent.
   */
  beforeDone?(entry: E, result: OutboxJson): Promise<void>;
}

export interface DispatcherTiming {
  /** A lease outlives a stuck call by this much (default 30 s). */
  leaseMs?: number;
  /** How often an idle dispatcher looks for due writes (default 1 s). */
  pollMs?: number;
  /** Backoff between attempts, with jitter: first delay and ceiling (1 s, 60 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** The ERP's own time limit on a request (ERP_MAX_REQUEST_SECONDS); default 60 s. */
  maxRequestMs?: number;
  /** Kept free at the end of a lease and added to `maxRequestMs` (clock skew, the send itself). Default 1 s. */
  sendGraceMs?: number;
  /** Writes sent at once (default 2): orders go first, these are few. */
  concurrency?: number;
}

export interface WriteDispatcherOptions<E extends LeasedWrite> extends DispatcherTiming {
  queue: WriteQueue<E>;
  /** The handler of a leased write; `undefined`: none in this process (it waits and is tried later). */
  handlerFor(entry: E): OutboxHandler<E> | undefined;
  clock: Clock;
  logger: Logger;
  /** Who holds the leases (unique per process). */
  owner: string;
  /** The scheduler's name of the job, e.g. `erp-outbox`. */
  jobName: string;
  /** What a write is called in logs, e.g. `ERP write`, `company application`. */
  what: string;
  /** The log fields naming a write. */
  logFields(entry: E): Record<string, unknown>;
}

/** What a failed attempt means, after the `ErpError` table. */
function classify(error: unknown): { refused: boolean; delivered: 'no' | 'maybe'; pauseMs: number } {
  if (error instanceof ErpError) {
    const { order, pausesOrders } = erpErrorClass(error.code);
    if (order === 'rejected') return { refused: true, delivered: 'no', pauseMs: 0 };
    if (order === 'unsent' || error.unsent) return { refused: false, delivered: 'no', pauseMs: pausesOrders ? (error.retryAfterMs ?? 1000) : 0 };
  }
  return { refused: false, delivered: 'maybe', pauseMs: 0 };
}

/** An entry of a kind no handler is registered for waits this long (a feature not set up here). */
const UNHANDLED_RETRY_MS = 60_000;

export class WriteDispatcher<E extends LeasedWrite> {
  readonly #o: Required<WriteDispatcherOptions<E>>;
  #inFlight = 0;
  #pausedUntil = 0;
  #handle: JobHandle | null = null;
  readonly #active = new Set<Promise<void>>();

  constructor(options: WriteDispatcherOptions<E>) {
    // An option given as undefined keeps its default.
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as unknown as WriteDispatcherOptions<E>;
    this.#o = { leaseMs: 30_000, pollMs: 1000, retryBaseMs: 1000, retryMaxMs: 60_000, maxRequestMs: 60_000, sendGraceMs: 1000, concurrency: 2, ...given };
  }

  job(): Job {
    return {
      name: this.#o.jobName,
      intervalMs: this.#o.pollMs,
      tick: () => this.tick(),
      scheduled: (handle) => {
        this.#handle = handle;
      },
      drain: () => this.drain(),
    };
  }

  /** Looks for due entries now (one was just enqueued). */
  wake(): void {
    this.#handle?.runNow();
  }

  async drain(): Promise<void> {
    await Promise.all(this.#active);
  }

  /** One lease round; resolves to the ms until the next. */
  async tick(): Promise<number> {
    const now = this.#o.clock.now();
    const free = this.#o.concurrency - this.#inFlight;
    if (free > 0 && now >= this.#pausedUntil) {
      let leased: E[] = [];
      try {
        leased = await this.#o.queue.lease(this.#o.owner, { now, limit: free, leaseMs: this.#o.leaseMs });
      } catch (error) {
        this.#o.logger.error(`leasing ${this.#o.what}s failed`, { err: loggableError(error) });
      }
      for (const entry of leased) this.#start(entry, now + this.#o.leaseMs);
    }
    return Math.max(this.#o.pollMs, Math.min(this.#pausedUntil - this.#o.clock.now(), this.#o.pollMs * 4));
  }

  #start(entry: E, leaseEnd: number): void {
    this.#inFlight++;
    const task = this.#attempt(entry, leaseEnd)
      .catch((error: unknown) =>
        this.#o.logger.error(`${this.#o.what} ${entry.id} could not be updated`, { ...this.#o.logFields(entry), err: loggableError(error) }),
      )
      .finally(() => {
        this.#inFlight--;
        this.#active.delete(task);
      });
    this.#active.add(task);
  }

  async #attempt(entry: E, leaseEnd: number): Promise<void> {
    const { queue: store, clock, owner, what } = this.#o;
    const log = this.#o.logger.child(this.#o.logFields(entry));
    const handler = this.#o.handlerFor(entry);
    if (!handler) {
      const error = `No handler for this ${what} in this process`;
      await store.markRetry(entry.id, { error, nextAttemptAt: clock.now() + UNHANDLED_RETRY_MS, inDoubt: entry.inDoubt, owner }, clock.now());
      log.error(error);
      return;
    }
    let inDoubt = entry.inDoubt;
    let sent = false;
    try {
      if (inDoubt) {
        const existing = await handler.find(entry, { log });
        if (existing) return await this.#done(handler, entry, existing, log);
        const settledAt = entry.sentBefore === null ? 0 : entry.sentBefore + this.#o.maxRequestMs + this.#o.sendGraceMs;
        if (clock.now() < settledAt) {
          // Not there yet, but the last attempt may still commit: look again once it cannot.
          await store.markRetry(
            entry.id,
            { error: 'Waiting for the ERP to finish (or abandon) an earlier attempt before sending again', nextAttemptAt: settledAt, inDoubt: true, owner },
            clock.now(),
          );
          log.info(`${what} waits for an earlier attempt to settle`, { nextAttemptAt: new Date(settledAt).toISOString() });
          return;
        }
        inDoubt = false;
      }
      // Recorded before the send: should this process die mid-call, whoever takes it over knows.
      if (!(await store.markSending(entry.id, owner, leaseEnd))) return;
      sent = true;
      const result = await this.#send(handler, entry, leaseEnd, log);
      await this.#done(handler, entry, result, log);
    } catch (error) {
      const verdict = classify(error);
      const message = error instanceof Error ? error.message : String(error);
      const now = clock.now();
      if (verdict.refused) {
        const reason = (error as ErpError).reason ?? 'REJECTED';
        await store.markRefused(entry.id, { reason, message }, now);
        log.warn(`${what} refused by the ERP`, { status: 'REFUSED', reason, err: loggableError(error) });
        return;
      }
      if (verdict.pauseMs > 0) this.#pausedUntil = now + verdict.pauseMs;
      const delay = verdict.pauseMs > 0 ? verdict.pauseMs : this.#backoff(entry.attempts);
      const maybeSent = sent && verdict.delivered === 'maybe';
      // The ERP's own error answer ends its request: in doubt, but nothing can commit later.
      const stillRunning = maybeSent && !(error instanceof ErpError && error.answered);
      await store.markRetry(
        entry.id,
        {
          error: message,
          nextAttemptAt: now + delay,
          inDoubt: inDoubt || maybeSent,
          ...(stillRunning ? { sentBefore: Math.min(now, leaseEnd) } : {}),
          owner,
        },
        now,
      );
      log.info(`${what} queued for another attempt`, {
        status: 'PENDING',
        attempts: entry.attempts,
        inDoubt: inDoubt || maybeSent,
        retryInMs: delay,
        err: loggableError(error),
      });
    }
  }

  /** Sends within the lease; a duplicate refusal means an earlier attempt got there. */
  async #send(handler: OutboxHandler<E>, entry: E, leaseEnd: number, log: Logger): Promise<OutboxJson> {
    try {
      return await handler.send(entry, { sendBy: leaseEnd - this.#o.sendGraceMs, log });
    } catch (error) {
      if (!(error instanceof ErpError && error.code === 'ERP_DUPLICATE_REF')) throw error;
      const existing = await handler.find(entry, { log });
      if (!existing)
        throw new ErpError('ERP_UNAVAILABLE', `${this.#o.what} ${entry.id}: the ERP refused it as a duplicate but does not find it by reference yet`, {
          cause: error,
          operation: this.#o.jobName,
        });
      return existing;
    }
  }

  async #done(handler: OutboxHandler<E>, entry: E, result: OutboxJson, log: Logger): Promise<void> {
    // Should it fail, the write stays due (in doubt) and the next attempt finds it and runs it again.
    await handler.beforeDone?.(entry, result);
    await this.#o.queue.markDone(entry.id, result, this.#o.clock.now());
    this.#pausedUntil = 0;
    log.info(`${this.#o.what} is in the ERP`, { ...result, attempts: entry.attempts });
  }

  #backoff(attempts: number): number {
    const ceiling = Math.min(this.#o.retryMaxMs, this.#o.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}

export interface OutboxDispatcherOptions extends DispatcherTiming {
  store: OutboxStore;
  clock: Clock;
  logger: Logger;
  /** Who holds the leases (unique per process). */
  owner: string;
}

/** The ERP-write outbox's dispatcher: one for every kind of write, each with its registered handler. */
export class OutboxDispatcher {
  readonly store: OutboxStore;
  readonly #handlers = new Map<string, OutboxHandler>();
  readonly #writes: WriteDispatcher<OutboxEntry>;

  constructor(options: OutboxDispatcherOptions) {
    const { store, ...rest } = options;
    this.store = store;
    this.#writes = new WriteDispatcher<OutboxEntry>({
      ...rest,
      queue: store,
      handlerFor: (entry) => this.#handlers.get(entry.kind),
      jobName: 'erp-outbox',
      what: 'ERP write',
      logFields: (entry) => ({ outboxId: entry.id, kind: entry.kind }),
    });
  }

  /** Registers how writes of `kind` are sent; a feature calls it in its setup. */
  register(kind: string, handler: OutboxHandler): void {
    if (this.#handlers.has(kind)) throw new Error(`outbox: a handler for ${kind} is registered already`);
    this.#handlers.set(kind, handler);
  }

  job(): Job {
    return this.#writes.job();
  }

  /** Looks for due writes now (one was just enqueued). */
  wake(): void {
    this.#writes.wake();
  }

  drain(): Promise<void> {
    return this.#writes.drain();
  }

  tick(): Promise<number> {
    return this.#writes.tick();
  }
}
