/**
 * The order queue's scripts for credit and reconciliation: a customer's exposure as one read, the
 * duplicate checks due, and an order the ERP lost queued again. Same data model as `order-scripts.ts`.
 *
 * @module
 */
import { orderScript as script } from './order-scripts.ts';

/**
 * ARGV: customer, submitted since (epoch ms). Returns {queued exposure, version, exposure of each
 * order submitted since}, all in millionths as exact integer strings (summed by the caller: Lua's
 * numbers are binary floats).
 */
export const exposureScript = script(`
local cust = ARGV[1]
local r = redis.call('HMGET', B .. 'cx:' .. cust, 'queued', 'v')
local since = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', B .. 'sub:' .. cust, '(' .. ARGV[2], '+inf')) do
  since[#since + 1] = redis.call('HGET', okey(id), 'exposure') or '0'
end
return {r[1] or '0', r[2] or '0', since}`);

/**
 * ARGV: id, data JSON, exposure (millionths), iso. New prices for an order waiting for approval:
 * its data and exposure replaced, the customer's running total moved by the difference; 1 when done.
 */
export const repriceWaitingScript = script(`
local o = okey(ARGV[1])
local r = redis.call('HMGET', o, 'status', 'customerId', 'exposure')
if r[1] ~= 'PENDING_APPROVAL' then return 0 end
redis.call('HSET', o, 'data', ARGV[2], 'exposure', ARGV[3], 'updatedAt', ARGV[4])
exposure(r[2], tonumber(ARGV[3]) - (tonumber(r[3] or '0') or 0))
return 1`);

/** ARGV: now, limit, lease ms. Due duplicate checks, each put off by the lease; returns the ids. */
export const dueChecksScript = script(`
local now = tonumber(ARGV[1])
local ids = redis.call('ZRANGEBYSCORE', B .. 'dupchk', '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do redis.call('ZADD', B .. 'dupchk', now + tonumber(ARGV[3]), id) end
return ids`);

/**
 * ARGV: id, now, iso, reason. A SUBMITTED order the ERP no longer holds goes back to the queue in
 * doubt, its earlier sends before now; returns 1 when it did. It leaves the customer's recent
 * submissions (`sub:`), where credit would count it a second time.
 */
export const requeueInDoubtScript = script(`
local id, now = ARGV[1], tonumber(ARGV[2])
local o = okey(id)
if redis.call('HGET', o, 'status') ~= 'SUBMITTED' then return 0 end
unschedule(id)
local cust = setStatus(id, 'SUBMITTED', 'QUEUED')
redis.call('ZREM', B .. 'sub:' .. cust, id)
sentBefore(id, now)
redis.call('HSET', o, 'inDoubt', 1, 'attempts', 0, 'nextAttemptAt', ARGV[2], 'lastError', ARGV[4], 'erpOrderNumber', '', 'submittedAt', '',
  'rejection', '', 'updatedAt', ARGV[3], 'sendingUntil', '')
advance(cust, now)
return 1`);
