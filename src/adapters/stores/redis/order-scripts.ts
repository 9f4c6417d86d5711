/**
 * The order queue's Lua scripts: every change of an order and its indexes is one atomic script.
 * All keys hang off KEYS[1], the queue's base, which carries the queue's hash tag (one Cluster
 * slot). Times are the caller's (`now`, epoch ms), as in the SQLite store.
 *
 * Data model, under the base `erpfront:{q:orders}:`:
 * - `o:<id>` HASH: the order. Immutable data as one JSON field (`data`); state as fields
 *   (status, seq, attempts, inDoubt, nextAttemptAt, lease, stream entry...).
 * - `seq` counter; `cust:<customer>` ZSET all of a customer's orders by seq; `st:<STATUS>` ZSET
 *   orders by status and seq; `cq:<customer>` ZSET the customer's QUEUED orders by seq (its FIFO);
 *   `sub:<customer>` ZSET submitted orders by submission time (credit exposure).
 * - `stream` STREAM with consumer group `dispatchers`: one entry per order that is the head of its
 *   customer's FIFO and due. Leasing is XREADGROUP (the entry becomes pending for that instance);
 *   a verdict is XACK + XDEL. Only heads are ever in the stream: FIFO per customer.
 * - `leases` ZSET order → lease end. A lease that ran out (its holder died) is reclaimed with
 *   XCLAIM by the next leaser, and the order comes back in doubt.
 * - `delayed` ZSET order → nextAttemptAt: heads waiting for their backoff; moved into the stream
 *   when due.
 * - `dead` STREAM: every rejection (a dead letter) as it happened, for audit.
 * - `idem:<customer>:<key>` HASH and `idemexp` ZSET: idempotency keys and their expiry.
 *
 * @module
 */
import { luaScript } from './connection.ts';

const COMMON = `local B = KEYS[1]
local G = 'dispatchers'
local function okey(id) return B .. 'o:' .. id end
local function headOf(cust) return redis.call('ZRANGE', B .. 'cq:' .. cust, 0, 0)[1] end
local function ensureGroup()
  if redis.call('EXISTS', B .. 'stream') == 0 then redis.call('XGROUP', 'CREATE', B .. 'stream', G, '$', 'MKSTREAM') end
end
-- Takes the order out of the stream, the delayed set and the leases.
local function unschedule(id)
  local o = okey(id)
  local s = redis.call('HMGET', o, 'sched', 'entry')
  if s[2] and s[2] ~= '' then
    redis.call('XACK', B .. 'stream', G, s[2])
    redis.call('XDEL', B .. 'stream', s[2])
  end
  if s[1] == 'delayed' then redis.call('ZREM', B .. 'delayed', id) end
  redis.call('ZREM', B .. 'leases', id)
  redis.call('HSET', o, 'sched', '', 'entry', '', 'leaseOwner', '', 'leaseUntil', '')
end
local function schedule(id, now)
  local o = okey(id)
  local at = tonumber(redis.call('HGET', o, 'nextAttemptAt'))
  if at <= now then
    ensureGroup()
    redis.call('HSET', o, 'sched', 'stream', 'entry', redis.call('XADD', B .. 'stream', '*', 'id', id))
  else
    redis.call('ZADD', B .. 'delayed', at, id)
    redis.call('HSET', o, 'sched', 'delayed', 'entry', '')
  end
end
-- Raises the order's sentBefore (before when its earlier attempts were sent) to at least at.
local function sentBefore(id, at)
  local cur = tonumber(redis.call('HGET', okey(id), 'sentBefore') or '') or 0
  if at > cur then redis.call('HSET', okey(id), 'sentBefore', tostring(at)) end
end
-- A holder that had begun sending (sendingUntil, the end of its lease) left no verdict: the order
-- may be in the ERP, sent before then (or before cap, when the holder is known dead by cap).
local function settleSending(id, cap)
  local su = tonumber(redis.call('HGET', okey(id), 'sendingUntil') or '')
  if not su then return end
  if cap and cap < su then su = cap end
  sentBefore(id, su)
  redis.call('HSET', okey(id), 'inDoubt', 1, 'sendingUntil', '')
end
-- The head of a customer's FIFO, and only it, is scheduled.
local function advance(cust, now)
  local h = headOf(cust)
  if h and redis.call('HGET', okey(h), 'sched') == '' then schedule(h, now) end
end
-- cx:<customer> HASH: queued = what its queued orders on account add to exposure (millionths,
-- exact integers); v = a version that moves with every change of its orders (credit decisions).
-- Orders waiting for approval count as queued ones do (they are queued once approved).
local function counted(status) return status == 'QUEUED' or status == 'PENDING_APPROVAL' end
local function exposure(cust, delta)
  if delta ~= 0 then redis.call('HINCRBY', B .. 'cx:' .. cust, 'queued', delta) end
  redis.call('HINCRBY', B .. 'cx:' .. cust, 'v', 1)
end
local function setStatus(id, from, to)
  local o = okey(id)
  local r = redis.call('HMGET', o, 'seq', 'customerId', 'exposure')
  redis.call('ZREM', B .. 'st:' .. from, id)
  redis.call('ZADD', B .. 'st:' .. to, r[1], id)
  redis.call('HSET', o, 'status', to)
  if to == 'QUEUED' then redis.call('ZADD', B .. 'cq:' .. r[2], r[1], id)
  elseif from == 'QUEUED' then redis.call('ZREM', B .. 'cq:' .. r[2], id) end
  local e = tonumber(r[3] or '0') or 0
  local delta = 0
  if counted(to) then delta = delta + e end
  if counted(from) then delta = delta - e end
  exposure(r[2], delta)
  return r[2]
end
`;

