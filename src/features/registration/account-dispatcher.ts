/**
 * Creates approved companies in the ERP as customers, exactly once each: the company
 * registrations' outbox, run by the one ERP-write machinery (`services/outbox/outbox-dispatcher.ts`,
 * `WriteDispatcher`) over the application store.
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
import type { Logger } from '../../ports/logger.ts';
import type { Job } from '../../ports/scheduler.ts';
import { WriteDispatcher, type DispatcherTiming, type OutboxHandler, type WriteQueue } from '../../services/outbox/outbox-dispatcher.ts';

/** Called once the ERP has the customer; must be idempotent (it runs again if marking fails). */
export type OnCompanyCreated = (customerId: string, adminSubject: string, application: StoredApplication) => Promise<void>;

export interface AccountDispatcherOptions extends DispatcherTiming {
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
}

/** The application store as a queue of ERP writes: done is `CREATED` with the customer id, refused is `ERP_REFUSED`. */
function applicationQueue(store: ApplicationStore): WriteQueue<StoredApplication> {
  return {
    lease: (owner, options) => store.lease(owner, options),
    markSending: (id, owner, sendingUntil) => store.markSending(id, owner, sendingUntil),
    markDone: (id, result, now) => store.markCreated(id, String(result.customerId), now),
    markRetry: (id, retry, now) => store.markRetry(id, retry, now),
    markRefused: (id, refusal, now) => store.markErpRefused(id, refusal, now),
  };
}

/** How an application becomes a customer in the ERP. */
function customerHandler(options: AccountDispatcherOptions): OutboxHandler<StoredApplication> {
  const { erp, defaults } = options;
  return {
    async send(application, { sendBy, log }) {
      const request: NewCustomerRequest = {
        externalRef: application.id,
        name: application.companyName,
        taxId: application.taxId,
        addresses: application.addresses,
        contact: { name: application.contact.name, email: application.contact.email },
        priceListId: defaults.priceListId,
        paymentTermsCode: defaults.paymentTermsCode,
      };
      const created = await erp.createCustomer(request, { priority: 'order', sendBy, log });
      return { customerId: created.id };
    },
    async find(application, { log }) {
      const existing = await erp.findCustomerByExternalRef(application.id, { priority: 'order', log });
      return existing ? { customerId: existing.id } : null;
    },
    // The directory first: should it fail, the application stays APPROVED (in doubt) and the next
    // attempt finds the customer by its reference and tries the directory again.
    beforeDone: (application, result) => options.onCreated(String(result.customerId), application.contact.subject, application),
  };
}

export class AccountDispatcher {
  readonly #writes: WriteDispatcher<StoredApplication>;

  constructor(options: AccountDispatcherOptions) {
    const { store, erp: _erp, defaults: _defaults, onCreated: _onCreated, ...rest } = options;
    const handler = customerHandler(options);
    this.#writes = new WriteDispatcher<StoredApplication>({
      ...rest,
      queue: applicationQueue(store),
      handlerFor: () => handler,
      jobName: 'account-creation',
      what: 'company application',
      logFields: (application) => ({ applicationId: application.id }),
    });
  }

  job(): Job {
    return this.#writes.job();
  }

  /** Looks for due applications now (one was just approved). */
  wake(): void {
    this.#writes.wake();
  }

  drain(): Promise<void> {
    return this.#writes.drain();
  }

  /** One lease round; resolves to the ms until the next. */
  tick(): Promise<number> {
    return this.#writes.tick();
  }
}
