/**
 * The PunchOut store's Lua scripts: every change that touches more than one key is one atomic
 * script. All keys hang off KEYS[1], the store's base, which carries the `{punchout}` hash tag
 * (one Cluster slot). Times are the caller's (`now`, epoch ms); TTLs are computed by the caller
 * and passed in whole milliseconds, so Lua never formats a large number (it would lose digits).
 *
 * Data model, under the base `erpfront:{punchout}:`:
 * - `s:<session id>` HASH: `data` (the session's JSON), `state`, `startExpiresAt`, `expiresAt`;
 *   expires with the session (PEXPIRE), so Redis forgets sessions by itself.
 * - `st:<start token hash>` STRING → session id, until the start token expires; deleted when redeemed.
 * - `at:<access token hash>` STRING → session id, expiring with the session.
 * - `a:<document key>` STRING: the answer's JSON and its `until`, expiring after the answer's TTL.
 * - `l:<order id>` HASH: `data` (the link's JSON), `next` (nextAttemptAt, authoritative), `done`
 *   ('1' once finished; then it expires after the retention).
 * - `due` ZSET order id → nextAttemptAt: the unfinished links, for the notifier.
 * - `bo:<buyer id>:<buyer order id>` (both URI-encoded) STRING → the latest link's order id.
 *
 * @module
 */
import { luaScript } from './connection.ts';

/** ARGV: id, data, state, startExpiresAt, expiresAt, start token hash, session ttl ms, start ttl ms. */
export const createSessionScript = luaScript(`
local s = KEYS[1] .. 's:' .. ARGV[1]
redis.call('HSET', s, 'data', ARGV[2], 'state', ARGV[3], 'startExpiresAt', ARGV[4], 'expiresAt', ARGV[5])
redis.call('PEXPIRE', s, ARGV[7])
redis.call('SET', KEYS[1] .. 'st:' .. ARGV[6], ARGV[1], 'PX', ARGV[8])
return 1
`);

/**
 * ARGV: start token hash, access token hash, now. Returns the session's data, or false. The
 * access token lives exactly as long as the session's key (its PTTL).
 */
export const redeemScript = luaScript(`
local B = KEYS[1]
local st = B .. 'st:' .. ARGV[1]
local id = redis.call('GET', st)
if not id then return false end
-- Forgotten before anything else: a token is good for one try, whatever happens next.
redis.call('DEL', st)
local s = B .. 's:' .. id
local now = tonumber(ARGV[3])
local r = redis.call('HMGET', s, 'data', 'state', 'startExpiresAt', 'expiresAt')
if not r[1] or r[2] ~= 'new' or tonumber(r[3]) <= now or tonumber(r[4]) <= now then return false end
local ttl = redis.call('PTTL', s)
if ttl <= 0 then return false end
redis.call('HSET', s, 'state', 'active')
redis.call('SET', B .. 'at:' .. ARGV[2], id, 'PX', ttl)
return r[1]
`);

/**
 * ARGV: id, expected state, expected lines (JSON, or '' for any), now, next state, next data.
 * Writes the next state and data only if the session exists, has not expired, is in the expected
 * state and (when given) has exactly the expected lines; returns 1 if written, else 0. The data
 * written is the caller's JSON as is: cjson only decodes here (it would round numbers on encoding).
 */
export const replaceSessionScript = luaScript(`
local s = KEYS[1] .. 's:' .. ARGV[1]
local r = redis.call('HMGET', s, 'data', 'state', 'expiresAt')
if not r[1] or r[2] ~= ARGV[2] or tonumber(r[3]) <= tonumber(ARGV[4]) then return 0 end
if ARGV[3] ~= '' then
  local have = cjson.decode(r[1]).lines or {}
  local want = cjson.decode(ARGV[3])
  if #have ~= #want then return 0 end
  for i = 1, #want do
    if have[i].sku ~= want[i].sku or have[i].quantity ~= want[i].quantity then return 0 end
  end
end
redis.call('HSET', s, 'data', ARGV[6], 'state', ARGV[5])
return 1
`);

/** ARGV: order id, data, nextAttemptAt, buyer index suffix. Keeps an existing link. */
export const linkOrderScript = luaScript(`
local B = KEYS[1]
local l = B .. 'l:' .. ARGV[1]
if redis.call('EXISTS', l) == 1 then return 0 end
redis.call('HSET', l, 'data', ARGV[2], 'next', ARGV[3], 'done', '')
redis.call('ZADD', B .. 'due', ARGV[3], ARGV[1])
-- SET drops any TTL: a finished older link under the same orderID no longer takes the index with it.
redis.call('SET', B .. 'bo:' .. ARGV[4], ARGV[1])
return 1
`);

/**
 * ARGV: now, limit, claimed-until. Returns a flat list: data, next, data, next… of the due links
 * (as they were before the claim), each moved to claimed-until.
 */
export const claimDueScript = luaScript(`
local B = KEYS[1]
local ids = redis.call('ZRANGEBYSCORE', B .. 'due', '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  local l = B .. 'l:' .. id
  local r = redis.call('HMGET', l, 'data', 'next', 'done')
  if r[1] and r[3] ~= '1' then
    redis.call('ZADD', B .. 'due', ARGV[3], id)
    redis.call('HSET', l, 'next', ARGV[3])
    out[#out + 1] = r[1]
    out[#out + 1] = r[2]
  else
    redis.call('ZREM', B .. 'due', id)
  end
end
return out
`);

/** ARGV: order id, data, nextAttemptAt. Only an unfinished link is saved. */
export const saveLinkScript = luaScript(`
local B = KEYS[1]
local l = B .. 'l:' .. ARGV[1]
local done = redis.call('HGET', l, 'done')
if not done or done == '1' then return 0 end
redis.call('HSET', l, 'data', ARGV[2], 'next', ARGV[3])
redis.call('ZADD', B .. 'due', ARGV[3], ARGV[1])
return 1
`);

/** ARGV: order id, data, nextAttemptAt, retain ms, buyer index suffix. Only an unfinished link is finished. */
export const finishLinkScript = luaScript(`
local B = KEYS[1]
local l = B .. 'l:' .. ARGV[1]
local done = redis.call('HGET', l, 'done')
if not done or done == '1' then return 0 end
redis.call('HSET', l, 'data', ARGV[2], 'next', ARGV[3], 'done', '1')
redis.call('ZREM', B .. 'due', ARGV[1])
redis.call('PEXPIRE', l, ARGV[4])
local bo = B .. 'bo:' .. ARGV[5]
if redis.call('GET', bo) == ARGV[1] then redis.call('PEXPIRE', bo, ARGV[4]) end
return 1
`);
