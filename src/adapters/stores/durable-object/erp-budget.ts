/**
 * The ERP budget on Cloudflare: one global Durable Object (`ErpBudgetObject`, named `erp`) holds
 * the budget every isolate of the Worker draws on: the in-process budget (`../memory/erp-budget.ts`:
 * the token bucket, the concurrency limit, strict priority, FIFO within one, 429 pauses) run in
 * one place. A caller's `acquire` is one RPC that the object answers when the permit is granted,
 * so an order waiting in one isolate goes before reads waiting in all the others.
 *
 * Permits are leased (`leaseMs`, default 60 s, well above an ERP call's time limit): the permit of
 * an isolate that died mid-call frees itself instead of shrinking the ERP's allowance for ever.
 * A 429 pause is also written to the object's storage, so it outlives the object's eviction.
 * While the object cannot be reached, an isolate serves from a share of the limits of its own
 * (`fallbackShare`): the ERP stays protected, and reads keep being served.
 *
 * @module
 */
import { DurableObject, type DurableObjectNamespace, type DurableObjectState } from 'cloudflare:workers';
import type { BackgroundWork } from '../../../services/background-work.ts';
import type { ErpBudget, ErpBudgetSnapshot, ErpPermit } from '../../../ports/erp-budget.ts';
import { ERP_PRIORITIES } from '../../../ports/erp-budget.ts';
import type { ErpPriority } from '../../../ports/erp-connector.ts';
import { loggableError } from '../../../domain/loggable-error.ts';
import { silentLogger, type Logger } from '../../../ports/logger.ts';
import { createMemoryErpBudget } from '../memory/erp-budget.ts';

/** The limits every caller sends along: the object takes them from its callers' configuration. */
export interface ErpBudgetLimits {
  requestsPerSecond: number;
  maxConcurrent: number;
  /** How long a granted permit stays counted without a release. */
  leaseMs: number;
}

/** The Durable Object class of wrangler.toml's `ERP_BUDGET` binding. */
export class ErpBudgetObject extends DurableObject {
  #budget: ErpBudget | null = null;
  #limits = '';
  readonly #waits = new Map<string, AbortController>();
  readonly #permits = new Map<string, { permit: ErpPermit; lease: ReturnType<typeof setTimeout> }>();

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS erp_budget_pause (id INTEGER PRIMARY KEY CHECK (id = 1), until INTEGER NOT NULL)');
  }

  /**
   * Waits for a permit (RPC); its id, or `null` when the wait was abandoned first. `pauseMs`: the
   * pause the caller knows of (its own `pauseFor` may not have arrived yet: calls on separate stubs
   * are not ordered).
   */
  async acquire(waitId: string, priority: ErpPriority, limits: ErpBudgetLimits, pauseMs = 0): Promise<string | null> {
    if (pauseMs > 0) this.pauseFor(pauseMs, limits);
    const budget = this.#budgetFor(limits);
    const abandon = new AbortController();
    this.#waits.set(waitId, abandon);
    let permit: ErpPermit;
    try {
      permit = await budget.acquire(priority, abandon.signal);
    } catch {
      return null;
    } finally {
      this.#waits.delete(waitId);
    }
    const id = crypto.randomUUID();
    this.#permits.set(id, { permit, lease: setTimeout(() => this.release(id), limits.leaseMs) });
    return id;
  }

  /** The caller gave up waiting (RPC): it leaves the line, never granted. */
  abandon(waitId: string): void {
    this.#waits.get(waitId)?.abort();
  }

  /** Gives permit `id` back (RPC); idempotent. */
  release(id: string): void {
    const held = this.#permits.get(id);
    if (!held) return;
    this.#permits.delete(id);
    clearTimeout(held.lease);
    held.permit.release();
  }

  /** Holds every new grant for `ms` (RPC), and keeps the pause across an eviction of the object. */
  pauseFor(ms: number, limits: ErpBudgetLimits): void {
    if (!(ms > 0)) return;
    this.#budgetFor(limits).pauseFor(ms);
    this.ctx.storage.sql.exec(
      'INSERT INTO erp_budget_pause (id, until) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET until = MAX(until, excluded.until)',
      Date.now() + ms,
    );
  }

  /** The budget for these limits; a deployment that changed them starts a new one. */
  #budgetFor(limits: ErpBudgetLimits): ErpBudget {
    const key = `${limits.requestsPerSecond}/${limits.maxConcurrent}`;
    if (this.#budget && this.#limits === key) return this.#budget;
    this.#budget = createMemoryErpBudget({ requestsPerSecond: limits.requestsPerSecond, maxConcurrent: limits.maxConcurrent });
    this.#limits = key;
    const paused = this.ctx.storage.sql.exec<{ until: number }>('SELECT until FROM erp_budget_pause WHERE id = 1').toArray()[0];
    if (paused && paused.until > Date.now()) this.#budget.pauseFor(paused.until - Date.now());
    return this.#budget;
  }
}