/** A script over the order queue's data model (the helpers above included). */
export const orderScript = (body: string) => luaScript(COMMON + body);
const script = orderScript;

/** ARGV: key, payload hash, now, ttl ms, stale-after ms, claim id. Returns {kind, orderId?}. */
export const claimKeyScript = script(`
local k = B .. 'idem:' .. ARGV[1]
local now, ttl, stale = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local e = redis.call('HMGET', k, 'payload', 'state', 'orderId', 'claimedAt', 'expiresAt')
if e[1] and tonumber(e[5]) > now then
  if e[1] ~= ARGV[2] then return {'mismatch'} end
  if e[2] == 'DONE' then return {'completed', e[3]} end
  if now - tonumber(e[4]) < stale then return {'in_use'} end
end
redis.call('DEL', k)
redis.call('HSET', k, 'payload', ARGV[2], 'state', 'IN_PROGRESS', 'claimedAt', ARGV[3], 'expiresAt', tostring(now + ttl), 'claimId', ARGV[6])
-- Belt and braces: Redis forgets the key by itself too, even if nobody purges.
redis.call('PEXPIRE', k, ttl)
redis.call('ZADD', B .. 'idemexp', now + ttl, ARGV[1])
return {'claimed'}`);

/** ARGV: key, claim id, now. Renews a claim its request still holds; 1 when it did. */
export const renewKeyScript = script(`
local k = B .. 'idem:' .. ARGV[1]
local e = redis.call('HMGET', k, 'state', 'claimId')
if e[1] == 'IN_PROGRESS' and e[2] == ARGV[2] then
  redis.call('HSET', k, 'claimedAt', ARGV[3])
  return 1
end
return 0`);

/** ARGV: key, claim id. Frees a claim that wrote nothing, if that claim still holds the key. */
export const releaseKeyScript = script(`
local k = B .. 'idem:' .. ARGV[1]
local e = redis.call('HMGET', k, 'state', 'claimId')
if e[1] == 'IN_PROGRESS' and e[2] == ARGV[2] then
  redis.call('DEL', k)
  redis.call('ZREM', B .. 'idemexp', ARGV[1])
end
return 0`);

/** ARGV: now. Returns how many keys were forgotten. */
export const purgeKeysScript = script(`
local n = 0
for _, key in ipairs(redis.call('ZRANGEBYSCORE', B .. 'idemexp', '-inf', ARGV[1], 'LIMIT', 0, 1000)) do
  redis.call('DEL', B .. 'idem:' .. key)
  redis.call('ZREM', B .. 'idemexp', key)
  n = n + 1
end
return n`);

/**
 * ARGV: id, customer, status, data JSON, now, iso, idempotency key or '', claim id, exposure
 * (millionths), expected exposure version or ''. Returns the seq.
 */
