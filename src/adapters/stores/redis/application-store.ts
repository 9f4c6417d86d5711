/**
 * Company applications in Redis, shared by every instance: any instance takes a registration or
 * a review, and the dispatchers of all of them lease from one outbox.
 *
 * Data model, under the base `erpfront:{applications}:` (one hash tag: one Cluster slot):
 * - `r:<id>` HASH `version`, `record` (the record as JSON).
 * - `seq` STRING: the last sequence number given out.
 * - `all` ZSET and `s:<status>` ZSET: ids by sequence (paging, oldest first).
 * - `a:<applicant>` ZSET: an applicant's ids by sequence.
 * - `due` ZSET: ids of approved applications by when they are next due (epoch ms).
 * - `leased` SET: ids that hold a lease.
 * A write is one script: it replaces the record only if its version is still the one read, and
 * moves the id between indexes in the same step.
 *
 * When Redis is unreachable every call fails with `APPLICATION_STORE_UNAVAILABLE`.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { ApplicationStore } from '../../../ports/application-store.ts';
import { StoreUnavailableError } from '../../../ports/store-error.ts';
import { dueAt, RecordApplicationStore, type ApplicationRecord, type ApplicationRecords } from '../application-records.ts';
import { luaScript } from './connection.ts';

export interface RedisApplicationStoreOptions {
  client: Redis;
  /** The store's key base (`keys.applications`). */
  base: string;
}

/**
 * ARGV: id, expected version (0: a new record), new version, record JSON, seq, old status (or ''),
 * new status, applicant, due at (or ''), leased 0/1. Returns 1 when written, 0 when the version moved.
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
if ARGV[6] ~= '' then redis.call('ZREM', B .. 's:' .. ARGV[6], ARGV[1]) end
redis.call('ZADD', B .. 's:' .. ARGV[7], ARGV[5], ARGV[1])
redis.call('ZADD', B .. 'all', ARGV[5], ARGV[1])
redis.call('ZADD', B .. 'a:' .. ARGV[8], ARGV[5], ARGV[1])
if ARGV[9] == '' then redis.call('ZREM', B .. 'due', ARGV[1]) else redis.call('ZADD', B .. 'due', ARGV[9], ARGV[1]) end
if ARGV[10] == '1' then redis.call('SADD', B .. 'leased', ARGV[1]) else redis.call('SREM', B .. 'leased', ARGV[1]) end
return 1`);

export function createRedisApplicationStore(options: RedisApplicationStoreOptions): ApplicationStore {
  const { client, base } = options;

  async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // A script or type error is a bug, not an outage: let it show as itself.
      if (error instanceof Error && /^(ERR|WRONGTYPE)/.test(error.message)) throw error;
      throw new StoreUnavailableError('APPLICATION_STORE_UNAVAILABLE', `The company applications (Redis) are unreachable (${operation}). Retry shortly.`, {
        cause: error,
      });
    }
  }

  const write = (record: ApplicationRecord, expectedVersion: number, previousStatus: string) =>
    writeScript.run(
      client,
      [base],
      [
        record.id,
        String(expectedVersion),
        String(record.version),
        JSON.stringify(record),
        String(record.seq),
        previousStatus,
        record.status,
        record.applicant,
        String(dueAt(record) ?? ''),
        record.lease ? '1' : '0',
      ],
    );

  async function getMany(ids: readonly string[]): Promise<ApplicationRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.hget(`${base}r:${id}`, 'record');
    const answers = (await pipeline.exec()) ?? [];
    return answers.flatMap(([error, text]) => {
      if (error) throw error;
      return typeof text === 'string' ? [JSON.parse(text) as ApplicationRecord] : [];
    });
  }

  const storage: ApplicationRecords = {
    insert: (build) =>
      guarded('insert', async () => {
        const record = build(await client.incr(`${base}seq`));
        if ((await write(record, 0, '')) !== 1) throw new Error(`application ${record.id} exists already`);
        return record;
      }),
    get: (id) => guarded('get', async () => (await getMany([id]))[0] ?? null),
    replace: (next, expectedVersion, previousStatus) => guarded('replace', async () => (await write(next, expectedVersion, previousStatus)) === 1),
    list: ({ status, afterSeq, limit }) =>
      guarded('list', async () =>
        getMany(await client.zrangebyscore(`${base}${status === undefined ? 'all' : `s:${status}`}`, `(${afterSeq}`, '+inf', 'LIMIT', 0, limit)),
      ),
    listByApplicant: (applicant, limit) => guarded('listByApplicant', async () => getMany(await client.zrevrange(`${base}a:${applicant}`, 0, limit - 1))),
    due: (now, limit) => guarded('due', () => client.zrangebyscore(`${base}due`, '-inf', now, 'LIMIT', 0, limit)),
    leased: () => guarded('leased', () => client.smembers(`${base}leased`)),
    async close() {
      // The connection belongs to the Redis stores together (`openRedisStores`).
    },
  };
  return new RecordApplicationStore(storage);
}
