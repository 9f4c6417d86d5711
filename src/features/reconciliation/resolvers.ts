/**
 * Reconciliation resolvers: the findings and the last run for operations, and a run on demand.
 * The access policy decides first, so a caller refused is told so on any deployment.
 *
 * @module
 */
import { DomainError } from '../../domain/errors.ts';
import { FINDING_KINDS, type Finding, type FindingStore, type ReconciliationRunRecord } from '../../ports/finding-store.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import { pageSize } from '../../transport/graphql/cursor.ts';
import { authorize } from '../../transport/graphql/guards.ts';
import type { ReconciliationRuns, RunOutcome } from './reconciliation-runs.ts';

/** What the feature adds to the GraphQL context. */
export interface ReconciliationServices {
  runs: ReconciliationRuns;
  findings: FindingStore;
}

/** The `Reconciliation` object: the store, and the last run read once however many fields ask. */
interface ReconciliationParent {
  findings: FindingStore;
  lastRun(): Promise<ReconciliationRunRecord | null>;
}

interface RunView {
  ran: boolean;
  skipped: string | null;
  startedAt: string;
  finishedAt: string | null;
  ordersChecked: number;
  ordersUnchecked: number;
  findingsOpened: number;
  findingsResolved: number;
  requeued: string[];
}

function services(context: GraphQLContext): ReconciliationServices {
  const found = context.services.reconciliation;
  if (!found) throw new DomainError('FORBIDDEN', 'Reconciliation is not available on this deployment: it keeps no orders.');
  return found;
}

const ranView = (run: ReconciliationRunRecord): RunView => ({ ran: true, skipped: null, ...run });

function outcomeView(outcome: RunOutcome): RunView {
  if (outcome.ran) return ranView(outcome.run);
  return {
    ran: false,
    skipped: outcome.skipped,
    startedAt: outcome.startedAt,
    finishedAt: null,
    ordersChecked: 0,
    ordersUnchecked: 0,
    findingsOpened: 0,
    findingsResolved: 0,
    requeued: [],
  };
}

export const ReconciliationQueries = {
  reconciliation: (_: unknown, __: unknown, context: GraphQLContext): ReconciliationParent => {
    authorize(context, 'reconciliation.read', { customerId: null });
    const { findings } = services(context);
    let last: Promise<ReconciliationRunRecord | null> | null = null;
    return { findings, lastRun: () => (last ??= findings.lastRun()) };
  },
};

export const Reconciliation = {
  lastRunAt: async (parent: ReconciliationParent) => (await parent.lastRun())?.finishedAt ?? null,
  lastRun: async (parent: ReconciliationParent) => {
    const run = await parent.lastRun();
    return run ? ranView(run) : null;
  },
  openCounts: async (parent: ReconciliationParent) => {
    const counts = await parent.findings.openCounts();
    return FINDING_KINDS.map((kind) => ({ kind, count: counts[kind] }));
  },
  findings: (parent: ReconciliationParent, args: { open?: boolean | null; first?: number | null }): Promise<Finding[]> =>
    parent.findings.list({ open: args.open ?? undefined, limit: pageSize(args.first, 100, 1000) }),
};

export const ReconciliationMutations = {
  runReconciliation: async (_: unknown, __: unknown, context: GraphQLContext): Promise<RunView> => {
    authorize(context, 'reconciliation.run', { customerId: null });
    // An operator's action: in the audit log (by the runs) and in the log, with who asked.
    const outcome = await services(context).runs.runFor(context.principal.subject);
    context.log.info('reconciliation run on demand', { by: context.principal.subject, ran: outcome.ran });
    return outcomeView(outcome);
  },
};
