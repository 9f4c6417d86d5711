/**
 * The order store on Redis, shared by every instance: orders as hashes, each customer's FIFO as a
 * sorted set, and the work queue as a Redis Stream with one consumer group (`dispatchers`), every
 * change one atomic Lua script (see `order-scripts.ts` for the data model). Implements the
 * {@link OrderStore} contract, like the SQLite store.
 *
 * Durability is Redis's: with `appendonly yes` and `appendfsync always` an order is on disk before
 * erpfront answers the buyer (`checkOrderDurability` refuses anything less at start).
 *
 * When Redis is unreachable, every call fails with `ORDER_STORE_UNAVAILABLE`: erpfront fails
 * closed, so an order is either recorded in the shared queue or refused with a clear error (and
 * the buyer retries with the same idempotency key). See README "Run several instances" for why
 * not a local spill.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { IdempotencyClaim, NewOrder, OrderStore, QueueStats, StoredOrder } from '../../../ports/order-store.ts';
import { StoreUnavailableError } from '../../../ports/store-error.ts';
import { fromMicros, toMicros } from '../../../domain/money.ts';
import type { LuaScript } from './connection.ts';
import { iso, toOrder, type OrderData } from './order-hash.ts';
import { guarded } from './order-store-failures.ts';
import { dueChecksScript, exposureScript, repriceWaitingScript, requeueInDoubtScript } from './order-check-scripts.ts';
import {
  claimKeyScript,
  insertScript,
  leaseScript,
  markSendingScript,
  renewKeyScript,
  markRejectedScript,
  markRetryScript,
  markSubmittedScript,
  purgeKeysScript,
  releaseKeyScript,
  releaseLeasesScript,
  transitionScript,
} from './order-scripts.ts';

export interface RedisOrderStoreOptions {
  client: Redis;
  /** The queue's key base (`keys.queue(name)`). */
  base: string;
}

