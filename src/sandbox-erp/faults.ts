/**
 * Fault controls: what makes the sandbox behave like an ERP on a bad day. Slow answers (latency
 * plus jitter), failures (a share of requests answering 500), maintenance (every request 503),
 * and the limits real ERPs impose (a concurrency cap like NetSuite's, a request rate like an API
 * gateway's) answered with 429 and `Retry-After`. Order faults (a reply lost after the commit,
 * refusals on demand) and the pace of order progress live here too, so one `POST /faults` and one
 * reset steer everything.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { Operation, Stats } from './stats.ts';

export interface Faults {
  /** Added to every API answer, in milliseconds. */
  latencyMs: number;
  /** Extra latency drawn uniformly from [0, jitterMs]. */
  jitterMs: number;
  /** Probability (0..1) that an admitted request answers 500. */
  errorRate: number;
  /** When true every API request answers 503, as during maintenance. */
  outage: boolean;
  /** Requests served at once beyond which the sandbox answers 429; `null` for no limit. */
  maxConcurrent: number | null;
  /** Requests admitted per second (sliding one-second window) beyond which it answers 429. */
  rps: number | null;
  /** Milliseconds between an order's status steps; `null`: orders move only when told to. */
  orderStepMs: number | null;
  /**
   * Creations (orders, and customer accounts) whose reply is lost after the record is committed:
   * `true` for every one, a count for the next n (counted down to `false`).
   */
  dropResponseAfterCommit: boolean | number;
  /** The next `count` order creations are refused with 422 and this reason; `null` for none. */
  rejectNext: OrderRejection | null;
  /**
   * Added to order creation only, between receiving the order and committing it: the order is
   * entered when the delay is over, whether or not the client is still waiting (as a real ERP
   * finishes a request its client gave up on).
   */
  orderLatencyMs: number;
  /** How many of the next order creations `orderLatencyMs` slows (counted down); `null`: every one. */
  orderLatencyCount: number | null;
  /**
   * The ERP's own limit on a request, in milliseconds (SANDBOX_MAX_REQUEST_MS, default 30000), as
   * real ERPs have (a NetSuite or Business Central request is cut off after its time limit): a
   * request still running past it is abandoned with 503 and commits nothing. This bound is what
   * erpfront's `ERP_MAX_REQUEST_SECONDS` must cover.
   */
  maxRequestMs: number;
  /**
   * Whether a second order (or customer account) with an external reference the sandbox already
   * holds is refused (409, reason `DUPLICATE_EXTERNAL_REF`), as NetSuite's `externalId` or SAP's
   * customer-PO duplicate check do. Off by default (SANDBOX_UNIQUE_EXTERNAL_REFS): the default
   * demo is the hard case.
   */
  uniqueExternalRefs: boolean;
}

/** A refusal `rejectNext` has in store. */
export interface OrderRejection {
  count: number;
  reason: string;
  message: string;
}

export const DEFAULT_ORDER_STEP_MS = 30_000;
export const DEFAULT_MAX_REQUEST_MS = 30_000;
export const DEFAULT_REJECTION_MESSAGE = 'Refused by the ERP (test fault)';

export const DEFAULT_FAULTS: Readonly<Faults> = Object.freeze({
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  outage: false,
  maxConcurrent: null,
  rps: null,
  orderStepMs: DEFAULT_ORDER_STEP_MS,
  dropResponseAfterCommit: false,
  rejectNext: null,
  orderLatencyMs: 0,
  orderLatencyCount: null,
  maxRequestMs: DEFAULT_MAX_REQUEST_MS,
  uniqueExternalRefs: false,
});

const REASON = /^[A-Z][A-Z0-9_]*$/;

/** `2` or `{"count": 2, "reason": "CREDIT_HOLD"}`, stored in the second form; 0 means none. */
const RejectNextSchema = z
  .union(
    [
      z.number().int().min(0),
      z.strictObject({
        count: z.number().int().min(0),
        reason: z.string().regex(REASON).optional(),
        message: z.string().min(1).optional(),
      }),
    ],
    { error: 'expected a count, or {"count", "reason"?, "message"?} with an UPPER_SNAKE reason' },
  )
  .transform((value): OrderRejection | null => {
    const spec = typeof value === 'number' ? { count: value } : value;
    if (spec.count === 0) return null;
    return { count: spec.count, reason: spec.reason ?? 'REJECTED', message: spec.message ?? DEFAULT_REJECTION_MESSAGE };
  });

