/**
 * The ERP-write outbox port: every write erpfront owes the ERP besides orders (quotes, their
 * acceptance, decline and revision requests, returns), kept durably before the buyer is answered
 * and sent exactly once by a dispatcher (`services/outbox/outbox-dispatcher.ts`).
 *
 * An entry's id is also the ERP's external reference of the write: after an ambiguous failure
 * (a timeout, a lost reply, a crash mid-call) the dispatcher looks the write up by it before any
 * resend. The lease rules are the order queue's (`order-store.ts`) and the company applications'
 * (`application-store.ts`): a lease counts an attempt; a holder records that it is about to send
 * (`markSending`) and never sends past its lease, so an entry whose holder died mid-send comes back
 * in doubt with `sentBefore` at the end of that lease, and one it never began to send comes back as
 * it was. The embedded adapter is SQLite, scale-out Redis; both (and the memory adapter of the
 * tests) run one contract suite (`test/contract/outbox-store.contract.ts`).
 *
 * @module
 */

/**
 * Where a write stands. `PENDING` waits for the ERP (retried while it is down); `DONE` the ERP has
 * it (`result`); `REFUSED` the ERP refused it (`refusal`), final.
 */
export type OutboxStatus = 'PENDING' | 'DONE' | 'REFUSED';

export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['PENDING', 'DONE', 'REFUSED'];

/** JSON: what a write carries and what the ERP answered. */
export type OutboxJson = Record<string, unknown>;

/** A write to make. */
export interface OutboxWrite {
  /** What kind of write (`quote.create`, `return.create`, ...): the dispatcher's handler for it. */
  kind: string;
  /** The customer it is for (reads list a customer's entries of a kind); `null` for none yet. */
  customerId: string | null;
  /** Everything the handler needs to send it, as validated. */
  payload: OutboxJson;
}

export interface OutboxEntry extends OutboxWrite {
  /** erpfront's id of the write; also the ERP's external reference. */
  id: string;
  /** Insertion order (paging). */
  seq: number;
  status: OutboxStatus;
  /** The subject who asked for it. */
  createdBy: string;
  /** UTC ISO 8601. */
  createdAt: string;
  updatedAt: string;
  /** What the ERP answered (its document number, say), once `DONE`. */
  result: OutboxJson | null;
  doneAt: string | null;
  /** Why the ERP refused it (`REFUSED`). */
  refusal: { reason: string; message: string } | null;
  /** Attempts to send it so far. */
  attempts: number;
  /** The ERP may have it already: look it up by the id before sending it. */
  inDoubt: boolean;
  /** Epoch ms before which every earlier attempt was sent, if one may have been (see `StoredOrder.sentBefore`). */
  sentBefore: number | null;
  /** Not before this instant (epoch ms) is it tried again. */
  nextAttemptAt: number;
  lastError: string | null;
}

export interface OutboxPage {
  /** Newest first. */
  entries: OutboxEntry[];
  /** Whether older ones follow the last one. */
  hasMore: boolean;
}

export interface OutboxStore {
  /**
   * Writes a new entry (`PENDING`, due now) under `id`, or, when an entry with this id exists
   * already (a retried request: ids are derived from idempotency keys), leaves it as it is:
   * `created` says which, and `entry` is the one stored.
   */
  enqueue(write: OutboxWrite, options: { id: string; createdBy: string; now: number }): Promise<{ entry: OutboxEntry; created: boolean }>;
  get(id: string): Promise<OutboxEntry | null>;
  /** A customer's entries of one kind, newest first, older than the one of `beforeSeq`. */
  listByCustomer(kind: string, customerId: string, options: { beforeSeq?: number; limit: number }): Promise<OutboxPage>;
  /**
   * Leases up to `limit` pending entries that are due, counting an attempt for each. One whose
   * previous holder had begun sending it and left no verdict comes back in doubt, its
   * `sentBefore` raised to the end of that holder's lease.
   */
  lease(owner: string, options: { now: number; limit: number; leaseMs: number }): Promise<OutboxEntry[]>;
  /**
   * Records, before the write is sent, that `owner` is about to send it within its lease (until
   * `sendingUntil`). False (nothing written) when `owner` no longer holds the lease: it must not send.
   */
  markSending(id: string, owner: string, sendingUntil: number): Promise<boolean>;
  /** The ERP has it: `DONE` with what it answered. */
  markDone(id: string, result: OutboxJson, now: number): Promise<void>;
  /**
   * Not this time: due again at `nextAttemptAt`, `inDoubt` as the attempt left it; `sentBefore`
   * raises the entry's (never lowers it). With `owner`, only while `owner` holds the lease.
   */
  markRetry(id: string, retry: { error: string; nextAttemptAt: number; inDoubt: boolean; sentBefore?: number; owner?: string }, now: number): Promise<void>;
  /** The ERP refused it: `REFUSED` with the reason. */
  markRefused(id: string, refusal: { reason: string; message: string }, now: number): Promise<void>;
  /**
   * Releases every lease, for a process that owns the store alone and restarts after a crash.
   * Entries it had begun sending come back in doubt, `sentBefore` raised to `now` (or the lease's
   * end, if sooner). Resolves to how many were released.
   */
  releaseLeases(now: number): Promise<number>;
  close(): Promise<void>;
}
