/**
 * The outbox store once, over any storage that can keep versioned records: every rule of the port
 * (leases, sending marks, doubt) is a pure step from one record to the next, written here; an
 * adapter (memory, SQLite, Redis) only stores records, indexes them, and writes a record only if
 * nobody wrote it since it was read (its `version`). Two instances leasing the same entry race on
 * that write, and one of them loses. The same shape as `application-records.ts`.
 *
 * @module
 */
import type { OutboxEntry, OutboxJson, OutboxPage, OutboxStatus, OutboxStore, OutboxWrite } from '../../ports/outbox-store.ts';

/** A stored entry with what only the store sees: its version and its lease. */
export interface OutboxRecord extends OutboxEntry {
  /** Raised by every write: a write based on an older version is refused. */
  version: number;
  /** Who holds it now, until when, and (once `markSending`) until when it may send. */
  lease: { owner: string; until: number; sendingUntil: number | null } | null;
}

/** What an adapter stores: records by id, with the indexes the port's reads need. */
export interface OutboxRecords {
  /** Writes a new record (`build` gets the next sequence number) unless `id` exists: then the stored one, `created` false. */
  insert(id: string, build: (seq: number) => OutboxRecord): Promise<{ record: OutboxRecord; created: boolean }>;
  get(id: string): Promise<OutboxRecord | null>;
  /** Writes `next` in place of the record if its stored version is still `expectedVersion`. */
  replace(next: OutboxRecord, expectedVersion: number, previousStatus: OutboxStatus): Promise<boolean>;
  /** Up to `limit` records of a kind and customer with a sequence below `beforeSeq`, descending. */
  listByCustomer(kind: string, customerId: string, beforeSeq: number, limit: number): Promise<OutboxRecord[]>;
  /** Ids of records whose {@link outboxDueAt} is at or before `now`, soonest first. */
  due(now: number, limit: number): Promise<string[]>;
  /** Ids of records that hold a lease. */
  leased(): Promise<string[]>;
  close(): Promise<void>;
}

/** When a record is next up for a dispatcher; `null` when it is done with. */
export function outboxDueAt(record: OutboxRecord): number | null {
  if (record.status !== 'PENDING') return null;
  return Math.max(record.nextAttemptAt, record.lease?.until ?? 0);
}

const iso = (ms: number) => new Date(ms).toISOString();

function view(record: OutboxRecord): OutboxEntry {
  const { version: _version, lease: _lease, ...entry } = record;
  return structuredClone(entry);
}

/** The record after its holder's lease ran out or was released at `now`: in doubt if it had begun sending. */
function withoutLease(record: OutboxRecord, now: number): OutboxRecord {
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
export class RecordOutboxStore implements OutboxStore {
  readonly #records: OutboxRecords;

  constructor(records: OutboxRecords) {
    this.#records = records;
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
    const { now, limit, leaseMs } = options;
    const leased: OutboxEntry[] = [];
    // A few more than asked: some may be taken by another instance between the read and the write.
    for (const id of await this.#records.due(now, limit * 2)) {
      if (leased.length >= limit) break;
      const record = await this.#update(id, (r) => {
        const due = outboxDueAt(r);
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
      r.status === 'PENDING' && r.lease?.owner === owner ? { ...r, lease: { ...r.lease, sendingUntil: Math.min(sendingUntil, r.lease.until) } } : null,
    );
    return record !== null;
  }

  async markDone(id: string, result: OutboxJson, now: number): Promise<void> {
    await this.#update(id, (r) =>
      r.status === 'PENDING'
        ? { ...r, status: 'DONE', result: structuredClone(result), doneAt: iso(now), updatedAt: iso(now), lease: null, inDoubt: false, lastError: null }
        : null,
    );
  }

  async markRetry(
    id: string,
    retry: { error: string; nextAttemptAt: number; inDoubt: boolean; sentBefore?: number; owner?: string },
    now: number,
  ): Promise<void> {
    await this.#update(id, (r) => {
      if (r.status !== 'PENDING') return null;
      if (retry.owner !== undefined && r.lease?.owner !== retry.owner) return null;
      const sentBefore = retry.sentBefore === undefined ? r.sentBefore : Math.max(r.sentBefore ?? 0, retry.sentBefore);
      return { ...r, lease: null, inDoubt: retry.inDoubt, sentBefore, nextAttemptAt: retry.nextAttemptAt, lastError: retry.error, updatedAt: iso(now) };
    });
  }

  async markRefused(id: string, refusal: { reason: string; message: string }, now: number): Promise<void> {
    await this.#update(id, (r) =>
      // The ERP's refusal settles any doubt: a doubt is looked up, and found nothing, before a resend.
      r.status === 'PENDING' ? { ...r, status: 'REFUSED', refusal, lastError: refusal.message, lease: null, inDoubt: false, updatedAt: iso(now) } : null,
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
  async #update(id: string, step: (record: OutboxRecord) => OutboxRecord | null): Promise<OutboxRecord | null> {
    for (let race = 0; race < MAX_RACES; race++) {
      const current = await this.#records.get(id);
      if (!current) return null;
      const next = step(current);
      if (!next) return null;
      const written = { ...next, version: current.version + 1 };
      if (await this.#records.replace(written, current.version, current.status)) return written;
    }
    throw new Error(`outbox entry ${id}: ${MAX_RACES} writes in a row lost to other writers`);
  }
}