/** A partial update of the faults; unknown fields are refused so a typo does not pass silently. */
export const FaultsPatchSchema = z.strictObject({
  latencyMs: z.number().min(0).max(600_000).optional(),
  jitterMs: z.number().min(0).max(600_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  outage: z.boolean().optional(),
  maxConcurrent: z.number().int().min(1).nullable().optional(),
  rps: z.number().positive().max(1_000_000).nullable().optional(),
  orderStepMs: z.number().int().min(1).max(86_400_000).nullable().optional(),
  dropResponseAfterCommit: z
    .union([z.boolean(), z.number().int().min(0)], { error: 'expected a boolean or a count of orders' })
    .transform((value) => (value === 0 ? false : value))
    .optional(),
  rejectNext: RejectNextSchema.nullable().optional(),
  orderLatencyMs: z.number().min(0).max(600_000).optional(),
  orderLatencyCount: z.number().int().min(0).nullable().optional(),
  maxRequestMs: z.number().int().min(1).max(3_600_000).optional(),
  uniqueExternalRefs: z.boolean().optional(),
});

export type FaultsPatch = z.infer<typeof FaultsPatchSchema>;

export interface FaultState {
  current(): Faults;
  update(patch: FaultsPatch): Faults;
  /** Back to no faults, with an empty rate window. */
  reset(): void;
  /** Uses up one refusal of `rejectNext`: the refusal due for this order, or `null`. */
  takeRejection(): { reason: string; message: string } | null;
  /** Uses up one lost reply of `dropResponseAfterCommit`: whether this order's reply is lost. */
  takeDrop(): boolean;
  /** The delay due for this order creation (`orderLatencyMs`, using up one of `orderLatencyCount`). */
  takeOrderLatency(): number;
  /** Times (ms) of the requests admitted within the last second, oldest first; the rps window. */
  readonly admitted: number[];
}

export interface FaultOptions {
  /** Uniform in [0, 1): decides jitter and which requests fail. */
  random: () => number;
  /** Milliseconds, for the rate window. */
  clock: () => number;
}

/**
 * The fault state, starting from (and reset to) `base`: the defaults with the sandbox's start-up
 * settings (its request limit, its duplicate check) applied.
 */
export function createFaultState(base: Partial<Faults> = {}): FaultState {
  const initial: Faults = { ...DEFAULT_FAULTS, ...base };
  let faults: Faults = { ...initial };
  const admitted: number[] = [];
  return {
    admitted,
    current: () => faults,
    update(patch) {
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      faults = { ...faults, ...defined };
      return faults;
    },
    reset() {
      faults = { ...initial };
      admitted.length = 0;
    },
    takeRejection() {
      const pending = faults.rejectNext;
      if (!pending) return null;
      faults = { ...faults, rejectNext: pending.count > 1 ? { ...pending, count: pending.count - 1 } : null };
      return { reason: pending.reason, message: pending.message };
    },
    takeOrderLatency() {
      const { orderLatencyMs, orderLatencyCount } = faults;
      if (orderLatencyMs === 0 || orderLatencyCount === 0) return 0;
      if (orderLatencyCount !== null) faults = { ...faults, orderLatencyCount: orderLatencyCount - 1 };
      return orderLatencyMs;
    },
    takeDrop() {
      const pending = faults.dropResponseAfterCommit;
      if (pending === false) return false;
      if (typeof pending === 'number') faults = { ...faults, dropResponseAfterCommit: pending > 1 ? pending - 1 : false };
      return true;
    },
  };
}

/**
 * The middleware in front of every API route: counts the request, then applies the faults in the
 * order a real stack would (maintenance page, gateway limits, slow backend, backend failure).
 */
export function applyFaults(
  state: FaultState,
  stats: Stats,
  operationOf: (method: string, path: string, url: URL) => Operation | null,
  options: FaultOptions,
): MiddlewareHandler<{ Variables: SandboxVariables }> {
  // Only admitted requests count against the rate: a client that backs off gets back in.
  const { admitted } = state;
  return async function sandboxFaults(c, next) {
    const url = new URL(c.req.url);
    stats.arrived(operationOf(c.req.method, url.pathname, url));
    const faults = state.current();
    if (faults.outage) {
      stats.rejected('outage');
      return c.json({ error: 'ERP is down for maintenance' }, 503);
    }

    const now = options.clock();
    while (admitted.length > 0 && (admitted[0] as number) <= now - 1000) admitted.shift();
    let retryAfterSeconds: number | null = null;
    if (faults.maxConcurrent !== null && stats.inFlight >= faults.maxConcurrent) {
      retryAfterSeconds = 1;
    } else if (faults.rps !== null && admitted.length >= faults.rps) {
      retryAfterSeconds = Math.max(1, Math.ceil(((admitted[0] as number) + 1000 - now) / 1000));
    }
    if (retryAfterSeconds !== null) {
      stats.rejected('rateLimited');
      c.header('Retry-After', String(retryAfterSeconds));
      return c.json({ error: 'Too many requests: slow down and retry after the delay given' }, 429);
    }

    admitted.push(now);
    stats.enter();
    c.set('sandboxDeadline', now + faults.maxRequestMs);
    try {
      const delay = faults.latencyMs + (faults.jitterMs > 0 ? options.random() * faults.jitterMs : 0);
      if (delay > 0) {
        // Past its limit the ERP stops working on the request: it is abandoned when the limit
        // comes, decided from the delay, not by comparing clocks a timer may fire a millisecond early.
        const overruns = delay >= faults.maxRequestMs;
        await new Promise((resolve) => setTimeout(resolve, overruns ? faults.maxRequestMs : delay));
        if (overruns) return abandoned(c, stats);
      }
      if (faults.errorRate > 0 && options.random() < faults.errorRate) {
        stats.rejected('error');
        return c.json({ error: 'Internal server error (simulated)' }, 500);
      }
      await next();
    } finally {
      stats.leave();
    }
  };
}

/** The context variable the faults leave for the routes: when the request's time runs out. */
export interface SandboxVariables {
  /** Epoch ms past which the ERP abandons this request (its `maxRequestMs` from arrival). */
  sandboxDeadline: number;
}

/** 503 for a request that ran past the ERP's own limit: abandoned, nothing committed. */
export function abandoned(c: Context, stats: Pick<Stats, 'rejected'>): Response {
  stats.rejected('timeLimit');
  return c.json({ error: "The request ran past the ERP's time limit and was abandoned; nothing was committed" }, 503);
}

/** `path: message` for the first problem of a refused fault patch, e.g. `errorRate: ...`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid faults';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
