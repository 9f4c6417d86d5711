/**
 * The company store on Redis, shared by every instance: a directory change made through one
 * instance holds on all, and two approvers reaching two instances at once cannot both take an
 * order's last tier (a flow is replaced only at the version it was read at, in one script).
 *
 * Keys (all under `{company}`, see keys.ts): `set:<customer>` HASH settings; `b:<customer>` HASH
 * subject → entry; `r:<customer>` HASH rule id → rule; `f:<order>` HASH {v, data} a flow;
 * `p:<customer>` ZSET (lexical, score 0) the order ids of its pending flows.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { ApprovalFlow } from '../../../domain/company/approval-flow.ts';
import type { ApprovalRule } from '../../../domain/company/approval-rules.ts';
import { newBuyer, type CompanyBuyer, type CompanyRole, type CompanySettings } from '../../../domain/company/directory.ts';
import type { CompanyStore } from '../../../ports/company-store.ts';
import { StoreUnavailableError } from '../../../ports/store-error.ts';
import { luaScript } from './connection.ts';

export interface RedisCompanyStoreOptions {
  client: Redis;
  /** The store's key base (`keys.company`). */
  base: string;
}

/** KEYS: base. ARGV: order id, customer, version, data, status. Creates a flow; 0 when one exists. */
const createFlowScript = luaScript(`
local f = KEYS[1] .. 'f:' .. ARGV[1]
if redis.call('EXISTS', f) == 1 then return 0 end
redis.call('HSET', f, 'v', ARGV[3], 'data', ARGV[4])
if ARGV[5] == 'PENDING' then redis.call('ZADD', KEYS[1] .. 'p:' .. ARGV[2], 0, ARGV[1]) end
return 1`);

/** KEYS: base. ARGV: order id, customer, new version, data, status. Replaces at version - 1; 1 when replaced. */
const updateFlowScript = luaScript(`
local f = KEYS[1] .. 'f:' .. ARGV[1]
local v = redis.call('HGET', f, 'v')
if not v or tonumber(v) ~= tonumber(ARGV[3]) - 1 then return 0 end
redis.call('HSET', f, 'v', ARGV[3], 'data', ARGV[4])
if ARGV[5] == 'PENDING' then redis.call('ZADD', KEYS[1] .. 'p:' .. ARGV[2], 0, ARGV[1])
else redis.call('ZREM', KEYS[1] .. 'p:' .. ARGV[2], ARGV[1]) end
return 1`);

export function createRedisCompanyStore(options: RedisCompanyStoreOptions): CompanyStore {
  const { client, base } = options;

  /** Runs a Redis call; a connection failure becomes `COMPANY_STORE_UNAVAILABLE`. */
  async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // A script or type error is a bug, not an outage: let it show as itself.
      if (error instanceof Error && /^(ERR|WRONGTYPE)/.test(error.message)) throw error;
      throw new StoreUnavailableError(
        'COMPANY_STORE_UNAVAILABLE',
        `The company store (Redis) is unreachable (${operation}). Retry shortly; nothing was changed.`,
        { cause: error },
      );
    }
  }
  const settingsOf = async (customerId: string): Promise<CompanySettings> => {
    const role = await client.hget(`${base}set:${customerId}`, 'defaultRole');
    return { customerId, defaultRole: (role as CompanyRole | null) ?? 'BUYER' };
  };
  const parse = <T>(data: string | null | undefined): T | null => (data ? (JSON.parse(data) as T) : null);
  const bySubject = (a: CompanyBuyer, b: CompanyBuyer) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0);

  return {
    settings: (customerId) => guarded('read settings', () => settingsOf(customerId)),
    setDefaultRole: (customerId, role) =>
      guarded('write settings', async () => {
        await client.hset(`${base}set:${customerId}`, 'defaultRole', role);
        return settingsOf(customerId);
      }),
    buyer: (customerId, subject) => guarded('read buyer', async () => parse<CompanyBuyer>(await client.hget(`${base}b:${customerId}`, subject))),
    ensureBuyer: (customerId, subject, now) =>
      guarded('register buyer', async () => {
        const known = parse<CompanyBuyer>(await client.hget(`${base}b:${customerId}`, subject));
        if (known) return known;
        const fresh = newBuyer(customerId, subject, (await settingsOf(customerId)).defaultRole, new Date(now).toISOString());
        // HSETNX: of two first requests at once, the first entry stands and both read it.
        await client.hsetnx(`${base}b:${customerId}`, subject, JSON.stringify(fresh));
        return parse<CompanyBuyer>(await client.hget(`${base}b:${customerId}`, subject))!;
      }),
    putBuyer: (buyer) =>
      guarded('write buyer', async () => {
        await client.hset(`${base}b:${buyer.customerId}`, buyer.subject, JSON.stringify(buyer));
        return buyer;
      }),
    buyers: (customerId, { limit }) =>
      guarded('read buyers', async () => {
        const all = Object.values(await client.hgetall(`${base}b:${customerId}`)).map((d) => JSON.parse(d) as CompanyBuyer);
        return all.sort(bySubject).slice(0, limit);
      }),
    rules: (customerId) =>
      guarded('read rules', async () => {
        const all = Object.values(await client.hgetall(`${base}r:${customerId}`)).map((d) => JSON.parse(d) as ApprovalRule);
        return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      }),
    putRule: (customerId, rule) => guarded('write rule', async () => void (await client.hset(`${base}r:${customerId}`, rule.id, JSON.stringify(rule)))),
    removeRule: (customerId, ruleId) => guarded('remove rule', async () => (await client.hdel(`${base}r:${customerId}`, ruleId)) === 1),
    async createFlow(flow) {
      const made = await guarded('create approval flow', () =>
        createFlowScript.run(client, [base], [flow.orderId, flow.customerId, flow.version, JSON.stringify(flow), flow.status]),
      );
      if (Number(made) !== 1) throw new Error(`approval flow for ${flow.orderId} exists already`);
    },
    flow: (orderId) => guarded('read approval flow', async () => parse<ApprovalFlow>(await client.hget(`${base}f:${orderId}`, 'data'))),
    updateFlow: (next) =>
      guarded('update approval flow', async () => {
        const done = await updateFlowScript.run(client, [base], [next.orderId, next.customerId, next.version, JSON.stringify(next), next.status]);
        return Number(done) === 1;
      }),
    pendingFlows: (customerId, { limit, after }) =>
      guarded('read pending approvals', async () => {
        const ids = await client.zrangebylex(`${base}p:${customerId}`, after ? `(${after}` : '-', '+', 'LIMIT', 0, limit);
        if (ids.length === 0) return [];
        const pipeline = client.pipeline();
        for (const id of ids) pipeline.hget(`${base}f:${id}`, 'data');
        const replies = (await pipeline.exec()) ?? [];
        return replies.map(([, data]) => parse<ApprovalFlow>(data as string | null)).filter((f): f is ApprovalFlow => f !== null);
      }),
    async close() {},
  };
}
