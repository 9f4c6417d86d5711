/**
 * The shared ERP budget's Lua scripts. Each runs atomically in Redis, on Redis's own clock (TIME),
 * so the instances' clocks never matter. All keys hang off KEYS[1], the budget's base, which
 * carries the budget's hash tag (one Cluster slot).
 *
 * - `bucket` HASH {tokens, ts}: the token bucket (the rate).
 * - `sem` ZSET permit id → lease end: the semaphore (the concurrency). A permit whose lease ran
 *   out belonged to a crashed instance (live ones renew theirs) and is dropped.
 * - `wait:<0..3>` ZSET instance id → until: which instances have callers waiting at each priority,
 *   so a read on one instance does not slip past an order waiting on another.
 * - `pause` STRING: when a 429 pause ends. `inst` ZSET: live instances (heartbeats).
 *
 * @module
 */
import { luaScript } from './connection.ts';

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local B = KEYS[1]`;

/**
 * ARGV: permit id, priority index (0 = order), rate/s, capacity, max concurrent, lease ms,
 * instance id, whether this instance still has callers waiting at this priority after a grant.
 * Returns {1, 0} granted, {0, ms} retry after ms, {0, -1} wait for a release.
 */
export const acquireScript = luaScript(`${NOW}
local prio = tonumber(ARGV[2])
local rate, cap, maxc, lease = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local me = ARGV[7]
local function waiting(result)
  -- Registered for two seconds: an instance that dies stops blocking lower priorities at once.
  redis.call('ZADD', B .. 'wait:' .. prio, now + 2000, me)
  return result
end
local pause = tonumber(redis.call('GET', B .. 'pause') or '0')
if pause > now then return waiting({0, pause - now}) end
for p = 0, prio - 1 do
  local k = B .. 'wait:' .. p
  redis.call('ZREMRANGEBYSCORE', k, '-inf', now)
  local n = redis.call('ZCARD', k)
  if n > 1 or (n == 1 and not redis.call('ZSCORE', k, me)) then return waiting({0, -1}) end
end
redis.call('ZREMRANGEBYSCORE', B .. 'sem', '-inf', now)
if redis.call('ZCARD', B .. 'sem') >= maxc then return waiting({0, -1}) end
local b = redis.call('HMGET', B .. 'bucket', 'tokens', 'ts')
local tokens = tonumber(b[1]) or cap
local ts = tonumber(b[2]) or now
if now > ts then
  tokens = math.min(cap, tokens + (now - ts) * rate / 1000)
  ts = now
end
if tokens < 1 - 1e-9 then
  redis.call('HSET', B .. 'bucket', 'tokens', tostring(tokens), 'ts', ts)
  return waiting({0, math.max(1, math.ceil((1 - tokens) * 1000 / rate))})
end
redis.call('HSET', B .. 'bucket', 'tokens', tostring(math.max(0, tokens - 1)), 'ts', ts)
redis.call('ZADD', B .. 'sem', now + lease, ARGV[1])
if ARGV[8] == '1' then redis.call('ZADD', B .. 'wait:' .. prio, now + 2000, me)
else redis.call('ZREM', B .. 'wait:' .. prio, me) end
return {1, 0}`);

/** ARGV: permit id. Frees the slot and tells every instance's waiters to try again. */
export const releaseScript = luaScript(`local B = KEYS[1]
if redis.call('ZREM', B .. 'sem', ARGV[1]) == 1 then redis.call('PUBLISH', B .. 'released', '1') end
return 0`);

/** ARGV: pause ms. Holds every grant until then; the bucket restarts empty (no burst into the ERP). */
export const pauseScript = luaScript(`${NOW}
local untilMs = now + tonumber(ARGV[1])
if tonumber(redis.call('GET', B .. 'pause') or '0') < untilMs then
  redis.call('SET', B .. 'pause', untilMs, 'PX', tonumber(ARGV[1]) + 1000)
  redis.call('HSET', B .. 'bucket', 'tokens', '0', 'ts', untilMs)
end
return untilMs`);

/**
 * ARGV: lease ms, instance id, heartbeat ms, then the permit ids this instance holds.
 * Extends their leases and records the instance as alive; returns how many instances are.
 */
export const heartbeatScript = luaScript(`${NOW}
local lease = tonumber(ARGV[1])
for i = 4, #ARGV do redis.call('ZADD', B .. 'sem', 'XX', now + lease, ARGV[i]) end
redis.call('ZADD', B .. 'inst', now + 3 * tonumber(ARGV[3]), ARGV[2])
redis.call('ZREMRANGEBYSCORE', B .. 'inst', '-inf', now)
return redis.call('ZCARD', B .. 'inst')`);

/** ARGV: instance id, priority index. This instance has nobody waiting at that priority any more. */
export const unwaitScript = luaScript(`redis.call('ZREM', KEYS[1] .. 'wait:' .. ARGV[2], ARGV[1])
return 0`);
