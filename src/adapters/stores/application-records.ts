/**
 * The application store once, over any storage that can keep versioned records: every rule of
 * the port (reviews, leases, sending marks, doubt) is a pure step from one record to the next,
 * written here; an adapter (memory, SQLite, Redis) only stores records, indexes them, and writes
 * a record only if nobody wrote it since it was read (its `version`). Two instances leasing the
 * same application race on that write, and one of them loses.
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

/** A stored application with what only the store sees: its version and its lease. */
export interface ApplicationRecord extends StoredApplication {
  /** Raised by every write: a write based on an older version is refused. */
  version: number;
  /** Who holds it now, until when, and (once `markSending`) until when it may send. */
  lease: { owner: string; until: number; sendingUntil: number | null } | null;
}

/** What an adapter stores: records by id, with the indexes the port's reads need. */
export interface ApplicationRecords {
  /** Writes a new record; `build` gets the next sequence number. */
  insert(build: (seq: number) => ApplicationRecord): Promise<ApplicationRecord>;
  get(id: string): Promise<ApplicationRecord | null>;
  /** Writes `next` in place of the record if its stored version is still `expectedVersion`. */
  replace(next: ApplicationRecord, expectedVersion: number, previousStatus: ApplicationStatus): Promise<boolean>;
  /** Up to `limit` records (of `status`, or any) with a sequence above `afterSeq`, ascending. */
  list(options: { status?: ApplicationStatus; afterSeq: number; limit: number }): Promise<ApplicationRecord[]>;
  /** Up to `limit` records of an applicant, newest first. */
  listByApplicant(applicant: string, limit: number): Promise<ApplicationRecord[]>;
  /** Ids of records whose {@link dueAt} is at or before `now`, soonest first. */
  due(now: number, limit: number): Promise<string[]>;
  /** Ids of records that hold a lease. */
  leased(): Promise<string[]>;
  close(): Promise<void>;
}

/** When a record is next up for a dispatcher; `null` when it is not in the outbox. */
export function dueAt(record: ApplicationRecord): number | null {
  if (record.status !== 'APPROVED') return null;
  return Math.max(record.nextAttemptAt, record.lease?.until ?? 0);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The record as the port shows it. */
function view(record: ApplicationRecord): StoredApplication {
  const { version: _version, lease: _lease, ...application } = record;
  return structuredClone(application);
}

/** The record after its holder's lease ran out or was released at `now`: in doubt if it had begun sending. */
function withoutLease(record: ApplicationRecord, now: number): ApplicationRecord {
  const { lease } = record;
  if (!lease) return record;
  if (lease.sendingUntil === null) return { ...record, lease: null };
  // A holder never sends past its lease: the sooner of its end and now bounds its last send.
  const bound = Math.min(lease.sendingUntil, now);
  return { ...record, lease: null, inDoubt: true, sentBefore: Math.max(record.sentBefore ?? 0, bound) };
}

/** Retries of a write that lost a race: records change a few times in their life, never fast. */
const MAX_RACES = 20;

/** The port over an adapter's records. */
export class RecordApplicationStore implements ApplicationStore {
  readonly #records: ApplicationRecords;
  readonly #newId: () => string;

  constructor(records: ApplicationRecords, options: { newId?: () => string } = {}) {
    this.#records = records;
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
    const updated = await this.#update(id, (r) => {
      const base = { ...r, reviewedBy: review.by, reviewedAt: iso(now), updatedAt: iso(now) };
      if (review.decision === 'REJECT') return r.status === 'SUBMITTED' ? { ...base, status: 'REJECTED', rejectionReason: review.reason } : null;
      if (r.status !== 'SUBMITTED' && r.status !== 'ERP_REFUSED') return null;
      // Approved again after the ERP refused it: a fresh start, the refusal kept in lastError.
      return { ...base, status: 'APPROVED', nextAttemptAt: now, attempts: 0, erpRefusal: null, lease: null };
    });
    return updated ? view(updated) : null;
  }

  async lease(owner: string, options: { now: number; limit: number; leaseMs: number }): Promise<StoredApplication[]> {
    const { now, limit, leaseMs } = options;
    const leased: StoredApplication[] = [];
    // A few more than asked: some may be taken by another instance between the read and the write.
    for (const id of await this.#records.due(now, limit * 2)) {
      if (leased.length >= limit) break;
      const record = await this.#update(id, (r) => {
        const due = dueAt(r);
        if (due === null || due > now) return null;
        const free = withoutLease(r, now);
        return { ...free, attempts: free.attempts + 1, lease: { owner, until: now + leaseMs, sendingUntil: null }, updatedAt: iso(now) };
      });
      if (record) leased.push(view(record));
    }
    return leased;
  }

  async markSending(id: string, owner: string, sendingUntil: number): Promise<boolean> {
    const record = await this.#update(id, (r) =>
      r.status === 'APPROVED' && r.lease?.owner === owner ? { ...r, lease: { ...r.lease, sendingUntil: Math.min(sendingUntil, r.lease.until) } } : null,
    );
    return record !== null;
  }

  async markCreated(id: string, customerId: string, now: number): Promise<void> {
    await this.#update(id, (r) =>
      r.status === 'APPROVED'
        ? { ...r, status: 'CREATED', customerId, createdInErpAt: iso(now), updatedAt: iso(now), lease: null, inDoubt: false, lastError: null }
        : null,
    );
  }

  async markRetry(
    id: string,
    retry: { error: string; nextAttemptAt: number; inDoubt: boolean; sentBefore?: number; owner?: string },
    now: number,
  ): Promise<void> {
    await this.#update(id, (r) => {
      if (r.status !== 'APPROVED') return null;
      if (retry.owner !== undefined && r.lease?.owner !== retry.owner) return null;
      const sentBefore = retry.sentBefore === undefined ? r.sentBefore : Math.max(r.sentBefore ?? 0, retry.sentBefore);
      return { ...r, lease: null, inDoubt: retry.inDoubt, sentBefore, nextAttemptAt: retry.nextAttemptAt, lastError: retry.error, updatedAt: iso(now) };
    });
  }

  async markErpRefused(id: string, refusal: { reason: string; message: string }, now: number): Promise<void> {
    await this.#update(id, (r) =>
      // The ERP's refusal of the create settles any doubt: nothing was created (a doubt is looked
      // up, and found nothing, before a create is sent).
      r.status === 'APPROVED'
        ? { ...r, status: 'ERP_REFUSED', erpRefusal: refusal, lastError: refusal.message, lease: null, inDoubt: false, updatedAt: iso(now) }
        : null,
    );
  }

  async releaseLeases(now: number): Promise<number> {
    let released = 0;
    for (const id of await this.#records.leased()) {
      if (await this.#update(id, (r) => (r.lease ? { ...withoutLease(r, now), updatedAt: iso(now) } : null))) released++;
    }
    return released;
  }

  close(): Promise<void> {
    return this.#records.close();
  }

  /** Reads, steps and writes one record, again if another writer got there first; `null`: no change. */
  async #update(id: string, step: (record: ApplicationRecord) => ApplicationRecord | null): Promise<ApplicationRecord | null> {
    for (let race = 0; race < MAX_RACES; race++) {
      const current = await this.#records.get(id);
      if (!current) return null;
      const next = step(current);
      if (!next) return null;
      const written = { ...next, version: current.version + 1 };
      if (await this.#records.replace(written, current.version, current.status)) return written;
    }
    throw new Error(`application ${id}: ${MAX_RACES} writes in a row lost to other writers`);
  }
}
