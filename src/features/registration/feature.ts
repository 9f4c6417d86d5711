/**
 * Company registration: a signed-in user of no company registers one (`registerCompany`),
 * operations review the application (`companyApplications`, `approveCompanyApplication`,
 * `rejectCompanyApplication`), and an approved one is created in the ERP as a customer exactly
 * once (capability `accounts`), through its own outbox with the order queue's rules, retried while
 * the ERP is down. Its contact then becomes the company's admin (`onCompanyCreated`).
 *
 * Served where the backends keep applications durably and the connector can create customers;
 * elsewhere its fields answer FORBIDDEN.
 *
 * @module
 */
import type { Feature } from '../feature.ts';
import { AccountDispatcher, type OnCompanyCreated } from './account-dispatcher.ts';
import { CompanyApplication, RegistrationMutations, RegistrationQueries, type RegistrationServices } from './resolvers.ts';
import { registrationTypeDefs } from './schema.ts';

declare module '../../transport/graphql/context.ts' {
  interface GraphQLServices {
    /** Company registrations; absent where nothing is durable or the ERP creates no customers. */
    registration?: RegistrationServices;
  }
}

export interface RegistrationFeatureOptions {
  /**
   * Called once the ERP has the new customer, with the subject who becomes its admin; must be
   * idempotent (it runs again should marking the application fail). Default: the company
   * directory's `designateAdmin` (the company feature, set up before this one), else nothing.
   */
  onCompanyCreated?: OnCompanyCreated;
}

export function createRegistrationFeature(options: RegistrationFeatureOptions = {}): Feature {
  return {
    name: 'registration',
    typeDefs: registrationTypeDefs,
    resolvers: { Query: RegistrationQueries, Mutation: RegistrationMutations, CompanyApplication },
    setup({ env, backends, erp, clock, logger, instanceId, services }) {
      const store = backends.applications;
      if (!store || !erp.supports('accounts')) return {};
      // The applicant administers the company they registered (idempotent: the role is added once).
      const directory = services.company?.directory;
      const onCompanyCreated: OnCompanyCreated =
        options.onCompanyCreated ??
        (async (customerId, adminSubject) => {
          if (directory) await directory.designateAdmin(customerId, adminSubject, 'registration');
        });
      const dispatcher = new AccountDispatcher({
        store,
        erp,
        clock,
        logger: logger.child({ job: 'account-creation' }),
        owner: instanceId,
        defaults: { priceListId: env.NEW_CUSTOMER_PRICE_LIST ?? null, paymentTermsCode: env.NEW_CUSTOMER_PAYMENT_TERMS ?? null },
        onCreated: onCompanyCreated,
        leaseMs: env.ORDER_LEASE_SECONDS * 1000,
        maxRequestMs: env.ERP_MAX_REQUEST_SECONDS * 1000,
      });
      const registration: RegistrationServices = { store, dispatcher, clock, maxOpenPerUser: env.REGISTRATION_MAX_OPEN_PER_USER, audit: backends.audit };
      return { services: { registration }, jobs: [dispatcher.job()] };
    },
  };
}

export const registrationFeature: Feature = createRegistrationFeature();