export const insertScript = script(`
local id, cust, status, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[5])
local o = okey(id)
if redis.call('EXISTS', o) == 1 then return redis.error_reply('ORDER_EXISTS order ' .. id .. ' exists already') end
if ARGV[10] ~= '' and (redis.call('HGET', B .. 'cx:' .. cust, 'v') or '0') ~= ARGV[10] then
  return redis.error_reply('EXPOSURE_CHANGED ' .. cust)
end
local idem = B .. 'idem:' .. ARGV[7]
if ARGV[7] ~= '' then
  local e = redis.call('HMGET', idem, 'state', 'claimId')
  if e[1] ~= 'IN_PROGRESS' or e[2] ~= ARGV[8] then return redis.error_reply('IDEMPOTENCY_CLAIM_LOST ' .. ARGV[7]) end
end
local seq = redis.call('INCR', B .. 'seq')
redis.call('HSET', o, 'id', id, 'seq', seq, 'customerId', cust, 'status', status, 'data', ARGV[4], 'createdAt', ARGV[6],
  'updatedAt', ARGV[6], 'submittedAt', '', 'erpOrderNumber', '', 'attempts', 0, 'inDoubt', 0, 'nextAttemptAt', ARGV[5],
  'lastError', '', 'rejection', '', 'sched', '', 'entry', '', 'leaseOwner', '', 'leaseUntil', '', 'exposure', ARGV[9])
redis.call('ZADD', B .. 'cust:' .. cust, seq, id)
redis.call('ZADD', B .. 'st:' .. status, seq, id)
if counted(status) then exposure(cust, tonumber(ARGV[9])) else exposure(cust, 0) end
if status == 'QUEUED' then
  redis.call('ZADD', B .. 'cq:' .. cust, seq, id)
  advance(cust, now)
end
if ARGV[7] ~= '' then redis.call('HSET', idem, 'state', 'DONE', 'orderId', id) end
return seq`);

/** ARGV: owner, now, limit, lease ms, iso. Returns the leased order ids. */
export const leaseScript = script(`
local owner, now, limit, leaseMs, iso = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
ensureGroup()
local out = {}
local function isHead(id)
  local r = redis.call('HMGET', okey(id), 'status', 'customerId')
  return r[1] == 'QUEUED' and headOf(r[2]) == id
end
local function take(id, doubt)
  local o = okey(id)
  redis.call('HINCRBY', o, 'attempts', 1)
  redis.call('HSET', o, 'leaseOwner', owner, 'leaseUntil', tostring(now + leaseMs), 'updatedAt', iso, 'sched', 'leased')
  if doubt then redis.call('HSET', o, 'inDoubt', 1) end
  redis.call('ZADD', B .. 'leases', now + leaseMs, id)
  out[#out + 1] = id
end
-- 1. Leases that ran out: their holder died or overran. If it had begun sending, it may have
--    reached the ERP before its lease ended (a holder never sends past it).
for _, id in ipairs(redis.call('ZRANGEBYSCORE', B .. 'leases', '-inf', now, 'LIMIT', 0, limit)) do
  settleSending(id, nil)
  local entry = redis.call('HGET', okey(id), 'entry')
  if isHead(id) and entry ~= '' then
    redis.call('XCLAIM', B .. 'stream', G, owner, 0, entry)
    take(id, false)
  else
    local cust = redis.call('HGET', okey(id), 'customerId')
    unschedule(id)
    advance(cust, now)
  end
end
-- 2. Retries whose backoff is over join the stream.
for _, id in ipairs(redis.call('ZRANGEBYSCORE', B .. 'delayed', '-inf', now, 'LIMIT', 0, 1000)) do
  redis.call('ZREM', B .. 'delayed', id)
  redis.call('HSET', okey(id), 'sched', '')
  schedule(id, now)
end
-- 3. New work, in the order it became due.
while #out < limit do
  local r = redis.call('XREADGROUP', 'GROUP', G, owner, 'COUNT', limit - #out, 'STREAMS', B .. 'stream', '>')
  if not r or #r[1][2] == 0 then break end
  for _, e in ipairs(r[1][2]) do
    local eid, id = e[1], e[2][2]
    if redis.call('HGET', okey(id), 'entry') == eid and isHead(id) then
      take(id, false)
    else
      -- No longer the head (an older order was replayed) or no longer queued: drop the entry;
      -- the order is scheduled again when it is the head.
      redis.call('XACK', B .. 'stream', G, eid)
      redis.call('XDEL', B .. 'stream', eid)
      if redis.call('HGET', okey(id), 'entry') == eid then redis.call('HSET', okey(id), 'sched', '', 'entry', '', 'leaseOwner', '', 'leaseUntil', '') end
    end
  end
end
return out`);

