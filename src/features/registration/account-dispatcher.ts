/**
 * Creates approved companies in the ERP as customers, exactly once each: the outbox of company
 * registrations, with the order dispatcher's rules (`features/orders/services/order-dispatcher.ts`).
 *
 * Approved applications are leased from the store, and each lease counts an attempt. One in doubt
 * (an earlier attempt may have reached the ERP: a timeout, a lost reply, a crash mid-call) is looked
 * up by its external reference (the application id) before it is sent again: found, it is
 * `CREATED` with the ERP's customer id; not found is trusted only once no earlier attempt can
 * still commit (`maxRequestMs` past its `sentBefore`), and until then it waits. A holder records
 * that it is about to send (`markSending`) and never sends past its lease. An ERP that refuses a
 * second customer with one reference (`ERP_DUPLICATE_REF`) settles the doubt itself. While the ERP
 * is down, approved applications stay `APPROVED` and are retried with backoff; the ERP budget and
 * breaker in front of the connector keep the retries within its limits.
 *
 * Once the customer exists, `onCreated` (the company directory: the contact becomes the company's
 * admin) runs before the application is marked `CREATED`: should it fail, the next attempt finds
 * the customer by its reference and runs it again, so it must be idempotent.
 *
 * @module
 */
import type { ApplicationStore, StoredApplication } from '../../ports/application-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ErpConnector, NewCustomerRequest } from '../../ports/erp-connector.ts';
import { ErpError } from '../../ports/erp-error.ts';
import { erpErrorClass } from '../../ports/erp/error-classes.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Job, JobHandle } from '../../ports/scheduler.ts';
import { loggableError } from '../../domain/loggable-error.ts';

/** Called once the ERP has the customer; must be idempotent (it runs again if marking fails). */
export type OnCompanyCreated = (customerId: string, adminSubject: string, application: StoredApplication) => Promise<void>;

export interface AccountDispatcherOptions {
  store: ApplicationStore;
  /** The guarded connector (budget and breaker in front). */
  erp: ErpConnector;
  clock: Clock;
  logger: Logger;
  /** Who holds the leases (unique per process). */
  owner: string;
  /** What the ERP gives every new customer (configuration). */
  defaults: { priceListId: string | null; paymentTermsCode: string | null };
  onCreated: OnCompanyCreated;
  /** A lease outlives a stuck call by this much (default 30 s). */
  leaseMs?: number;
  /** How often an idle dispatcher looks for due applications (default 1 s). */
  pollMs?: number;
  /** Backoff between attempts, with jitter: first delay and ceiling (1 s, 60 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** The ERP's own time limit on a request (ERP_MAX_REQUEST_SECONDS); default 60 s. */
  maxRequestMs?: number;
  /** Kept free at the end of a lease and added to `maxRequestMs` (clock skew, the send itself). Default 1 s. */
  sendGraceMs?: number;
  /** Applications created at once (default 2): registrations are few, orders go first. */
  concurrency?: number;
}

/** What a failed attempt means, after the `ErpError` table. */
function classify(error: unknown): { refused: boolean; delivered: 'no' | 'maybe'; pauseMs: number } {
  if (error instanceof ErpError) {
    const { order, pausesOrders } = erpErrorClass(error.code);
    if (order === 'rejected') return { refused: true, delivered: 'no', pauseMs: 0 };
    if (order === 'unsent' || error.unsent) return { refused: false, delivered: 'no', pauseMs: pausesOrders ? (error.retryAfterMs ?? 1000) : 0 };
  }
  return { refused: false, delivered: 'maybe', pauseMs: 0 };
}

export class AccountDispatcher {
  readonly #o: Required<AccountDispatcherOptions>;
  #inFlight = 0;
  #pausedUntil = 0;
  #handle: JobHandle | null = null;
  readonly #active = new Set<Promise<void>>();