/** Creates the store. Nothing is read or written until the first call. */
export function createRedisOrderStore(options: RedisOrderStoreOptions): OrderStore {
  const { client, base } = options;

  /**
   * Claims (claim id → key) that may be in Redis although their request saw a failure (a claim
   * whose reply was lost, a release that could not reach Redis): released as soon as Redis is
   * back. Otherwise a buyer retrying after a Redis blip would get IDEMPOTENCY_KEY_IN_USE until the
   * claim goes stale. A release only frees its own claim id, never a newer request's claim.
   */
  const pendingReleases = new Map<string, string>();
  const releasePending = () => {
    for (const [claimId, key] of pendingReleases) {
      void releaseKeyScript.run(client, [base], [key, claimId]).then(
        () => pendingReleases.delete(claimId),
        () => {},
      );
    }
  };
  client.on('ready', releasePending);
  const run = async (operation: string, script: LuaScript, args: ReadonlyArray<string | number>) => {
    const reply = await guarded(operation, () => script.run(client, [base], args));
    // A command timeout loses a reply without a reconnect (no 'ready'): Redis answers again now.
    if (pendingReleases.size > 0) releasePending();
    return reply;
  };

  async function getMany(ids: readonly string[]): Promise<StoredOrder[]> {
    if (ids.length === 0) return [];
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.hgetall(`${base}o:${id}`);
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([error, hash]) => {
      if (error) throw error;
      const order = toOrder(hash as Record<string, string>);
      return order ? [order] : [];
    });
  }
  const getOrder = async (id: string) => (await getMany([id]))[0] ?? null;

  return {
    async claimIdempotencyKey(key, payloadHash, { now, ttlMs, staleAfterMs, claimId }): Promise<IdempotencyClaim> {
      try {
        const [kind, orderId] = (await run('claim idempotency key', claimKeyScript, [key, payloadHash, now, Math.ceil(ttlMs), staleAfterMs, claimId])) as [
          string,
          string?,
        ];
        return kind === 'completed' ? { kind, orderId: orderId! } : ({ kind } as IdempotencyClaim);
      } catch (error) {
        // The claim may have been made and only its reply lost: give it back once Redis answers.
        if (error instanceof StoreUnavailableError) pendingReleases.set(claimId, key);
        throw error;
      }
    },

    async renewIdempotencyClaim(key, claimId, now) {
      return (await run('renew idempotency claim', renewKeyScript, [key, claimId, now])) === 1;
    },

    async releaseIdempotencyKey(key, claimId) {
      try {
        await run('release idempotency key', releaseKeyScript, [key, claimId]);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        // Only this request's unfinished claim is released, so releasing later is safe even if
        // the order was written after all (its key is then DONE and stays).
        pendingReleases.set(claimId, key);
      }
    },

    async insert(order: NewOrder, { now, idempotency, exposureVersion }) {
      const data: OrderData = {
        request: order.request,
        total: order.total,
        currency: order.currency,
        placedBy: order.placedBy,
        onBehalf: order.onBehalf ?? null,
        creditDecision: order.creditDecision,
        idempotencyKey: order.idempotencyKey,
      };
      const seq = await run('insert order', insertScript, [
        order.id,
        order.customerId,
        order.status,
        JSON.stringify(data),
        now,
        iso(now),
        idempotency?.key ?? '',
        idempotency?.claimId ?? '',
        order.request.payment.method === 'ON_ACCOUNT' ? toMicros(order.total) : '0',
        exposureVersion ?? '',
      ]);
      // Built here rather than read back: one round trip, and no failure after the write.
      return {
        id: order.id,
        seq: Number(seq),
        customerId: order.customerId,
        status: order.status,
        ...data,
        createdAt: iso(now),
        updatedAt: iso(now),
        submittedAt: null,
        erpOrderNumber: null,
        attempts: 0,
        inDoubt: false,
        sentBefore: null,
        nextAttemptAt: now,
        lastError: null,
        rejection: null,
      };
    },

    get: (id) => guarded('read order', () => getOrder(id)),

    listByCustomer: (customerId, { statuses, limit }) =>
      guarded('list orders', async () => {
        const wanted = statuses?.length ? new Set<string>(statuses) : null;
        const found: StoredOrder[] = [];
        // Newest first, in pages, until enough orders of the wanted statuses are found.
        const page = wanted ? Math.max(limit * 2, 100) : limit;
        for (let start = 0; found.length < limit; start += page) {
          const ids = await client.zrevrange(`${base}cust:${customerId}`, String(start), String(start + page - 1));
          for (const order of await getMany(ids)) if (!wanted || wanted.has(order.status)) found.push(order);
          if (ids.length < page) break;
        }
        return found.slice(0, limit);
      }),

    listByStatus: (statuses, { limit }) =>
      guarded('list orders', async () => {
        const pipeline = client.pipeline();
        for (const status of statuses) pipeline.zrange(`${base}st:${status}`, '0', String(limit - 1), 'WITHSCORES');
        const seqOf = new Map<string, number>();
        for (const [error, reply] of (await pipeline.exec()) ?? []) {
          if (error) throw error;
          const flat = reply as string[];
          for (let i = 0; i < flat.length; i += 2) seqOf.set(flat[i]!, Number(flat[i + 1]));
        }
        const ids = [...seqOf.keys()].sort((a, b) => seqOf.get(a)! - seqOf.get(b)!).slice(0, limit);
        return getMany(ids);
      }),

    listRecent: (status, { since, beforeSeq, limit }) =>
      guarded('list orders', async () => {
        // Newest first by seq; seq follows creation, so the first order older than `since` ends the list.
        const ids = await client.zrevrangebyscore(`${base}st:${status}`, beforeSeq === undefined ? '+inf' : `(${beforeSeq}`, '-inf', 'LIMIT', 0, limit);
        const found: StoredOrder[] = [];
        for (const order of await getMany(ids)) {
          if (Date.parse(order.createdAt) < since) break;
          found.push(order);
        }
        return found;
      }),

    async lease(owner, { now, limit, leaseMs }) {
      const ids = (await run('lease orders', leaseScript, [owner, now, limit, leaseMs, iso(now)])) as string[];
      return guarded('read orders', async () => (await getMany(ids)).sort((a, b) => a.seq - b.seq));
    },

    async markSubmitted(id, erpOrderNumber, now, options) {
      await run('mark submitted', markSubmittedScript, [id, erpOrderNumber, now, iso(now), options?.checkDuplicatesAt ?? '']);
    },

    async dueDuplicateChecks(now, { limit, leaseMs }) {
      const ids = (await run('lease duplicate checks', dueChecksScript, [now, limit, leaseMs])) as string[];
      return guarded('read orders', () => getMany(ids));
    },

    async finishDuplicateCheck(id) {
      await guarded('finish duplicate check', () => client.zrem(`${base}dupchk`, id));
    },

    async markRetry(id, { error, nextAttemptAt, inDoubt, sentBefore, owner }, now) {
      await run('mark retry', markRetryScript, [id, error, nextAttemptAt, inDoubt ? 1 : 0, now, iso(now), sentBefore ?? '', owner ?? '']);
    },

    async markSending(id, owner, sendingUntil) {
      return (await run('mark sending', markSendingScript, [id, owner, sendingUntil])) === 1;
    },

    async markRejected(id, rejection, now) {
      await run('mark rejected', markRejectedScript, [id, JSON.stringify(rejection), rejection.message, rejection.reason, now, iso(now)]);
    },

    async transition(id, from, to, now) {
      const moved = await run('change order status', transitionScript, [id, to, now, iso(now), ...from]);
      return moved === 1 ? guarded('read order', () => getOrder(id)) : null;
    },

    async repriceWaiting(id, { lines, total }, now) {
      const order = await guarded('read order', () => getOrder(id));
      if (order?.status !== 'PENDING_APPROVAL') return null;
      const data: OrderData = {
        request: { ...order.request, lines },
        total,
        currency: order.currency,
        placedBy: order.placedBy,
        creditDecision: order.creditDecision,
        idempotencyKey: order.idempotencyKey,
      };
      const micros = order.request.payment.method === 'ON_ACCOUNT' ? toMicros(total) : '0';
      const done = await run('reprice order', repriceWaitingScript, [id, JSON.stringify(data), micros, iso(now)]);
      return Number(done) === 1 ? guarded('read order', () => getOrder(id)) : null;
    },

    async requeueInDoubt(id, now, reason) {
      const moved = await run('queue again', requeueInDoubtScript, [id, now, iso(now), reason]);
      return moved === 1 ? guarded('read order', () => getOrder(id)) : null;
    },

    queueStats: (now): Promise<QueueStats> =>
      guarded('queue statistics', async () => {
        const replies = ((await client.pipeline().zcard(`${base}st:QUEUED`).zrange(`${base}st:QUEUED`, '0', '0').zcard(`${base}st:REJECTED`).exec()) ??
          []) as Array<[Error | null, unknown]>;
        const failure = replies.find(([error]) => error);
        if (failure || replies.length < 3) throw failure?.[0] ?? new Error('Redis pipeline was discarded');
        const [depth, oldest, dead] = replies.map(([, reply]) => reply);
        const oldestId = (oldest as string[])[0];
        const createdAt = oldestId ? await client.hget(`${base}o:${oldestId}`, 'createdAt') : null;
        return {
          depth: Number(depth),
          oldestAgeSeconds: createdAt ? Math.max(0, (now - Date.parse(createdAt)) / 1000) : 0,
          deadLetters: Number(dead),
        };
      }),

    async releaseLeases(now) {
      return Number(await run('release leases', releaseLeasesScript, [now, iso(now)]));
    },

    async pendingExposure(customerId, submittedSince) {
      const [queued, version, since] = (await run('read exposure', exposureScript, [customerId, Date.parse(submittedSince)])) as [string, string, string[]];
      const micros = since.reduce((sum, each) => sum + BigInt(each), BigInt(queued));
      return { total: fromMicros(micros), version };
    },

    async purgeExpiredKeys(now) {
      return Number(await run('purge idempotency keys', purgeKeysScript, [now]));
    },

    async close() {
      // The connection belongs to whoever made it (several stores share one).
    },
  };
}
