/**
 * Company accounts: the ERP customer as a company whose buyers erpfront keeps in a directory
 * (roles ADMIN, APPROVER, BUYER; order and monthly limits; allowed ship-tos), its approval rules,
 * and the approval of orders that need it — a gate in the order pipeline, the decisions, and a
 * sweep that expires approvals and finishes interrupted steps. Set up after orders (it gates
 * theirs); where the backends take no orders, only the directory is served.
 *
 * @module
 */
import type { Job } from '../../ports/scheduler.ts';
import type { Feature } from '../feature.ts';
import { CompanyMutations, CompanyQueries, Company, OrderApprovalField, ViewerCompany } from './resolvers.ts';
import { companyTypeDefs } from './schema.ts';
import { createApprovalGate } from './services/approval-gate.ts';
import { sweepApprovals, type ApprovalDeps } from './services/approvals.ts';
import { CompanyDirectory } from './services/company-directory.ts';

declare module '../../transport/graphql/context.ts' {
  interface GraphQLServices {
    /** The company directory and approvals; absent where orders are not served. */
    company?: ApprovalDeps;
  }
}

/** Orders waiting for approval looked at per sweep. */
const SWEEP_BATCH = 500;

export const companyFeature: Feature = {
  name: 'company',
  typeDefs: companyTypeDefs,
  resolvers: { Viewer: ViewerCompany, Company, Query: CompanyQueries, Mutation: CompanyMutations, Order: OrderApprovalField },
  setup({ env, backends, clock, services, logger }) {
    const orders = services.orders;
    if (!orders) return {};
    const directory = new CompanyDirectory(backends.companies, clock, { log: backends.audit, logger });
    // The order pipeline asks the gate before it writes an order (see place-order.ts).
    orders.approvals = createApprovalGate({ directory, orders: orders.store, clock, ttlMs: env.APPROVAL_TTL_SECONDS * 1000 });
    const company: ApprovalDeps = { directory, orders };
    const jobs: Job[] = [
      { name: 'approval-sweep', intervalMs: env.APPROVAL_SWEEP_SECONDS * 1000, tick: async () => void (await sweepApprovals(company, { limit: SWEEP_BATCH })) },
    ];
    return { services: { company }, jobs };
  },
};