/** The RPC surface of {@link ErpBudgetObject}. */
interface BudgetStub {
  acquire(waitId: string, priority: ErpPriority, limits: ErpBudgetLimits, pauseMs: number): Promise<string | null>;
  abandon(waitId: string): Promise<void>;
  release(id: string): Promise<void>;
  pauseFor(ms: number, limits: ErpBudgetLimits): Promise<void>;
}

export interface DurableObjectErpBudgetOptions {
  /** The object's name (default `erp`): every isolate talking to one ERP uses the same. */
  name?: string;
  requestsPerSecond: number;
  maxConcurrent: number;
  /** Default 60 s. */
  leaseMs?: number;
  /** While the object is unreachable, this isolate takes 1/`fallbackShare` of the limits (default 4). */
  fallbackShare?: number;
  logger?: Logger;
  /**
   * Keeps the calls nobody waits for (releases, abandons, pauses) alive past the answer of the
   * request that made them: on Workers, one cancelled release would hold its permit for a whole lease.
   */
  background?: BackgroundWork;
}

/** The budget of this isolate's callers, drawn from the global object. */
export function createDurableObjectErpBudget(namespace: DurableObjectNamespace, options: DurableObjectErpBudgetOptions): ErpBudget {
  const id = namespace.idFromName(options.name ?? 'erp');
  const limits: ErpBudgetLimits = { requestsPerSecond: options.requestsPerSecond, maxConcurrent: options.maxConcurrent, leaseMs: options.leaseMs ?? 60_000 };
  createMemoryErpBudget(limits); // validates the limits here, where a mistake is configuration's
  // A stub per call: a stub belongs to the request that made it, and this budget serves them all.
  const object = () => namespace.get(id) as BudgetStub;
  const waiting = Object.fromEntries(ERP_PRIORITIES.map((p) => [p, 0])) as Record<ErpPriority, number>;
  let inFlight = 0;
  let pausedUntil: number | null = null;
  let fallback: ErpBudget | null = null;
  /** Sends a call nobody waits for; its failure is the lease's to repair (released permits, abandoned waits run out). */
  const send = (call: Promise<unknown>) => {
    const sent = call.catch(() => {});
    options.background?.track(sent);
  };

  const local = (error: unknown) => {
    if (!fallback) {
      const share = Math.max(1, options.fallbackShare ?? 4);
      (options.logger ?? silentLogger).warn(`ERP budget falls back to this isolate's share (1/${share}): the budget's Durable Object is unreachable`, {
        share,
        err: loggableError(error),
      });
      fallback = createMemoryErpBudget({
        requestsPerSecond: limits.requestsPerSecond / share,
        maxConcurrent: Math.max(1, Math.floor(limits.maxConcurrent / share)),
        burst: Math.max(1, limits.requestsPerSecond / share),
      });
    }
    return fallback;
  };

  const permit = (release: () => void): ErpPermit => {
    let released = false;
    inFlight += 1;
    return {
      release() {
        if (released) return;
        released = true;
        inFlight -= 1;
        release();
      },
    };
  };

  return {
    acquire(priority, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      waiting[priority] += 1;
      const waitId = crypto.randomUUID();
      return new Promise<ErpPermit>((resolve, reject) => {
        let settled = false;
        const settle = () => {
          settled = true;
          waiting[priority] -= 1;
          signal?.removeEventListener('abort', onAbort);
        };
        const onAbort = () => {
          if (settled) return;
          settle();
          send(object().abandon(waitId));
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        object()
          .acquire(waitId, priority, limits, pausedUntil === null ? 0 : pausedUntil - Date.now())
          .then(
            (permitId) => {
              // Granted after the caller left: straight back.
              if (settled) {
                if (permitId) send(object().release(permitId));
                return;
              }
              settle();
              if (permitId === null) return reject(signal?.reason ?? new Error('ERP budget: the wait was abandoned'));
              fallback = null;
              resolve(permit(() => send(object().release(permitId))));
            },
            (error: unknown) => {
              if (settled) return;
              settle();
              local(error)
                .acquire(priority, signal)
                .then((inner) => resolve(permit(() => inner.release())), reject);
            },
          );
      });
    },

    pauseFor(ms) {
      if (!(ms > 0)) return;
      const until = Date.now() + ms;
      if (pausedUntil === null || pausedUntil < until) pausedUntil = until;
      fallback?.pauseFor(ms);
      send(object().pauseFor(ms, limits));
    },

    snapshot(): ErpBudgetSnapshot {
      return { inFlight, waiting: { ...waiting }, pausedUntil: pausedUntil !== null && pausedUntil > Date.now() ? pausedUntil : null };
    },
  };
}
