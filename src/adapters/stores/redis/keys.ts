/**
 * Every Redis key erpfront uses, in one place: the key design is part of the deployment contract
 * (README "Run several instances").
 *
 * Redis Cluster: a script or multi-key command must touch one hash slot. So every key a script
 * touches together shares a hash tag (the part in `{…}`):
 * - the order queue, its indexes, its stream and its idempotency keys share `{q:<queue>}`: placing
 *   an order completes its idempotency key in the same atomic step, and leasing walks customers'
 *   queues, so they cannot be split by customer without losing that atomicity. One slot carries
 *   far more orders per second than any ERP accepts; more queues (`ORDER_QUEUE`) spread load.
 * - the ERP budget's bucket, semaphore and waiting lines share `{budget:<erp>}`.
 * - the PunchOut store's sessions, tokens, answers and order links share `{punchout}`: redeeming
 *   a start token reads the token, the session and writes the access token in one step, and
 *   claiming due order links walks one sorted set. PunchOut is a few requests per shopping
 *   session; one slot carries far more than buyers send.
 * - the reconciliation findings (open index, findings, resolved index) share `{reconciliation}`:
 *   opening or resolving a finding moves it between indexes in one step.
 * - the company store (buyer directories, approval rules and flows) shares `{company}`: an
 *   approval step moves a flow and its company's pending index in one step. A few writes per
 *   order at most; one slot carries far more.
 * - the company applications (records, sequence, status, applicant, due and lease indexes) share
 *   `{applications}`: a write replaces a record and moves it between indexes in one step.
 * - the ERP-write outbox (quotes, returns) shares `{outbox}` likewise.
 * - the audit log's sequence and lists share `{audit}`: an entry goes to the recent list and its
 *   target's list in one step.
 * - cache entries are read and written one key per command (pipelined), so they carry the
 *   customer's or price list's scope in the key but deliberately no tag: a tag would pin a whole
 *   price list to one shard.
 *
 * @module
 */

/** Key names under one prefix (default `erpfront`; several deployments may share a Redis). */
export interface RedisKeys {
  /** A cache entry: `erpfront:cache:prices:priceList:PL-OEM:SKU-00001`. */
  cache(cacheKey: string): string;
  /** The base of one order queue's keys: `erpfront:{q:orders}:`. */
  queue(name: string): string;
  /** The base of one ERP budget's keys: `erpfront:{budget:sandbox@127.0.0.1:8788}:`. */
  budget(name: string): string;
  /** The base of the PunchOut store's keys: `erpfront:{punchout}:`. */
  punchout: string;
  /**
   * A caller's throttle bucket: `erpfront:throttle:buyer:C0001:buyer%40C0001`. The caller key is
   * built by the throttle policy (each part percent-encoded, so it holds no `{`, `}` or `:` of its
   * callers' choosing).
   */
  throttle(callerKey: string): string;
  /** The pub/sub channel of cache invalidations (Cluster broadcasts PUBLISH to every node). */
  invalidationChannel: string;
  /** A webhook delivery already acted on: `erpfront:delivery:<webhook-id>` (one key, no tag). */
  delivery(id: string): string;
  /** A polled feed's position: `erpfront:cursor:erp-changes`. */
  cursor(feed: string): string;
  /** Who polls a feed now: `erpfront:cursor-lease:erp-changes`. */
  cursorLease(feed: string): string;
  /** The base of the reconciliation findings' keys: `erpfront:{reconciliation}:`. */
  reconciliation: string;
  /** The base of the company store's keys: `erpfront:{company}:`. */
  company: string;
  /** The base of the company applications' keys: `erpfront:{applications}:`. */
  applications: string;
  /** The base of the ERP-write outbox's keys: `erpfront:{outbox}:`. */
  outbox: string;
  /** The customers acted for lately, a sorted set by last seen: `erpfront:customer-activity`. */
  customerActivity: string;
  /** The base of the audit log's keys: `erpfront:{audit}:`. */
  audit: string;
  /** One console session, by the hash of its cookie's id: `erpfront:console-session:<hash>` (one key, no tag). */
  consoleSession(sessionKey: string): string;
}

/** The key names for `prefix`. A prefix holds no `{` or `}`: it must not become a hash tag. */
export function redisKeys(prefix = 'erpfront'): RedisKeys {
  if (/[{}]/.test(prefix)) throw new TypeError(`Redis key prefix must not contain { or }, but got: ${prefix}`);
  return {
    cache: (cacheKey) => `${prefix}:cache:${cacheKey}`,
    queue: (name) => `${prefix}:{q:${name}}:`,
    budget: (name) => `${prefix}:{budget:${name}}:`,
    punchout: `${prefix}:{punchout}:`,
    throttle: (callerKey) => `${prefix}:throttle:${callerKey}`,
    invalidationChannel: `${prefix}:invalidate`,
    delivery: (id) => `${prefix}:delivery:${id}`,
    cursor: (feed) => `${prefix}:cursor:${feed}`,
    cursorLease: (feed) => `${prefix}:cursor-lease:${feed}`,
    reconciliation: `${prefix}:{reconciliation}:`,
    company: `${prefix}:{company}:`,
    applications: `${prefix}:{applications}:`,
    outbox: `${prefix}:{outbox}:`,
    customerActivity: `${prefix}:customer-activity`,
    audit: `${prefix}:{audit}:`,
    consoleSession: (sessionKey) => `${prefix}:console-session:${sessionKey}`,
  };
}
