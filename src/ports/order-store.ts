/**
 * The order store port: erpfront's durable record of every order it accepted, its queue toward
 * the ERP, its dead letters, and the idempotency keys that make a retried request safe.
 *
 * An order is written here before erpfront answers the buyer, and stays until the ERP has it:
 * a crash, an ERP outage or a retry never loses or doubles it. The embedded adapter is SQLite;
 * Redis (Streams) and Durable Objects implement the same port and run the same contract suite.
 *
 * @module
 */
import type { OnBehalf } from '../domain/orders/on-behalf.ts';
import type { DecimalString, ErpOrderLine, ErpOrderRequest } from './erp-connector.ts';

/**
 * Where an order stands in erpfront. `QUEUED` waits for the ERP; `SUBMITTED` is in the ERP (what
 * happens next, shipping and invoicing, the ERP reports); `ON_HOLD` waits for a credit review;
 * `REJECTED` was refused by the ERP (a dead letter); `CANCELLED` will never be submitted.
 * `PENDING_APPROVAL` waits for the company's approvers (it counts in the customer's exposure, as
 * a queued order does); `APPROVAL_REJECTED` was rejected by one of them, or its approval expired.
 */
export type LocalOrderStatus = 'QUEUED' | 'SUBMITTED' | 'ON_HOLD' | 'REJECTED' | 'CANCELLED' | 'PENDING_APPROVAL' | 'APPROVAL_REJECTED';

export type CreditDecisionKind = 'APPROVE' | 'REVIEW' | 'BLOCK';

export interface StoredOrder {
  /** erpfront's order id; also the ERP's external reference. */
  id: string;
  /** Insertion order: orders of one customer reach the ERP in this order. */
  seq: number;
  customerId: string;
  status: LocalOrderStatus;
  /** Exactly what is sent to the ERP. */
  request: ErpOrderRequest;
  total: DecimalString;
  currency: string;
  /** The principal who placed it (a buyer, or a rep on the customer's behalf): the audit trail. */
  placedBy: string;
  /**
   * Set when a sales rep placed it on the customer's behalf (`placedBy` is then the rep's
   * subject); `null` (or absent, for orders written before reps) when a buyer of the company did.
   */
  onBehalf?: OnBehalf | null;
  creditDecision: { decision: CreditDecisionKind; reason: string | null };
  idempotencyKey: string | null;
  /** UTC ISO 8601. */
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  erpOrderNumber: string | null;
  /** Submission attempts so far. */
  attempts: number;
  /**
   * The ERP may have the order already: an earlier attempt ended without a verdict (a timeout, a
   * lost reply, a crash mid-call). Look it up by its external reference before creating it.
   */
  inDoubt: boolean;
  /**
   * Epoch ms before which every earlier attempt to create this order in the ERP was sent, if it
   * was sent at all; `null` when no attempt may have been. An attempt that ended without a verdict
   * raises it to when it ended; one that had begun sending (`markSending`) when its holder died,
   * to the end of that holder's lease (a holder never sends past its lease). The ERP may still
   * commit such an attempt for up to its request time limit after this instant, so "not found by
   * reference" means "not there" only once that has passed.
   */
  sentBefore: number | null;
  /** Not before this instant (epoch ms) is the order tried again. */
  nextAttemptAt: number;
  lastError: string | null;
  /** Why the ERP refused it (dead letters). */
  rejection: { reason: string; message: string } | null;
}

export type NewOrder = Pick<
  StoredOrder,
  'id' | 'customerId' | 'status' | 'request' | 'total' | 'currency' | 'placedBy' | 'onBehalf' | 'creditDecision' | 'idempotencyKey'
>;

/** The outcome of presenting an idempotency key. */
export type IdempotencyClaim =
  /** First use: go ahead, then `insert` with the key, or `releaseIdempotencyKey` if nothing was written. */
  | { kind: 'claimed' }
  /** Already used with the same payload: here is the order it made. */
  | { kind: 'completed'; orderId: string }
  /** Another request with this key is still running. */
  | { kind: 'in_use' }
  /** Already used with a different payload. */
  | { kind: 'mismatch' };

