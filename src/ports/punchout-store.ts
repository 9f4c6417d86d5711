/**
 * The PunchOut store port: open PunchOut sessions (found by the hash of a one-time start token or
 * of a session access token, never by the token itself), the cXML documents already answered (so
 * a re-sent document gets the same answer), and the orders whose buyers expect order-status
 * documents. The embedded adapter keeps them in memory: sessions live minutes to hours and need
 * not survive a restart; Redis implements the same port for several instances.
 *
 * @module
 */
import type { PunchOutSession } from '../domain/punchout/session.ts';

/** A cXML document already answered: its outcome, replayed when the same document comes again. */
export interface AnsweredDocument {
  /** SHA-256 of the document's payload (what "the same document" means). */
  payloadHash: string;
  code: number;
  text: string;
  orderId: string | null;
}

/** An order placed through cXML: where its ConfirmationRequest / ShipNoticeRequest go. */
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
  /** Delivery attempts of the pending document so far, and when to try again (epoch ms). */
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

export interface PunchOutStore {
  /** Saves a new session, reachable by `startTokenHash` once until `session.startExpiresAt`. */
  createSession(session: PunchOutSession, startTokenHash: string): Promise<void>;
  /**
   * Redeems a start token: returns the session and forgets the token (atomically, so two
   * redemptions cannot both succeed), binding `accessTokenHash` to the session. `null` when the
   * token is unknown, used or expired.
   */
  redeemStartToken(startTokenHash: string, accessTokenHash: string, now: number): Promise<PunchOutSession | null>;
  /** The open session an access token belongs to; `null` when unknown, closed or expired. */
  sessionByAccessToken(accessTokenHash: string, now: number): Promise<PunchOutSession | null>;
  getSession(id: string, now: number): Promise<PunchOutSession | null>;
  /** Replaces a session's record (cart lines, state). */
  saveSession(session: PunchOutSession): Promise<void>;
  /** The answer already given to document `key` (buyer + payloadID), if any and not expired. */
  answered(key: string, now: number): Promise<AnsweredDocument | null>;
  rememberAnswer(key: string, answer: AnsweredDocument, options: { now: number; ttlMs: number }): Promise<void>;
  linkOrder(link: PunchOutOrderLink): Promise<void>;
  /** The order a buyer placed under its own `orderID` (for delete requests). */
  linkByBuyerOrder(buyerId: string, buyerOrderId: string): Promise<PunchOutOrderLink | null>;
  /** Links whose next delivery is due and that still have something to send. */
  dueOrderLinks(now: number, limit: number): Promise<PunchOutOrderLink[]>;
  saveOrderLink(link: PunchOutOrderLink): Promise<void>;
  close(): Promise<void>;
}
