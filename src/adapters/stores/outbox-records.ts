/**
 * The outbox store once, over any storage that can keep versioned records: every rule of the port
 * (leases, sending marks, doubt) is a pure step from one record to the next, written here; an
 * adapter (memory, SQLite, Redis) only stores records, indexes them, and writes a record only if
 * nobody wrote it since it was read (its `version`). Two instances leasing the same entry race on
 * that write, and one of them loses. The rules it shares with `application-records.ts` are in
 * `leased-records.ts`.
 *
 * @module
 */
import type { OutboxEntry, OutboxJson, OutboxPage, OutboxStore, OutboxWrite } from '../../ports/outbox-store.ts';
import { dueWhile, iso, type Lease, LeasedRecords, type VersionedRecords, withoutStoreFields } from './leased-records.ts';

/** A stored entry with what only the store sees: its version and its lease. */
export interface OutboxRecord extends OutboxEntry {
  /** Raised by every write: a write based on an older version is refused. */
  version: number;
  /** Who holds it now, until when, and (once `markSending`) until when it may send. */
  lease: Lease | null;
}

/** What an adapter stores: records by id, with the indexes the port's reads need. */
export interface OutboxRecords extends VersionedRecords<OutboxRecord> {
  /** Writes a new record (`build` gets the next sequence number) unless `id` exists: then the stored one, `created` false. */
  insert(id: string, build: (seq: number) => OutboxRecord): Promise<{ record: OutboxRecord; created: boolean }>;
  /** Up to `limit` records of a kind and customer with a sequence below `beforeSeq`, descending. */
  listByCustomer(kind: string, customerId: string, beforeSeq: number, limit: number): Promise<OutboxRecord[]>;
  /** Ids of records whose {@link outboxDueAt} is at or before `now`, soonest first. */
  due(now: number, limit: number): Promise<string[]>;
  close(): Promise<void>;
}

/** When a record is next up for a dispatcher; `null` when it is done with. */
export function outboxDueAt(record: OutboxRecord): number | null {
  return dueWhile(record, 'PENDING');
}

/** The entry as the port shows it. */
const view = (record: OutboxRecord): OutboxEntry => withoutStoreFields(record);

/** The port over an adapter's records. */
export class RecordOutboxStore implements OutboxStore {
  readonly #records: OutboxRecords;
  readonly #leased: LeasedRecords<OutboxRecord>;

  constructor(records: OutboxRecords) {
    this.#records = records;
    this.#leased = new LeasedRecords(records, { sending: 'PENDING', label: 'outbox entry' });
  }

  async enqueue(write: OutboxWrite, options: { id: string; createdBy: string; now: number }): Promise<{ entry: OutboxEntry; created: boolean }> {
    const at = iso(options.now);
    const { record, created } = await this.#records.insert(options.id, (seq) => ({
      kind: write.kind,
      customerId: write.customerId,
      payload: structuredClone(write.payload),
      id: options.id,
      seq,
      status: 'PENDING',
      createdBy: options.createdBy,
      createdAt: at,
      updatedAt: at,
      result: null,
      doneAt: null,
      refusal: null,
      attempts: 0,
      inDoubt: false,
      sentBefore: null,
      nextAttemptAt: options.now,
      lastError: null,
      version: 1,
      lease: null,
    }));
    return { entry: view(record), created };
  }

  async get(id: string): Promise<OutboxEntry | null> {
    const record = await this.#records.get(id);
    return record ? view(record) : null;
  }

  async listByCustomer(kind: string, customerId: string, options: { beforeSeq?: number; limit: number }): Promise<OutboxPage> {
    const records = await this.#records.listByCustomer(kind, customerId, options.beforeSeq ?? Number.MAX_SAFE_INTEGER, options.limit + 1);
    return { entries: records.slice(0, options.limit).map(view), hasMore: records.length > options.limit };
  }

  async lease(owner: string, options: { now: number; limit: number; leaseMs: number }): Promise<OutboxEntry[]> {
    return (await this.#leased.lease(owner, options)).map(view);
  }

  markSending(id: string, owner: string, sendingUntil: number): Promise<boolean> {
    return this.#leased.markSending(id, owner, sendingUntil);
  }

  async markDone(id: string, result: OutboxJson, now: number): Promise<void> {
    await this.#leased.update(id, (r) =>
      r.status === 'PENDING'
        ? { ...r, status: 'DONE', result: structuredClone(result), doneAt: iso(now), updatedAt: iso(now), lease: null, inDoubt: false, lastError: null }
        : null,
    );
  }

  markRetry(id: string, retry: { error: string; nextAttemptAt: number; inDoubt: boolean; sentBefore?: number; owner?: string }, now: number): Promise<void> {
    return this.#leased.markRetry(id, retry, now);
  }

  async markRefused(id: string, refusal: { reason: string; message: string }, now: number): Promise<void> {
    await this.#leased.update(id, (r) =>
      // The ERP's refusal settles any doubt: a doubt is looked up, and found nothing, before a resend.
      r.status === 'PENDING' ? { ...r, status: 'REFUSED', refusal, lastError: refusal.message, lease: null, inDoubt: false, updatedAt: iso(now) } : null,
    );
  }

  releaseLeases(now: number): Promise<number> {
    return this.#leased.releaseLeases(now);
  }

  close(): Promise<void> {
    return this.#records.close();
  }
}
