/**
 * The company application store port: every company registration erpfront took, its review by
 * operations, and its way into the ERP as a new customer, exactly once.
 *
 * An application is written before the applicant is answered. Approval puts it in the outbox
 * (`APPROVED`, due now); a dispatcher leases it, creates the customer in the ERP under the
 * application's id as external reference, and records the ERP's customer id (`CREATED`). The
 * lease rules are the order queue's (`order-store.ts`): a lease counts an attempt; a holder records
 * that it is about to send (`markSending`) and never sends past its lease, so an application whose
 * holder died mid-send comes back in doubt with `sentBefore` at the end of that lease, and one it
 * never began to send comes back as it was. The embedded adapter is SQLite, scale-out Redis; both
 * (and the memory adapter of the tests) run one contract suite.
 *
 * @module
 */
import type { NewCustomerAddress } from './erp-connector.ts';

/**
 * Where an application stands. `SUBMITTED` waits for operations; `APPROVED` waits for the ERP (the
 * outbox: retried while the ERP is down); `CREATED` is a customer in the ERP (`customerId`);
 * `REJECTED` was refused by operations (`rejectionReason`); `ERP_REFUSED` was refused by the ERP
 * (`erpRefusal`: an unknown price list, say), for operations to fix and approve again.
 */
export type ApplicationStatus = 'SUBMITTED' | 'APPROVED' | 'CREATED' | 'REJECTED' | 'ERP_REFUSED';

export const APPLICATION_STATUSES: readonly ApplicationStatus[] = ['SUBMITTED', 'APPROVED', 'CREATED', 'REJECTED', 'ERP_REFUSED'];

/** What the applicant sent, as validated. */
export interface ApplicationInput {
  companyName: string;
  taxId: string;
  /** The first is the default (invoicing and shipping) address. */
  addresses: NewCustomerAddress[];
  /** The first contact; `subject` is the identity provider's subject who becomes the company's admin. */
  contact: { name: string; email: string; subject: string };
}

export interface StoredApplication extends ApplicationInput {
  /** erpfront's application id; also the ERP's external reference of the customer. */
  id: string;
  /** Insertion order (paging). */
  seq: number;
  status: ApplicationStatus;
  /** The subject of the token that registered it. */
  applicant: string;
  /** UTC ISO 8601. */
  submittedAt: string;
  updatedAt: string;
  /** Who approved or rejected it (an operator's subject), and when. */
  reviewedBy: string | null;
  reviewedAt: string | null;
  rejectionReason: string | null;
  /** The ERP's customer id, once `CREATED`. */
  customerId: string | null;
  createdInErpAt: string | null;
  /** Why the ERP refused to create it (`ERP_REFUSED`). */
  erpRefusal: { reason: string; message: string } | null;
  /** Attempts to create it in the ERP so far. */
  attempts: number;
  /** The ERP may have the customer already: look it up by the external reference before creating it. */
  inDoubt: boolean;
  /** Epoch ms before which every earlier attempt was sent, if one may have been (see `StoredOrder.sentBefore`). */
  sentBefore: number | null;
  /** Not before this instant (epoch ms) is it tried again. */
  nextAttemptAt: number;
  lastError: string | null;
}

export interface ApplicationPage {
  applications: StoredApplication[];
  /** Whether more follow the last one. */
  hasMore: boolean;
}

/** A review decision by operations. */
export type ApplicationReview = { decision: 'APPROVE'; by: string } | { decision: 'REJECT'; by: string; reason: string };

export interface ApplicationStore {
  /** Writes a new application (`SUBMITTED`) under a new id. */
  insert(input: ApplicationInput, options: { applicant: string; now: number }): Promise<StoredApplication>;
  get(id: string): Promise<StoredApplication | null>;
  /** Applications (of one status, or all), oldest first, after the one of `afterSeq`. */
  list(options: { status?: ApplicationStatus; afterSeq?: number; limit: number }): Promise<ApplicationPage>;
  /** The applications a subject registered, newest first. */
  listByApplicant(applicant: string, options: { limit: number }): Promise<StoredApplication[]>;
  /**
   * Approves (from `SUBMITTED`, or `ERP_REFUSED` to try again: due now, attempts from 0) or rejects
   * (from `SUBMITTED`) an application; `null` when it is in no status the decision applies to.
   */
  review(id: string, review: ApplicationReview, now: number): Promise<StoredApplication | null>;
  /**
   * Leases up to `limit` approved applications that are due, counting an attempt for each. One
   * whose previous holder had begun sending it and left no verdict comes back in doubt, its
   * `sentBefore` raised to the end of that holder's lease.
   */
  lease(owner: string, options: { now: number; limit: number; leaseMs: number }): Promise<StoredApplication[]>;
  /**
   * Records, before the create is sent, that `owner` is about to send it within its lease (until
   * `sendingUntil`). False (nothing written) when `owner` no longer holds the lease: it must not send.
   */
  markSending(id: string, owner: string, sendingUntil: number): Promise<boolean>;
  /** The ERP has it: `CREATED` with the ERP's customer id. */
  markCreated(id: string, customerId: string, now: number): Promise<void>;
  /**
   * Not this time: due again at `nextAttemptAt`, `inDoubt` as the attempt left it; `sentBefore`
   * raises the application's (never lowers it). With `owner`, only while `owner` holds the lease.
   */
  markRetry(id: string, retry: { error: string; nextAttemptAt: number; inDoubt: boolean; sentBefore?: number; owner?: string }, now: number): Promise<void>;
  /** The ERP refused it: `ERP_REFUSED` with the reason. */
  markErpRefused(id: string, refusal: { reason: string; message: string }, now: number): Promise<void>;
  /**
   * Releases every lease, for a process that owns the store alone and restarts after a crash.
   * Applications it had begun sending come back in doubt, `sentBefore` raised to `now` (or the
   * lease's end, if sooner). Resolves to how many were released.
   */
  releaseLeases(now: number): Promise<number>;
  close(): Promise<void>;
}
