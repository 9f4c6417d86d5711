/**
 * The PunchOut store port: open PunchOut sessions (found by the hash of a one-time start token or
 * of a session access token, never by the token itself), the cXML documents already answered (so
 * a re-sent document gets the same answer), and the orders whose buyers expect order-status
 * documents (ConfirmationRequest, ShipNoticeRequest).
 *
 * Adapters: in memory (tests, Workers), SQLite (`punchout.sqlite` under DATA_DIR: order links
 * survive a restart), Redis (several instances: a session opened on one is redeemed on another).
 * Every adapter runs `test/contract/punchout-store.contract.ts`.
 *
 * Times are the caller's (`now`, epoch ms); an adapter may also forget expired records on its own
 * clock (Redis TTLs), never before the caller's expiry.
 *
 * @module
 */
import type { PunchOutCartLine, PunchOutSession, PunchOutState } from '../features/punchout/domain/session.ts';

/** A cXML document already answered: its outcome, replayed when the same document comes again. */
export interface AnsweredDocument {
  /** SHA-256 of the document's payload (what "the same document" means). */
  payloadHash: string;
  code: number;
  text: string;
  orderId: string | null;
}

/**
 * An order placed through cXML: where its ConfirmationRequest / ShipNoticeRequest go.
 *
 * A link has "something still to send" until it is finished (`finishOrderLink`): the notifier
 * finishes it once the order reached a final status and every document was delivered, or when
 * nothing can be sent (order cancelled, buyer or order gone). Until then it is due whenever
 * `nextAttemptAt <= now`.
 */
export interface PunchOutOrderLink {
  orderId: string;
  buyerId: string;
  /** The buyer's orderID and the OrderRequest's payloadID: the documents we send refer to both. */
  buyerOrderId: string;
  orderPayloadId: string;
  orderDate: string;
  /** Whether the ConfirmationRequest was delivered, and which shipments were announced. */
  confirmed: boolean;
  noticedShipments: string[];
  /**
   * The invoices and credit memos sent as InvoiceDetailRequest (buyers with e-invoices); absent in
   * links written before e-invoices, read as none.
   */
  noticedInvoices?: string[];
  /**
   * Set once an order with e-invoices is invoiced and its invoice sent: until then (epoch ms) the
   * link is looked at now and then for credit memos issued later (a credited return); absent
   * before, and for buyers without e-invoices.
   */
  creditMemosUntil?: number;
  /** The ERP's order number, kept with `creditMemosUntil`: the credit memos are matched, and refer, to it. */
  erpOrderNumber?: string | null;
  /** Delivery attempts of the pending document so far, and when to try again (epoch ms). */
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

/** What a conditional session change expects to find in the store. */
export interface SessionExpectation {
  /** The state the session must still be in. */
  state: PunchOutState;
  /** When given, the cart lines it must still have (a return prices exactly these). */
  lines?: readonly PunchOutCartLine[];
}

export interface PunchOutStore {
  /** Saves a new session, reachable by `startTokenHash` once until `session.startExpiresAt`. */
  createSession(session: PunchOutSession, startTokenHash: string): Promise<void>;
  /**
   * Redeems a start token: returns the session and forgets the token (atomically, so two
   * redemptions cannot both succeed), binding `accessTokenHash` to the session. `null` when the
   * token is unknown, used or expired, or the session is no longer `new`.
   */
  redeemStartToken(startTokenHash: string, accessTokenHash: string, now: number): Promise<PunchOutSession | null>;
  /** The open session an access token belongs to; `null` when unknown, closed or expired. */
  sessionByAccessToken(accessTokenHash: string, now: number): Promise<PunchOutSession | null>;
  getSession(id: string, now: number): Promise<PunchOutSession | null>;
  /**
   * Writes `next`'s cart lines and state over the stored session, only if the stored session is
   * still as the caller saw it: in `expected.state` and, when `expected.lines` is given, with
   * exactly those lines. The check and the write are one atomic step (a transaction, a script), so
   * of two racing changes the loser writes nothing: a cart change read before the cart went back
   * never makes a returned session active again, and a return never closes a cart it did not price.
   * There is no unconditional write. Returns whether `next` was written; `false` when the session
   * changed meanwhile, is unknown, or has expired by `now`.
   */
  replaceSession(next: PunchOutSession, expected: SessionExpectation, now: number): Promise<boolean>;
  /** The answer already given to document `key` (buyer + payloadID), if any and not expired. */
  answered(key: string, now: number): Promise<AnsweredDocument | null>;
  rememberAnswer(key: string, answer: AnsweredDocument, options: { now: number; ttlMs: number }): Promise<void>;
  /** Records a new link; a link already recorded for the order is kept as it is. */
  linkOrder(link: PunchOutOrderLink): Promise<void>;
  /** The order a buyer placed under its own `orderID` (for delete requests); the latest if several. */
  linkByBuyerOrder(buyerId: string, buyerOrderId: string): Promise<PunchOutOrderLink | null>;
  /**
   * Up to `limit` unfinished links whose next delivery is due (`nextAttemptAt <= now`), most
   * overdue first, claimed for `leaseMs`: in the same atomic step they are held back until
   * `now + leaseMs`, so another instance sharing the store (or the next pass) does not send the
   * same document while this caller is at it. The caller's `saveOrderLink` or `finishOrderLink`
   * then sets what comes next; a caller that dies leaves the link due again after `leaseMs`.
   * The links are returned as they were before the claim.
   */
  dueOrderLinks(now: number, limit: number, leaseMs: number): Promise<PunchOutOrderLink[]>;
  /** Saves a link's delivery state. A link that is unknown or finished is left alone (a late writer never revives one). */
  saveOrderLink(link: PunchOutOrderLink): Promise<void>;
  /**
   * Saves the link as finished: never due again, still found by `linkByBuyerOrder` for `retainMs`
   * (a late type="delete" OrderRequest gets "already with the ERP", not "unknown order"), then
   * forgotten.
   */
  finishOrderLink(link: PunchOutOrderLink, options: { now: number; retainMs: number }): Promise<void>;
  /** Forgets expired sessions, answers and finished links; returns how many records went. */
  purgeExpired(now: number): Promise<number>;
  close(): Promise<void>;
}
