/**
 * The shared throttle store's one Lua script: a caller's leaky bucket read, brought up to date,
 * decided on and written back in one atomic step, so two instances taking from one bucket at the
 * same instant never spend the same points twice. It mirrors `domain/throttle/leaky-bucket.ts`.
 *
 * KEYS[1] is the bucket: a HASH {l: level, t: epoch ms of that level}. It expires when it would
 * have refilled (plus a second), and is deleted when a refund fills it: a full bucket and no bucket
 * mean the same, so idle callers cost Redis nothing.
 *
 * Time is Redis's own (`TIME`), so instances' clocks never matter, unless the caller passes `now`
 * (tests moving time).
 *
 * ARGV: mode (`take`, `refund`, `peek`), points, capacity, restore per second, now ('' for TIME),
 * owed: points refunded earlier by this instance and not yet applied (0 for none), given back
 * before the mode's step (see `throttle-store.ts`: refunds ride on the bucket's next call).
 * Returns {allowed 0|1, level as a string (Lua numbers would be truncated to integers), retry after
 * ms (-1: never fits)}.
 *
 * @module
 */
import { luaScript } from './connection.ts';

export const bucketScript = luaScript(`
local mode = ARGV[1]
local points, cap, rate = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local now = tonumber(ARGV[5])
local owed = tonumber(ARGV[6]) or 0
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local stored = redis.call('HMGET', KEYS[1], 'l', 't')
local level = cap
if stored[1] then
  level = math.min(cap, tonumber(stored[1]) + math.max(0, now - tonumber(stored[2])) * rate / 1000)
end
local function save(l)
  if l >= cap then
    redis.call('DEL', KEYS[1])
    return
  end
  redis.call('HSET', KEYS[1], 'l', string.format('%.17g', l), 't', string.format('%.17g', now))
  redis.call('PEXPIRE', KEYS[1], math.ceil((cap - l) * 1000 / rate) + 1000)
end
if owed > 0 then
  level = math.min(cap, level + owed)
  save(level)
end
local shown = string.format('%.17g', level)
if mode == 'take' then
  if points > cap then return {0, shown, -1} end
  if level < points then return {0, shown, math.max(1, math.ceil((points - level) * 1000 / rate))} end
  level = level - points
  save(level)
  return {1, string.format('%.17g', level), 0}
end
if mode == 'refund' then
  level = math.min(cap, level + points)
  save(level)
  return {1, string.format('%.17g', level), 0}
end
return {1, shown, 0}`);
