/**
 * Reconciliation: erpfront's orders compared with the ERP's, every RECONCILE_EVERY_MINUTES and on
 * demand. An order the ERP lost is queued again (exactly once), lines or totals that differ are
 * reported with the differences, and every finding is kept with when it was first seen and when
 * it went away, counted in `/metrics` and listed for operations (`reconciliation`,
 * `runReconciliation`).
 *
 * Served where the backends keep orders, after the orders feature (whose dispatcher it wakes);
 * elsewhere its fields answer FORBIDDEN. The duplicate check of orders that were in doubt (orders
 * feature) writes its findings to the same store, as `DUPLICATE_IN_ERP`.
 *
 * @module
 */
import type { Feature } from '../feature.ts';
import { Reconciler } from './reconciler.ts';
import { ReconciliationRuns } from './reconciliation-runs.ts';
import { Reconciliation, ReconciliationMutations, ReconciliationQueries, type ReconciliationServices } from './resolvers.ts';
import { reconciliationTypeDefs } from './schema.ts';

declare module '../../transport/graphql/context.ts' {
  interface GraphQLServices {
    /** Reconciliation's runs and findings; absent where no orders are kept. */
    reconciliation?: ReconciliationServices;
  }
}

export const reconciliationFeature: Feature = {
  name: 'reconciliation',
  typeDefs: reconciliationTypeDefs,
  resolvers: { Query: ReconciliationQueries, Mutation: ReconciliationMutations, Reconciliation },
  setup({ env, backends, erp, clock, metrics, logger, instanceId, services }) {
    const store = backends.orders;
    if (!store) return {};
    const { findings, cursors } = backends;
    const log = logger.child({ job: 'reconciliation' });
    const runs = new ReconciliationRuns({
      run: (keepGoing) =>
        new Reconciler({
          store,
          findings,
          erp,
          clock,
          metrics,
          logger: log,
          windowMs: env.RECONCILE_DAYS * 86_400_000,
          // The ERP may still be entering an order it answered for this long ago (its time limit).
          settleMs: env.ERP_MAX_REQUEST_SECONDS * 1000,
          onRequeued: () => services.orders?.dispatcher.wake(),
          keepGoing,
        }).run(),
      findings,
      cursors,
      instanceId,
      clock,
      metrics,
      logger: log,
      everyMs: env.RECONCILE_EVERY_MINUTES * 60_000,
      audit: backends.audit,
    });
    metrics.observeReconciliation(async () => {
      const [open, last] = await Promise.all([findings.openCounts(), findings.lastRun()]);
      return { open, lastRunAt: last ? Date.parse(last.finishedAt) : null };
    });
    const job = runs.job();
    return { services: { reconciliation: { runs, findings } }, jobs: job ? [job] : [] };
  },
};
