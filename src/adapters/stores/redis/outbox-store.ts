/**
 * The ERP-write outbox in Redis, shared by every instance: any instance takes a request, and the
 * dispatchers of all of them lease from one outbox.
 *
 * Data model, under the base `erpfront:{outbox}:` (one hash tag: one Cluster slot):
 * - `r:<id>` HASH `version`, `record` (the record as JSON).
 * - `seq` STRING: the last sequence number given out.
 * - `c:<kind>:<customerId>` ZSET: a customer's ids of a kind by sequence (paging, newest first).
 * - `due` ZSET: ids of pending entries by when they are next due (epoch ms).
 * - `leased` SET: ids that hold a lease.
 * A write is one script: it replaces the record only if its version is still the one read, and
 * moves the id between indexes in the same step.
 *
 * When Redis is unreachable every call fails with `OUTBOX_STORE_UNAVAILABLE`.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { OutboxStore } from '../../../ports/outbox-store.ts';
import { StoreUnavailableError } from '../../../ports/store-error.ts';
import { outboxDueAt, RecordOutboxStore, type OutboxRecord, type OutboxRecords } from '../outbox-records.ts';
import { luaScript } from './connection.ts';

export interface RedisOutboxStoreOptions {
  client: Redis;
  /** The store's key base (`keys.outbox`). */
  base: string;
}

/**
 * ARGV: id, expected version (0: a new record), new version, record JSON, seq, customer index key
 * suffix (or ''), due at (or ''), leased 0/1. Returns 1 when written, 0 when the version moved
 * (or, for a new record, the id exists).
 */
const writeScript = luaScript(`
local B = KEYS[1]
local key = B .. 'r:' .. ARGV[1]
local current = redis.call('HGET', key, 'version')
if ARGV[2] == '0' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
redis.call('HSET', key, 'version', ARGV[3], 'record', ARGV[4])
if ARGV[6] ~= '' then redis.call('ZADD', B .. 'c:' .. ARGV[6], ARGV[5], ARGV[1]) end
if ARGV[7] == '' then redis.call('ZREM', B .. 'due', ARGV[1]) else redis.call('ZADD', B .. 'due', ARGV[7], ARGV[1]) end
if ARGV[8] == '1' then redis.call('SADD', B .. 'leased', ARGV[1]) else redis.call('SREM', B .. 'leased', ARGV[1]) end
return 1`);

export function createRedisOutboxStore(options: RedisOutboxStoreOptions): OutboxStore {
  const { client, base } = options;

  async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // A script or type error is a bug, not an outage: let it show as itself.
      if (error instanceof Error && /^(ERR|WRONGTYPE)/.test(error.message)) throw error;
      throw new StoreUnavailableError('OUTBOX_STORE_UNAVAILABLE', `The ERP-write outbox (Redis) is unreachable (${operation}). Retry shortly.`, {
        cause: error,
      });
    }
  }

  const write = (record: OutboxRecord, expectedVersion: number) =>
    writeScript.run(
      client,
      [base],
      [
        record.id,
        String(expectedVersion),
        String(record.version),
        JSON.stringify(record),
        String(record.seq),
        record.customerId === null ? '' : `${record.kind}:${record.customerId}`,
        String(outboxDueAt(record) ?? ''),
        record.lease ? '1' : '0',
      ],
    );

  async function getMany(ids: readonly string[]): Promise<OutboxRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.hget(`${base}r:${id}`, 'record');
    const answers = (await pipeline.exec()) ?? [];
    return answers.flatMap(([error, text]) => {
      if (error) throw error;
      return typeof text === 'string' ? [JSON.parse(text) as OutboxRecord] : [];
    });
  }

  const storage: OutboxRecords = {
    insert: (id, build) =>
      guarded('insert', async () => {
        const existing = (await getMany([id]))[0];
        if (existing) return { record: existing, created: false };
        const record = build(await client.incr(`${base}seq`));
        if ((await write(record, 0)) === 1) return { record, created: true };
        // Another instance inserted the same id between the read and the write: theirs stands.
        const theirs = (await getMany([id]))[0];
        if (!theirs) throw new Error(`outbox entry ${id} could be neither written nor read`);
        return { record: theirs, created: false };
      }),
    get: (id) => guarded('get', async () => (await getMany([id]))[0] ?? null),
    replace: (next, expectedVersion) => guarded('replace', async () => (await write(next, expectedVersion)) === 1),
    listByCustomer: (kind, customerId, beforeSeq, limit) =>
      guarded('listByCustomer', async () =>
        getMany(await client.zrevrangebyscore(`${base}c:${kind}:${customerId}`, `(${beforeSeq}`, '-inf', 'LIMIT', 0, limit)),
      ),
    due: (now, limit) => guarded('due', () => client.zrangebyscore(`${base}due`, '-inf', now, 'LIMIT', 0, limit)),
    leased: () => guarded('leased', () => client.smembers(`${base}leased`)),
    async close() {
      // The connection belongs to the Redis stores together (`openRedisStores`).
    },
  };
  return new RecordOutboxStore(storage);
}