  constructor(options: AccountDispatcherOptions) {
    this.#o = {
      leaseMs: 30_000,
      pollMs: 1000,
      retryBaseMs: 1000,
      retryMaxMs: 60_000,
      maxRequestMs: 60_000,
      sendGraceMs: 1000,
      concurrency: 2,
      ...options,
    };
  }

  job(): Job {
    return {
      name: 'account-creation',
      intervalMs: this.#o.pollMs,
      tick: () => this.tick(),
      scheduled: (handle) => {
        this.#handle = handle;
      },
      drain: () => this.drain(),
    };
  }

  /** Looks for due applications now (one was just approved). */
  wake(): void {
    this.#handle?.runNow();
  }

  async drain(): Promise<void> {
    await Promise.all(this.#active);
  }

  /** One lease round; resolves to the ms until the next. */
  async tick(): Promise<number> {
    const now = this.#o.clock.now();
    const free = this.#o.concurrency - this.#inFlight;
    if (free > 0 && now >= this.#pausedUntil) {
      let leased: StoredApplication[] = [];
      try {
        leased = await this.#o.store.lease(this.#o.owner, { now, limit: free, leaseMs: this.#o.leaseMs });
      } catch (error) {
        this.#o.logger.error('leasing company applications failed', { err: loggableError(error) });
      }
      for (const application of leased) this.#start(application, now + this.#o.leaseMs);
    }
    return Math.max(this.#o.pollMs, Math.min(this.#pausedUntil - this.#o.clock.now(), this.#o.pollMs * 4));
  }

  #start(application: StoredApplication, leaseEnd: number): void {
    this.#inFlight++;
    const task = this.#attempt(application, leaseEnd)
      .catch((error: unknown) =>
        this.#o.logger.error(`company application ${application.id} could not be updated`, { applicationId: application.id, err: loggableError(error) }),
      )
      .finally(() => {
        this.#inFlight--;
        this.#active.delete(task);
      });
    this.#active.add(task);
  }

  async #attempt(application: StoredApplication, leaseEnd: number): Promise<void> {
    const { store, erp, clock } = this.#o;
    const log = this.#o.logger.child({ applicationId: application.id });
    const options = { priority: 'order' as const, log };
    let inDoubt = application.inDoubt;
    let sent = false;
    try {
      if (inDoubt) {
        const existing = await erp.findCustomerByExternalRef(application.id, options);
        if (existing) return await this.#created(application, existing.id, log);
        const settledAt = application.sentBefore === null ? 0 : application.sentBefore + this.#o.maxRequestMs + this.#o.sendGraceMs;
        if (clock.now() < settledAt) {
          // Not there yet, but the last attempt may still commit: look again once it cannot.
          await store.markRetry(
            application.id,
            {
              error: 'Waiting for the ERP to finish (or abandon) an earlier attempt before sending again',
              nextAttemptAt: settledAt,
              inDoubt: true,
              owner: this.#o.owner,
            },
            clock.now(),
          );
          log.info('company application waits for an earlier attempt to settle', { nextAttemptAt: new Date(settledAt).toISOString() });
          return;
        }
        inDoubt = false;
      }
      // Recorded before the send: should this process die mid-call, whoever takes it over knows.
      if (!(await store.markSending(application.id, this.#o.owner, leaseEnd))) return;
      sent = true;
      const created = await this.#create(application, leaseEnd, log);
      await this.#created(application, created.id, log);
    } catch (error) {
      const verdict = classify(error);
      const message = error instanceof Error ? error.message : String(error);
      const now = clock.now();
      if (verdict.refused) {
        const reason = (error as ErpError).reason ?? 'REJECTED';
        await store.markErpRefused(application.id, { reason, message }, now);
        log.warn('company application refused by the ERP', { status: 'ERP_REFUSED', reason, err: loggableError(error) });
        return;
      }
      if (verdict.pauseMs > 0) this.#pausedUntil = now + verdict.pauseMs;
      const delay = verdict.pauseMs > 0 ? verdict.pauseMs : this.#backoff(application.attempts);
      const maybeSent = sent && verdict.delivered === 'maybe';
      // The ERP's own error answer ends its request: in doubt, but nothing can commit later.
      const stillRunning = maybeSent && !(error instanceof ErpError && error.answered);
      await store.markRetry(
        application.id,
        {
          error: message,
          nextAttemptAt: now + delay,
          inDoubt: inDoubt || maybeSent,
          ...(stillRunning ? { sentBefore: Math.min(now, leaseEnd) } : {}),
          owner: this.#o.owner,
        },
        now,
      );
      log.info('company application queued for another attempt', {
        status: 'APPROVED',
        attempts: application.attempts,
        inDoubt: inDoubt || maybeSent,
        retryInMs: delay,
        err: loggableError(error),
      });
    }
  }

  /** Sends the create within the lease; a duplicate refusal means an earlier attempt got there. */
  async #create(application: StoredApplication, leaseEnd: number, log: Logger): Promise<{ id: string }> {
    const { erp, defaults } = this.#o;
    const request: NewCustomerRequest = {
      externalRef: application.id,
      name: application.companyName,
      taxId: application.taxId,
      addresses: application.addresses,
      contact: { name: application.contact.name, email: application.contact.email },
      priceListId: defaults.priceListId,
      paymentTermsCode: defaults.paymentTermsCode,
    };
    try {
      return await erp.createCustomer(request, { priority: 'order', sendBy: leaseEnd - this.#o.sendGraceMs, log });
    } catch (error) {
      if (!(error instanceof ErpError && error.code === 'ERP_DUPLICATE_REF')) throw error;
      const existing = await erp.findCustomerByExternalRef(application.id, { priority: 'order', log });
      if (!existing)
        throw new ErpError('ERP_UNAVAILABLE', `createCustomer: the ERP refused ${application.id} as a duplicate but does not find it by reference yet`, {
          cause: error,
          operation: 'createCustomer',
        });
      return existing;
    }
  }

  async #created(application: StoredApplication, customerId: string, log: Logger): Promise<void> {
    // The directory first: should it fail, the application stays APPROVED (in doubt) and the next
    // attempt finds the customer by its reference and tries the directory again.
    await this.#o.onCreated(customerId, application.contact.subject, application);
    await this.#o.store.markCreated(application.id, customerId, this.#o.clock.now());
    this.#pausedUntil = 0;
    log.info('company created in the ERP', { status: 'CREATED', customerId, attempts: application.attempts });
  }

  #backoff(attempts: number): number {
    const ceiling = Math.min(this.#o.retryMaxMs, this.#o.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}
