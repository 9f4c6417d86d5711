/**
 * What the outbox store and the application store share: records sent to the ERP by whichever
 * instance leases them, each write guarded by the record's `version`. The rules of leases,
 * sending marks, retries and doubt are written here once, as pure steps from one record to the
 * next; each store adds its own statuses, fields and reads (`outbox-records.ts`,
 * `application-records.ts`). Stored records keep their shape: this only reads and steps them.
 *
 * @module
 */

/** Who holds a record now, until when, and (once `markSending`) until when it may send. */
export interface Lease {
  owner: string;
  until: number;
  sendingUntil: number | null;
}

/** The fields of a record that a lease, a send and a retry step. */
export interface LeasedRecord<S extends string = string> {
  id: string;
  status: S;
  /** Raised by every write: a write based on an older version is refused. */
  version: number;
  lease: Lease | null;
  attempts: number;
  inDoubt: boolean;
  sentBefore: number | null;
  nextAttemptAt: number;
  lastError: string | null;
  updatedAt: string;
}

/** The part of an adapter's records the leasing rules need. */
export interface VersionedRecords<R extends LeasedRecord> {
  get(id: string): Promise<R | null>;
  /** Writes `next` in place of the record if its stored version is still `expectedVersion`. */
  replace(next: R, expectedVersion: number, previousStatus: R['status']): Promise<boolean>;
  /** Ids of records due for a dispatcher at or before `now`, soonest first. */
  due(now: number, limit: number): Promise<string[]>;
  /** Ids of records that hold a lease. */
  leased(): Promise<string[]>;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** The record as the port shows it: without its version and lease, and not shared with the store. */
export function withoutStoreFields<R extends LeasedRecord>(record: R): Omit<R, 'version' | 'lease'> {
  const { version: _version, lease: _lease, ...shown } = record;
  return structuredClone(shown);
}

/** When a record is next up for a dispatcher; `null` when it is not in the `sending` status. */
export function dueWhile(record: LeasedRecord, sending: string): number | null {
  if (record.status !== sending) return null;
  return Math.max(record.nextAttemptAt, record.lease?.until ?? 0);
}

/** The record after its holder's lease ran out or was released at `now`: in doubt if it had begun sending. */
function withoutLease<R extends LeasedRecord>(record: R, now: number): R {
  const { lease } = record;
  if (!lease) return record;
  if (lease.sendingUntil === null) return { ...record, lease: null };
  // A holder never sends past its lease: the sooner of its end and now bounds its last send.
  const bound = Math.min(lease.sendingUntil, now);
  return { ...record, lease: null, inDoubt: true, sentBefore: Math.max(record.sentBefore ?? 0, bound) };
}

/** Retries of a write that lost a race: records change a few times in their life, never fast. */
const MAX_RACES = 20;

/** The leasing rules over an adapter's records, for records that are sent while in status `sending`. */
export class LeasedRecords<R extends LeasedRecord> {
  readonly #records: VersionedRecords<R>;
  readonly #sending: R['status'];
  readonly #label: string;

  /** `label` names a record in errors (`outbox entry`, `application`). */
  constructor(records: VersionedRecords<R>, options: { sending: R['status']; label: string }) {
    this.#records = records;
    this.#sending = options.sending;
    this.#label = options.label;
  }

  /** Leases up to `limit` due records to `owner` for `leaseMs`, counting an attempt on each. */
  async lease(owner: string, options: { now: number; limit: number; leaseMs: number }): Promise<R[]> {
    const { now, limit, leaseMs } = options;
    const leased: R[] = [];
    // A few more than asked: some may be taken by another instance between the read and the write.
    for (const id of await this.#records.due(now, limit * 2)) {
      if (leased.length >= limit) break;
      const record = await this.update(id, (r) => {
        const due = dueWhile(r, this.#sending);
        if (due === null || due > now) return null;
        const free = withoutLease(r, now);
        return { ...free, attempts: free.attempts + 1, lease: { owner, until: now + leaseMs, sendingUntil: null }, updatedAt: iso(now) };
      });
      if (record) leased.push(record);
    }
    return leased;
  }

  /** Marks that `owner` begins sending, until `sendingUntil` at the latest; false when it no longer holds the record. */
  async markSending(id: string, owner: string, sendingUntil: number): Promise<boolean> {
    const record = await this.update(id, (r) =>
      r.status === this.#sending && r.lease?.owner === owner ? { ...r, lease: { ...r.lease, sendingUntil: Math.min(sendingUntil, r.lease.until) } } : null,
    );
    return record !== null;
  }

  /** Releases the record for another attempt at `nextAttemptAt`. */
  async markRetry(
    id: string,
    retry: { error: string; nextAttemptAt: number; inDoubt: boolean; sentBefore?: number; owner?: string },
    now: number,
  ): Promise<void> {
    await this.update(id, (r) => {
      if (r.status !== this.#sending) return null;
      if (retry.owner !== undefined && r.lease?.owner !== retry.owner) return null;
      const sentBefore = retry.sentBefore === undefined ? r.sentBefore : Math.max(r.sentBefore ?? 0, retry.sentBefore);
      return { ...r, lease: null, inDoubt: retry.inDoubt, sentBefore, nextAttemptAt: retry.nextAttemptAt, lastError: retry.error, updatedAt: iso(now) };
    });
  }

  /** Ends every lease (at shutdown or start-up); resolves with how many there were. */
  async releaseLeases(now: number): Promise<number> {
    let released = 0;
    for (const id of await this.#records.leased()) {
      if (await this.update(id, (r) => (r.lease ? { ...withoutLease(r, now), updatedAt: iso(now) } : null))) released++;
    }
    return released;
  }

  /** Reads, steps and writes one record, again if another writer got there first; `null`: no change. */
  async update(id: string, step: (record: R) => R | null): Promise<R | null> {
    for (let race = 0; race < MAX_RACES; race++) {
      const current = await this.#records.get(id);
      if (!current) return null;
      const next = step(current);
      if (!next) return null;
      const written = { ...next, version: current.version + 1 };
      if (await this.#records.replace(written, current.version, current.status)) return written;
    }
    throw new Error(`${this.#label} ${id}: ${MAX_RACES} writes in a row lost to other writers`);
  }
}
