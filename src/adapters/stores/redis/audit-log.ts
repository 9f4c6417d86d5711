/**
 * The audit log in Redis, shared by every instance: an action taken through one shows on all.
 *
 * Data model, under the base `erpfront:{audit}:` (one hash tag: an entry is written to both lists
 * in one script, so one Cluster slot; operators' actions are a few a minute):
 * - `seq` STRING: the last id given (INCR), so ids order entries across instances.
 * - `recent` LIST of entries as JSON, newest first, trimmed to the newest `maxEntries` (100,000).
 * - `t:<target>` LIST: the same entries per target, newest first, trimmed to AUDIT_MAX_PER_TARGET.
 *
 * When Redis is unreachable every call fails with `AUDIT_LOG_UNAVAILABLE`.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import { AUDIT_MAX_PER_TARGET, type AuditEntry, type AuditLog } from '../../../ports/audit-log.ts';
import { StoreUnavailableError } from '../../../ports/store-error.ts';
import { luaScript } from './connection.ts';

export interface RedisAuditLogOptions {
  client: Redis;
  /** The log's key base (`keys.audit`). */
  base: string;
  /** Most entries kept in the recent list (default 100,000). */
  maxEntries?: number;
}

/** ARGV: the record as JSON without id, target ('' for none), max recent, max per target. Returns the id. */
const appendScript = luaScript(`
local B = KEYS[1]
local id = redis.call('INCR', B .. 'seq')
local entry = cjson.decode(ARGV[1])
entry['id'] = tostring(id)
local text = cjson.encode(entry)
redis.call('LPUSH', B .. 'recent', text)
redis.call('LTRIM', B .. 'recent', 0, tonumber(ARGV[3]) - 1)
if ARGV[2] ~= '' then
  redis.call('LPUSH', B .. 't:' .. ARGV[2], text)
  redis.call('LTRIM', B .. 't:' .. ARGV[2], 0, tonumber(ARGV[4]) - 1)
end
return tostring(id)`);

/** An entry read back: cjson turns a null target into a missing field. */
function toEntry(text: string): AuditEntry {
  const raw = JSON.parse(text) as Partial<AuditEntry>;
  return { id: raw.id!, at: raw.at!, actor: raw.actor!, action: raw.action!, target: raw.target ?? null, result: raw.result!, detail: raw.detail ?? '' };
}

export function createRedisAuditLog(options: RedisAuditLogOptions): AuditLog {
  const { client, base } = options;
  const maxEntries = options.maxEntries ?? 100_000;

  async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // A script or type error is a bug, not an outage: let it show as itself.
      if (error instanceof Error && /^(ERR|WRONGTYPE)/.test(error.message)) throw error;
      throw new StoreUnavailableError('AUDIT_LOG_UNAVAILABLE', `The audit log (Redis) is unreachable (${operation}). Retry shortly.`, { cause: error });
    }
  }

  const list = async (key: string, limit: number) => (limit <= 0 ? [] : (await client.lrange(key, 0, limit - 1)).map(toEntry));

  return {
    append: (record) =>
      guarded('append an entry', async () => {
        const id = (await appendScript.run(client, [base], [JSON.stringify(record), record.target ?? '', maxEntries, AUDIT_MAX_PER_TARGET])) as string;
        return { ...record, id: String(id) };
      }),
    listRecent: (limit) => guarded('list entries', () => list(`${base}recent`, limit)),
    listByTarget: (target, limit) => guarded('list entries', () => list(`${base}t:${target}`, limit)),
    async close() {
      // The connection belongs to whoever made it (several stores share one).
    },
  };
}
