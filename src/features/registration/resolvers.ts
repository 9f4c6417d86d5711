/**
 * Registration resolvers: an applicant registers a company and follows their applications;
 * operations list, approve and reject them. The access policy decides first, so a caller refused
 * is told so whatever the id or the input.
 *
 * @module
 */
import { DomainError } from '../../domain/errors.ts';
import type { UserError } from '../../domain/orders/order-input.ts';
import { APPLICATION_STATUSES, type ApplicationStatus, type ApplicationStore, type StoredApplication } from '../../ports/application-store.ts';
import type { AuditLog } from '../../ports/audit-log.ts';
import { auditAction } from '../../services/ops-audit.ts';
import type { Clock } from '../../ports/clock.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import { decodeCursor, encodeCursor, pageSize } from '../../transport/graphql/cursor.ts';
import { allows, authorize } from '../../transport/graphql/guards.ts';
import type { AccountDispatcher } from './account-dispatcher.ts';
import { validateRegistration, type RegisterCompanyInput } from './application-input.ts';

/** What the feature adds to the GraphQL context. */
export interface RegistrationServices {
  store: ApplicationStore;
  dispatcher: AccountDispatcher;
  clock: Clock;
  /** Registrations one user may have waiting (SUBMITTED or APPROVED) at once. */
  maxOpenPerUser: number;
  /** Where operators' decisions on applications are recorded, with every other ops action. */
  audit: AuditLog;
}

/** A rejection reason: what the applicant is shown. */
const MAX_REASON = 500;

function services(context: GraphQLContext): RegistrationServices {
  const found = context.services.registration;
  if (!found)
    throw new DomainError(
      'FORBIDDEN',
      'Company registration is not available on this deployment: it keeps nothing durable, or its ERP connector cannot create customers.',
    );
  return found;
}

const notFound = (id: string): UserError => ({ code: 'APPLICATION_NOT_FOUND', message: `No company application ${id}.`, field: ['id'] });

/** What operations see of an application; the applicant sees the same less the ERP's words. */
export const CompanyApplication = {
  lastError: (application: StoredApplication, _: unknown, context: GraphQLContext): string | null =>
    application.lastError === null || allows(context, 'companyApplication.review', { customerId: null })
      ? application.lastError
      : 'The company could not be created in the ERP yet; operations have been told.',
};

async function review(context: GraphQLContext, id: string, decide: (deps: RegistrationServices) => Promise<StoredApplication | null>, verb: string) {
  authorize(context, 'companyApplication.review', { customerId: null });
  const deps = services(context);
  const before = await deps.store.get(id);
  if (!before) return { application: null, userErrors: [notFound(id)] };
  const after = await decide(deps);
  const action = verb === 'approved' ? 'companyApplication.approve' : 'companyApplication.reject';
  const record = (result: 'ok' | 'refused', detail: string) =>
    auditAction(
      deps.audit,
      { at: new Date(deps.clock.now()).toISOString(), actor: context.principal.subject, action, target: id, result, detail },
      context.log,
    );
  if (!after) {
    const allowed = verb === 'approved' ? 'SUBMITTED or ERP_REFUSED' : 'SUBMITTED';
    await record('refused', `${before.companyName}: the application is ${before.status}; only ${allowed} applications can be ${verb}.`);
    return {
      application: before,
      userErrors: [
        { code: 'INVALID_APPLICATION_STATE', message: `Application ${id} is ${before.status}; only ${allowed} applications can be ${verb}.`, field: ['id'] },
      ],
    };
  }
  // An operator's decision, in the log with who made it.
  context.log.info(`company application ${verb}`, { applicationId: id, from: before.status, status: after.status, by: context.principal.subject });
  await record('ok', `${before.companyName}: ${before.status} → ${after.status}`);
  if (after.status === 'APPROVED') deps.dispatcher.wake();
  return { application: after, userErrors: [] };
}

export const RegistrationQueries = {
  companyApplications: async (
    _: unknown,
    args: { status?: ApplicationStatus | null; first?: number | null; after?: string | null },
    context: GraphQLContext,
  ) => {
    authorize(context, 'companyApplication.review', { customerId: null });
    const first = pageSize(args.first, 20, 100);
    // The cursor carries the last application's sequence number: pages stay put as new ones arrive.
    const afterSeq = decodeCursor('offset', args.after) ?? 0;
    const status = args.status && APPLICATION_STATUSES.includes(args.status) ? args.status : undefined;
    const page = await services(context).store.list({ status, afterSeq, limit: first });
    const edges = page.applications.map((node) => ({ cursor: encodeCursor('offset', node.seq), node }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasMore, hasPreviousPage: afterSeq > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    };
  },

  myCompanyApplications: async (_: unknown, __: unknown, context: GraphQLContext) => {
    authorize(context, 'company.register', { customerId: null });
    return services(context).store.listByApplicant(context.principal.subject, { limit: 20 });
  },
};

export const RegistrationMutations = {
  registerCompany: async (_: unknown, args: { input: RegisterCompanyInput }, context: GraphQLContext) => {
    authorize(context, 'company.register', { customerId: null });
    const deps = services(context);
    const applicant = context.principal.subject;
    const checked = validateRegistration(args.input, applicant);
    if ('userErrors' in checked) return { application: null, userErrors: checked.userErrors };
    const open = (await deps.store.listByApplicant(applicant, { limit: deps.maxOpenPerUser + 20 })).filter(
      (a) => a.status === 'SUBMITTED' || a.status === 'APPROVED',
    );
    if (open.length >= deps.maxOpenPerUser) {
      return {
        application: null,
        userErrors: [
          {
            code: 'TOO_MANY_OPEN_APPLICATIONS',
            message: `You have ${open.length} registrations waiting for review; wait for them to be decided before sending another.`,
            field: [],
          },
        ],
      };
    }
    const same = open.find((a) => a.taxId.toLowerCase() === checked.application.taxId.toLowerCase());
    if (same) {
      return {
        application: same,
        userErrors: [{ code: 'DUPLICATE_APPLICATION', message: `Your registration ${same.id} for this tax id is ${same.status} already.`, field: ['taxId'] }],
      };
    }
    const application = await deps.store.insert(checked.application, { applicant, now: deps.clock.now() });
    context.log.info('company registered', { applicationId: application.id, applicant });
    return { application, userErrors: [] };
  },

  approveCompanyApplication: (_: unknown, args: { id: string }, context: GraphQLContext) =>
    review(context, args.id, (deps) => deps.store.review(args.id, { decision: 'APPROVE', by: context.principal.subject }, deps.clock.now()), 'approved'),

  rejectCompanyApplication: async (_: unknown, args: { id: string; reason: string }, context: GraphQLContext) => {
    authorize(context, 'companyApplication.review', { customerId: null });
    const reason = args.reason.trim();
    if (reason === '' || reason.length > MAX_REASON || !reason.isWellFormed()) {
      return { application: null, userErrors: [{ code: 'INVALID_INPUT', message: `reason must be 1 to ${MAX_REASON} characters.`, field: ['reason'] }] };
    }
    return review(
      context,
      args.id,
      (deps) => deps.store.review(args.id, { decision: 'REJECT', by: context.principal.subject, reason }, deps.clock.now()),
      'rejected',
    );
  },
};
