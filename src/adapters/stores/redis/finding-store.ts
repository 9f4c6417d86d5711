/**
 * Reconciliation findings in Redis, shared by every instance: the one running reconciliation
 * writes them, any instance lists them, and the duplicate check of any instance adds its own.
 *
 * Data model, under the base `erpfront:{reconciliation}:` (one hash tag: one Cluster slot):
 * - `open` HASH `<kind>|<orderId>` → finding id: the open finding of each kind and order.
 * - `f:<id>` HASH: the finding's fields.
 * - `resolved` ZSET id by when it was resolved (epoch ms): the record, purged by age.
 * - `run` STRING: the last run's record, as JSON.
 * Opening and resolving are one script each, so two writers never open two findings for one
 * kind and order, and a finding is never both open and resolved.
 *
 * When Redis is unreachable every call fails with `FINDING_STORE_UNAVAILABLE`.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import { findingId, noFindings, type Finding, type FindingKind, type FindingStore, type ReconciliationRunRecord } from '../../../ports/finding-store.ts';
import { StoreUnavailableError } from '../../../ports/store-error.ts';
import { luaScript } from './connection.ts';

export interface RedisFindingStoreOptions {
  client: Redis;
  /** The store's key base (`keys.reconciliation`). */
  base: string;
}

/** ARGV: open field, new id, now, kind, orderId, customerId, erpOrderNumber, detail, differences. Returns {opened 0/1, id, firstSeen}. */
const reportScript = luaScript(`
local B = KEYS[1]
local id = redis.call('HGET', B .. 'open', ARGV[1])
local opened = 0
if not id then
  id = ARGV[2]
  opened = 1
  redis.call('HSET', B .. 'open', ARGV[1], id)
  redis.call('HSET', B .. 'f:' .. id, 'id', id, 'kind', ARGV[4], 'orderId', ARGV[5], 'firstSeen', ARGV[3], 'resolvedAt', '')
end
redis.call('HSET', B .. 'f:' .. id, 'customerId', ARGV[6], 'erpOrderNumber', ARGV[7], 'detail', ARGV[8], 'differences', ARGV[9], 'lastSeen', ARGV[3])
return {opened, id, redis.call('HGET', B .. 'f:' .. id, 'firstSeen')}`);

/** ARGV: open field, now. Returns the resolved finding's id, or false when none was open. */
const resolveScript = luaScript(`
local B = KEYS[1]
local id = redis.call('HGET', B .. 'open', ARGV[1])
if not id then return false end
redis.call('HDEL', B .. 'open', ARGV[1])
redis.call('HSET', B .. 'f:' .. id, 'resolvedAt', ARGV[2])
redis.call('ZADD', B .. 'resolved', ARGV[2], id)
return id`);

/** ARGV: before, batch. Deletes up to a batch of findings resolved before; returns how many. */
const purgeScript = luaScript(`
local B = KEYS[1]
local ids = redis.call('ZRANGEBYSCORE', B .. 'resolved', '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  redis.call('DEL', B .. 'f:' .. id)
  redis.call('ZREM', B .. 'resolved', id)
end
return #ids`);

const PURGE_BATCH = 1000;
const iso = (ms: string | number) => new Date(Number(ms)).toISOString();
const openField = (kind: string, orderId: string) => `${kind}|${orderId}`;

function toFinding(hash: Record<string, string>): Finding | null {
  if (!hash.id) return null;
  return {
    id: hash.id,
    kind: hash.kind as FindingKind,
    orderId: hash.orderId!,
    customerId: hash.customerId!,
    erpOrderNumber: hash.erpOrderNumber ? hash.erpOrderNumber : null,
    detail: hash.detail!,
    differences: JSON.parse(hash.differences ?? '[]') as Finding['differences'],
    firstSeenAt: iso(hash.firstSeen!),
    lastSeenAt: iso(hash.lastSeen!),
    resolvedAt: hash.resolvedAt ? iso(hash.resolvedAt) : null,
  };
}

export function createRedisFindingStore(options: RedisFindingStoreOptions): FindingStore {
  const { client, base } = options;

  async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // A script or type error is a bug, not an outage: let it show as itself.
      if (error instanceof Error && /^(ERR|WRONGTYPE)/.test(error.message)) throw error;
      throw new StoreUnavailableError('FINDING_STORE_UNAVAILABLE', `The reconciliation findings (Redis) are unreachable (${operation}). Retry shortly.`, {
        cause: error,
      });
    }
  }

  async function getMany(ids: readonly string[]): Promise<Finding[]> {
    if (ids.length === 0) return [];
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.hgetall(`${base}f:${id}`);
    return ((await pipeline.exec()) ?? []).flatMap(([error, hash]) => {
      if (error) throw error;
      const finding = toFinding(hash as Record<string, string>);
      return finding ? [finding] : [];
    });
  }

  const openFindings = async () => {
    const found = await getMany(await client.hvals(`${base}open`));
    return found.sort((a, b) => a.firstSeenAt.localeCompare(b.firstSeenAt) || a.id.localeCompare(b.id));
  };

  return {
    report: (report, now) =>
      guarded('report a finding', async () => {
        const [opened, id, firstSeen] = (await reportScript.run(
          client,
          [base],
          [
            openField(report.kind, report.orderId),
            findingId(report.kind, report.orderId, now),
            now,
            report.kind,
            report.orderId,
            report.customerId,
            report.erpOrderNumber ?? '',
            report.detail,
            JSON.stringify(report.differences),
          ],
        )) as [number, string, string];
        const finding: Finding = { ...structuredClone(report), id, firstSeenAt: iso(firstSeen), lastSeenAt: iso(now), resolvedAt: null };
        return { finding, opened: opened === 1 };
      }),

    resolve: (kind, orderId, now) =>
      guarded('resolve a finding', async () => {
        const id = (await resolveScript.run(client, [base], [openField(kind, orderId), now])) as string | null;
        return id ? ((await getMany([id]))[0] ?? null) : null;
      }),

    listOpen: () => guarded('list findings', openFindings),

    list: ({ open, limit }) =>
      guarded('list findings', async () => {
        const opened = open === false ? [] : (await openFindings()).slice(0, limit);
        const room = limit - opened.length;
        const closed = open === true || room <= 0 ? [] : await getMany(await client.zrevrange(`${base}resolved`, 0, room - 1));
        return [...opened, ...closed];
      }),

    openCounts: () =>
      guarded('count findings', async () => {
        const counts = noFindings();
        for (const field of await client.hkeys(`${base}open`)) {
          const kind = field.slice(0, field.indexOf('|')) as FindingKind;
          if (kind in counts) counts[kind]++;
        }
        return counts;
      }),

    purgeResolved: (before) =>
      guarded('purge findings', async () => {
        let purged = 0;
        for (;;) {
          const batch = Number(await purgeScript.run(client, [base], [before, PURGE_BATCH]));
          purged += batch;
          if (batch < PURGE_BATCH) return purged;
        }
      }),

    recordRun: (run) => guarded('record the run', async () => void (await client.set(`${base}run`, JSON.stringify(run)))),

    lastRun: () =>
      guarded('read the last run', async () => {
        const text = await client.get(`${base}run`);
        return text ? (JSON.parse(text) as ReconciliationRunRecord) : null;
      }),

    async close() {
      // The connection belongs to whoever made it (several stores share one).
    },
  };
}
