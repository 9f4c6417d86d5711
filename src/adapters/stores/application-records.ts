/**
 * The application store once, over any storage that can keep versioned records: every rule of
 * the port (reviews, leases, sending marks, doubt) is a pure step from one record to the next,
 * written here; an adapter (memory, SQLite, Redis) only stores records, indexes them, and writes
 * a record only if nobody wrote it since it was read (its `version`). Two instances leasing the
 * same application race on that write, and one of them loses. The rules it shares with
 * `outbox-records.ts` (leases, sending marks, retries) are in `leased-records.ts`.
 *
 * @module
 */
import type {
  ApplicationInput,
  ApplicationPage,
  ApplicationReview,
  ApplicationStatus,
  ApplicationStore,
  StoredApplication,
} from '../../ports/application-store.ts';
import { dueWhile, iso, type Lease, LeasedRecords, type VersionedRecords, withoutStoreFields } from './leased-records.ts';

/** A stored application with what only the store sees: its version and its lease. */
export interface ApplicationRecord extends StoredApplication {
  /** Raised by every write: a write based on an older version is refused. */
  version: number;
  /** Who holds it now, until when, and (once `markSending`) until when it may send. */
  lease: Lease | null;
}

/** What an adapter stores: records by id, with the indexes the port's reads need. */
export interface ApplicationRecords extends VersionedRecords<ApplicationRecord> {
  /** Writes a new record; `build` gets the next sequence number. */
  insert(build: (seq: number) => ApplicationRecord): Promise<ApplicationRecord>;
  /** Up to `limit` records (of `status`, or any) with a sequence above `afterSeq`, ascending. */
  list(options: { status?: ApplicationStatus; afterSeq: number; limit: number }): Promise<ApplicationRecord[]>;
  /** Up to `limit` records of an applicant, newest first. */
  listByApplicant(applicant: string, limit: number): Promise<ApplicationRecord[]>;
  /** Ids of records whose {@link dueAt} is at or before `now`, soonest first. */
  due(now: number, limit: number): Promise<string[]>;
  close(): Promise<void>;
}

/** When a record is next up for a dispatcher; `null` when it is not in the outbox. */
export function dueAt(record: ApplicationRecord): number | null {
  return dueWhile(record, 'APPROVED');
}

/** The record as the port shows it. */
const view = (record: ApplicationRecord): StoredApplication => withoutStoreFields(record);

/** The port over an adapter's records. */
export class RecordApplicationStore implements ApplicationStore {
  readonly #records: ApplicationRecords;
  readonly #leased: LeasedRecords<ApplicationRecord>;
  readonly #newId: () => string;

  constructor(records: ApplicationRecords, options: { newId?: () => string } = {}) {
    this.#records = records;
    this.#leased = new LeasedRecords(records, { sending: 'APPROVED', label: 'application' });
    this.#newId = options.newId ?? (() => `app-${crypto.randomUUID()}`);
  }

  async insert(input: ApplicationInput, options: { applicant: string; now: number }): Promise<StoredApplication> {
    const at = iso(options.now);
    const id = this.#newId();
    const record = await this.#records.insert((seq) => ({
      ...structuredClone(input),
      id,
      seq,
      status: 'SUBMITTED',
      applicant: options.applicant,
      submittedAt: at,
      updatedAt: at,
      reviewedBy: null,
      reviewedAt: null,
      rejectionReason: null,
      customerId: null,
      createdInErpAt: null,
      erpRefusal: null,
      attempts: 0,
      inDoubt: false,
      sentBefore: null,
      nextAttemptAt: options.now,
      lastError: null,
      version: 1,
      lease: null,
    }));
    return view(record);
  }

  async get(id: string): Promise<StoredApplication | null> {
    const record = await this.#records.get(id);
    return record ? view(record) : null;
  }

  async list(options: { status?: ApplicationStatus; afterSeq?: number; limit: number }): Promise<ApplicationPage> {
    const records = await this.#records.list({ status: options.status, afterSeq: options.afterSeq ?? 0, limit: options.limit + 1 });
    return { applications: records.slice(0, options.limit).map(view), hasMore: records.length > options.limit };
  }

  async listByApplicant(applicant: string, options: { limit: number }): Promise<StoredApplication[]> {
    return (await this.#records.listByApplicant(applicant, options.limit)).map(view);
  }

  async review(id: string, review: ApplicationReview, now: number): Promise<StoredApplication | null> {
    const updated = await this.#leased.update(id, (r) => {
      const base = { ...r, reviewedBy: review.by, reviewedAt: iso(now), updatedAt: iso(now) };
      if (review.decision === 'REJECT') return r.status === 'SUBMITTED' ? { ...base, status: 'REJECTED', rejectionReason: review.reason } : null;
      if (r.status !== 'SUBMITTED' && r.status !== 'ERP_REFUSED') return null;
      // Approved again after the ERP refused it: a fresh start, the refusal kept in lastError.
      return { ...base, status: 'APPROVED', nextAttemptAt: now, attempts: 0, erpRefusal: null, lease: null };
    });
    return updated ? view(updated) : null;
  }

  async lease(owner: string, options: { now: number; limit: number; leaseMs: number }): Promise<StoredApplication[]> {
    return (await this.#leased.lease(owner, options)).map(view);
  }

  markSending(id: string, owner: string, sendingUntil: number): Promise<boolean> {
    return this.#leased.markSending(id, owner, sendingUntil);
  }

  async markCreated(id: string, customerId: string, now: number): Promise<void> {
    await this.#leased.update(id, (r) =>
      r.status === 'APPROVED'
        ? { ...r, status: 'CREATED', customerId, createdInErpAt: iso(now), updatedAt: iso(now), lease: null, inDoubt: false, lastError: null }
        : null,
    );
  }

  markRetry(id: string, retry: { error: string; nextAttemptAt: number; inDoubt: boolean; sentBefore?: number; owner?: string }, now: number): Promise<void> {
    return this.#leased.markRetry(id, retry, now);
  }

  async markErpRefused(id: string, refusal: { reason: string; message: string }, now: number): Promise<void> {
    await this.#leased.update(id, (r) =>
      // The ERP's refusal of the create settles any doubt: nothing was created (a doubt is looked
      // up, and found nothing, before a create is sent).
      r.status === 'APPROVED'
        ? { ...r, status: 'ERP_REFUSED', erpRefusal: refusal, lastError: refusal.message, lease: null, inDoubt: false, updatedAt: iso(now) }
        : null,
    );
  }

  releaseLeases(now: number): Promise<number> {
    return this.#leased.releaseLeases(now);
  }

  close(): Promise<void> {
    return this.#records.close();
  }
}