export interface QueueStats {
  /** Orders waiting for the ERP (`QUEUED`). */
  depth: number;
  oldestAgeSeconds: number;
  /** Orders the ERP refused (`REJECTED`). */
  deadLetters: number;
}

export interface OrderStore {
  /**
   * Claims `key` (already scoped to the customer) for a request whose payload hashes to
   * `payloadHash`. A claim left `in_use` longer than `staleAfterMs` belongs to a request that
   * died and is taken over. Keys are kept for `ttlMs`.
   *
   * `claimId` is chosen by the caller, unique per request, before the call: only that request
   * may complete or release the claim. A store whose reply can be lost (Redis) uses it to release
   * a claim that was made although the caller saw a failure, without touching a newer claim.
   */
  claimIdempotencyKey(
    key: string,
    payloadHash: string,
    options: { now: number; ttlMs: number; staleAfterMs: number; claimId: string },
  ): Promise<IdempotencyClaim>;
  /**
   * Keeps a claim alive: a running request renews its claim well within `staleAfterMs`, so only a
   * request that stopped (its process died) loses its key to a retry, and soon. False when
   * `claimId` no longer holds the key.
   */
  renewIdempotencyClaim(key: string, claimId: string, now: number): Promise<boolean>;
  /** Gives a claimed key back, if `claimId` still holds it: the request wrote nothing. */
  releaseIdempotencyKey(key: string, claimId: string): Promise<void>;
  /**
   * Writes a new order and, atomically with it, completes its idempotency key.
   *
   * With `exposureVersion` (from {@link pendingExposure}), the order is written only if the
   * customer's exposure has not changed since: a credit decision and its insert are one step
   * across awaits and instances (optimistic concurrency; the caller decides again on a conflict).
   * @throws {IdempotencyClaimLostError} when `claimId` no longer holds the key (it was released,
   *   or taken over as stale): nothing is written, so a key never makes two orders.
   * @throws {ExposureChangedError} when the customer's exposure moved past `exposureVersion`.
   */
  insert(order: NewOrder, options: { now: number; idempotency?: { key: string; claimId: string }; exposureVersion?: string }): Promise<StoredOrder>;
  get(id: string): Promise<StoredOrder | null>;
  /** A customer's orders, newest first. */
  listByCustomer(customerId: string, options: { statuses?: LocalOrderStatus[]; limit: number }): Promise<StoredOrder[]>;
  /** Orders in any of `statuses`, oldest first (ops views). */
  listByStatus(statuses: LocalOrderStatus[], options: { limit: number }): Promise<StoredOrder[]>;
  /**
   * Orders in `status` placed at or after `since` (epoch ms), newest first, at most `limit`; with
   * `beforeSeq`, only those placed before that order (the next page: pass the last one's `seq`).
   * What reconciliation compares with the ERP.
   */
  listRecent(status: LocalOrderStatus, options: { since: number; beforeSeq?: number; limit: number }): Promise<StoredOrder[]>;
  /**
   * Leases up to `limit` queued orders that are due, only the oldest queued order of each
   * customer (first in, first out per customer), counting a submission attempt for each. An order
   * whose previous holder had begun sending it (`markSending`) and left no verdict comes back in
   * doubt, its `sentBefore` raised to the end of that holder's lease; one it never began to send
   * comes back as it was.
   */
  lease(owner: string, options: { now: number; limit: number; leaseMs: number }): Promise<StoredOrder[]>;
  /**
   * Records, before the order is sent, that `owner` is about to send it, within its lease (until
   * `sendingUntil`, the lease's end): should `owner` die now, whoever takes the order over knows it
   * may be in the ERP. False (and nothing written) when `owner` no longer holds the lease: it must
   * not send.
   */
  markSending(id: string, owner: string, sendingUntil: number): Promise<boolean>;
  /**
   * The ERP has it: `SUBMITTED` with the ERP's number. With `checkDuplicatesAt` (an order that was
   * in doubt), a duplicate check is scheduled, atomically with the status, for when no earlier
   * attempt can still be committed (see {@link dueDuplicateChecks}).
   */
  markSubmitted(id: string, erpOrderNumber: string, now: number, options?: { checkDuplicatesAt?: number }): Promise<void>;
  /**
   * Up to `limit` orders whose duplicate check is due, each put off by `leaseMs` as it is handed
   * out (so one instance checks it at a time, and a checker that dies hands it on).
   */
  dueDuplicateChecks(now: number, options: { limit: number; leaseMs: number }): Promise<StoredOrder[]>;
  /** The order's duplicate check is done (clean, or reported). */
  finishDuplicateCheck(id: string): Promise<void>;
  /**
   * Not this time: back to the queue, not before `nextAttemptAt`; `inDoubt` as the attempt left it.
   * `sentBefore`, when the attempt may have sent the order, raises the order's `sentBefore`
   * (never lowers it); the attempt's `markSending` is over either way. With `owner`, only while
   * `owner` holds the lease: a holder that overran its lease changes nothing.
   */
  markRetry(id: string, retry: { error: string; nextAttemptAt: number; inDoubt: boolean; sentBefore?: number; owner?: string }, now: number): Promise<void>;
  /** The ERP refused it: a dead letter with the reason. */
  markRejected(id: string, rejection: { reason: string; message: string }, now: number): Promise<void>;
  /**
   * Moves an order from one of `from` to `to` (cancel, replay, release from review); `null` when
   * it is not in one of `from`. A replayed order starts its attempts over.
   */
  transition(id: string, from: LocalOrderStatus[], to: LocalOrderStatus, now: number): Promise<StoredOrder | null>;
  /**
   * An order the ERP had taken (`SUBMITTED`) and no longer holds (reconciliation found it gone):
   * back to the queue as after an attempt that ended without a verdict: in doubt, `sentBefore`
   * raised to `now`, attempts from 0, the ERP's number and submission time forgotten, `lastError`
   * saying why. The dispatcher then looks it up by its reference before sending it again, and
   * sends only once no earlier attempt can still commit, so it reaches the ERP once even if the
   * ERP's "not found" was only slow. `null` (nothing changed) when the order is not `SUBMITTED`.
   */
  requeueInDoubt(id: string, now: number, reason: string): Promise<StoredOrder | null>;
  /**
   * New prices for an order waiting for approval whose prices aged while it waited: its lines and
   * total, and its part of the customer's exposure with them, in one step (the exposure version
   * moves). `null` (nothing changed) when the order is not `PENDING_APPROVAL`.
   */
  repriceWaiting(id: string, change: { lines: ErpOrderLine[]; total: DecimalString }, now: number): Promise<StoredOrder | null>;
  queueStats(now: number): Promise<QueueStats>;
  /**
   * Releases every lease: for a process that owns the store alone and restarts after a crash (its
   * leases belonged to its dead self). Orders it had begun sending come back in doubt, with
   * `sentBefore` raised to `now` (or the lease's end, if sooner).
   */
  releaseLeases(now: number): Promise<number>;
  /**
   * What a customer's orders on account add to the ERP's credit figures, which may not show them
   * yet: every queued order and every order waiting for approval (kept as a running total: O(1)
   * however many are queued) plus those
   * submitted after `submittedSince` (the ERP figures' `asOf`, ISO 8601; a handful at most).
   * `version` changes whenever the customer's orders do: pass it to {@link insert}.
   */
  pendingExposure(customerId: string, submittedSince: string): Promise<{ total: DecimalString; version: string }>;
  /** Forgets idempotency keys past their time. */
  purgeExpiredKeys(now: number): Promise<number>;
  close(): Promise<void>;
}