/** ARGV: id, ERP number, now, iso, duplicate check due at or ''. */
export const markSubmittedScript = script(`
local id, now = ARGV[1], tonumber(ARGV[3])
if ARGV[5] ~= '' and redis.call('EXISTS', okey(id)) == 1 then redis.call('ZADD', B .. 'dupchk', tonumber(ARGV[5]), id) end
local o = okey(id)
local st = redis.call('HGET', o, 'status')
if not st then return 0 end
unschedule(id)
local cust = redis.call('HGET', o, 'customerId')
if st ~= 'SUBMITTED' then setStatus(id, st, 'SUBMITTED') end
redis.call('HSET', o, 'erpOrderNumber', ARGV[2], 'submittedAt', ARGV[4], 'updatedAt', ARGV[4], 'lastError', '', 'inDoubt', 0, 'sendingUntil', '')
redis.call('ZADD', B .. 'sub:' .. cust, now, id)
-- Only recent submissions matter to credit (the ERP's figures catch up within minutes): keep a week.
redis.call('ZREMRANGEBYSCORE', B .. 'sub:' .. cust, '-inf', now - 7 * 86400000)
advance(cust, now)
return 1`);

/**
 * ARGV: id, error, nextAttemptAt, inDoubt 0/1, now, iso, sentBefore or '', owner or ''. Only a
 * QUEUED order goes back, and with an owner only while that owner holds its lease.
 */
export const markRetryScript = script(`
local id, now = ARGV[1], tonumber(ARGV[5])
local o = okey(id)
if redis.call('HGET', o, 'status') ~= 'QUEUED' then return 0 end
if ARGV[8] ~= '' and redis.call('HGET', o, 'leaseOwner') ~= ARGV[8] then return 0 end
if ARGV[7] ~= '' then sentBefore(id, tonumber(ARGV[7])) end
unschedule(id)
redis.call('HSET', o, 'nextAttemptAt', ARGV[3], 'lastError', ARGV[2], 'inDoubt', ARGV[4], 'updatedAt', ARGV[6], 'sendingUntil', '')
advance(redis.call('HGET', o, 'customerId'), now)
return 1`);

/** ARGV: id, rejection JSON, message, reason, now, iso. A dead letter, also logged on `dead`. */
export const markRejectedScript = script(`
local id, now = ARGV[1], tonumber(ARGV[5])
local o = okey(id)
local st = redis.call('HGET', o, 'status')
if not st then return 0 end
unschedule(id)
local cust = redis.call('HGET', o, 'customerId')
if st ~= 'REJECTED' then setStatus(id, st, 'REJECTED') end
redis.call('HSET', o, 'rejection', ARGV[2], 'lastError', ARGV[3], 'updatedAt', ARGV[6], 'sendingUntil', '')
redis.call('XADD', B .. 'dead', 'MAXLEN', '~', 100000, '*', 'id', id, 'customerId', cust, 'reason', ARGV[4], 'message', ARGV[3], 'at', ARGV[6])
advance(cust, now)
return 1`);

/** ARGV: id, to, now, iso, from... Returns 1 when moved. A replay starts its attempts over. */
export const transitionScript = script(`
local id, to, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local o = okey(id)
local st = redis.call('HGET', o, 'status')
local allowed = false
for i = 5, #ARGV do if ARGV[i] == st then allowed = true end end
if not st or not allowed then return 0 end
unschedule(id)
local cust = setStatus(id, st, to)
redis.call('HSET', o, 'updatedAt', ARGV[4], 'sendingUntil', '')
if to == 'QUEUED' then
  -- A replayed dead letter keeps its doubt: the ERP refused it, but look before sending again.
  redis.call('HSET', o, 'attempts', 0, 'nextAttemptAt', ARGV[3], 'rejection', '', 'lastError', '')
end
advance(cust, now)
return 1`);

/** ARGV: id, owner, sending until. Marks a send about to begin, while the owner holds the lease; 1 when marked. */
export const markSendingScript = script(`
local o = okey(ARGV[1])
local r = redis.call('HMGET', o, 'status', 'leaseOwner')
if r[1] ~= 'QUEUED' or r[2] ~= ARGV[2] then return 0 end
redis.call('HSET', o, 'sendingUntil', ARGV[3])
return 1`);

/** ARGV: now, iso. Every lease released; orders being sent come back in doubt. Returns how many. */
export const releaseLeasesScript = script(`
local now = tonumber(ARGV[1])
local ids = redis.call('ZRANGE', B .. 'leases', 0, -1)
for _, id in ipairs(ids) do
  settleSending(id, now)
  redis.call('HSET', okey(id), 'updatedAt', ARGV[2])
  unschedule(id)
end
for _, id in ipairs(ids) do advance(redis.call('HGET', okey(id), 'customerId'), now) end
return #ids`);
