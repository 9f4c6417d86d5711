import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { longFirst } from './test/support/long-first-sequencer.ts';

// Offline: wrangler (which the Workers project loads to read wrangler.toml) sends no metrics and
// fetches no `cf` object. Set before the plugin starts it.
process.env.WRANGLER_SEND_METRICS ??= 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

// Every test file starts erpfront and the sandbox ERP as processes of their own (hundreds in a
// run), and each used to compile the whole app's TypeScript again: Node's module compile cache
// (shared by every process of the run, kept under node_modules/.cache) halves a start's CPU time
// (0.85 s to 0.44 s measured for the app's imports). Set here, so vitest's workers and every
// process they spawn inherit it.
process.env.NODE_COMPILE_CACHE ??= fileURLToPath(new URL('./node_modules/.cache/node-compile', import.meta.url));

/** Tests that run inside workerd (the Workers runtime), not on Node. */
const WORKERD_TESTS = 'test/workerd/**/*.test.ts';

/**
 * Whether a run of these command-line arguments may run a file whose path contains `part`: a run
 * that names no test files runs them all.
 */
function filesWanted(argv: readonly string[], part: string): boolean {
  const files = argv.filter((arg) => /\.test\.ts$/.test(arg) || /^(\.\/)?test\//.test(arg));
  return files.length === 0 || files.some((f) => f.includes(part));
}

/**
 * Whether this run may need the workerd project. Its config imports @cloudflare/vitest-plugin,
 * which loads wrangler: about 2.5 s added to every run, however small. So a run that names only
 * other projects (`--project node`) or only files outside test/workerd does not load it.
 */
function workerdWanted(argv: readonly string[]): boolean {
  const projects = argv.flatMap((arg, i) => (arg === '--project' ? [argv[i + 1] ?? ''] : arg.startsWith('--project=') ? [arg.slice(10)] : []));
  if (projects.length > 0 && !projects.some((p) => p.includes('workerd'))) return false;
  return filesWanted(argv, 'workerd');
}

/**
 * Whether this run may need the Tryton template (a full run, or one naming a Tryton file): its
 * build then starts with the run (test/support/tryton-template-setup.ts), not for a run of
 * other files, which would wait for it at the end.
 */
function trytonWanted(argv: readonly string[]): boolean {
  return filesWanted(argv, 'tryton');
}

/**
 * Files that run 12 s or more, started first, longest first (long-first-sequencer.ts): without
 * cached durations vitest starts the largest files first, and a short file that runs long, started
 * late, runs on alone at the end of the parallel part while the other slots idle (the fault
 * campaign did for 80 s). The Tryton files come after the others: their demo template, built from
 * the start of the run (tryton-template-setup.ts), is ready by then. Durations from the summary
 * reporter's `slowest files` on the 2-core machine; a file missing here only starts later.
 */
const LONG_RUNNING = [
  'test/e2e/chaos.test.ts',
  'test/workers/worker-concurrency.test.ts',
  'test/workers/worker-orders.test.ts',
  'test/e2e/request-fuzz.test.ts',
  'test/e2e/scale-out-orders.test.ts',
  'test/e2e/data-dir-lock.test.ts',
  'test/e2e/credit-concurrency.test.ts',
  'test/e2e/company-approvals.test.ts',
  'test/e2e/price-sheet.test.ts',
  'test/e2e/scale-out-redis-restart.test.ts',
  'test/e2e/quotes.test.ts',
  'test/e2e/scale-out-company.test.ts',
  'test/e2e/tryton-quotes-returns.test.ts',
  'test/contract/tryton-connector.test.ts',
  'test/e2e/tryton-acceptance.test.ts',
  'test/e2e/reconciliation.test.ts',
  'test/workers/worker-read-path.test.ts',
  'test/workers/worker-punchout.test.ts',
  'test/unit/xml-output.property.test.ts',
  'test/e2e/graphiql.test.ts',
  'test/e2e/order-outage.test.ts',
  'test/e2e/punchout-session-race.test.ts',
  'test/e2e/start-refusals.test.ts',
  'test/e2e/tryton-checkout.test.ts',
  'test/e2e/response-cache.test.ts',
];

/**
 * Files whose assertions are about time or load: refusals "in under 50 ms", a neighbour's p99
 * while another buyer floods, an ERP budget's concurrency under a surge, lease and timeout races
 * against a slowed ERP. They run one by one, after everything else, with the machine to
 * themselves, so another test file's processes cannot decide their outcome.
 */
const TIMING_SENSITIVE = [
  'test/e2e/change-feed-metrics.test.ts',
  'test/e2e/erp-budget.test.ts',
  'test/e2e/hostile-bodies.test.ts',
  'test/e2e/idempotency-claims.test.ts',
  'test/e2e/order-crash.test.ts',
  'test/e2e/order-slow-erp.test.ts',
  'test/e2e/outage.test.ts',
  'test/e2e/overload.test.ts',
  'test/e2e/punchout-hostile-values.test.ts',
  'test/e2e/punchout-samples.test.ts',
  'test/e2e/query-limits.test.ts',
  'test/e2e/sandbox-orders-faults.test.ts',
  'test/e2e/scale-out-budget.test.ts',
  'test/e2e/scale-out-changes.test.ts',
  'test/e2e/scale-out-invalidation.test.ts',
  'test/e2e/scale-out-throttle.test.ts',
  'test/e2e/throttle.test.ts',
  // Changes made in Tryton must show within its poll interval + 1 s.
  'test/e2e/tryton-changes.test.ts',
  'test/contract/redis-cache-store.test.ts',
  'test/contract/redis-erp-budget.test.ts',
  'test/contract/memory-erp-budget.test.ts',
  'test/contract/redis-throttle-store.test.ts',
  'test/unit/graphql/document-limits.test.ts',
  'test/unit/graphql/query-cost.test.ts',
  'test/unit/services/guarded-erp.test.ts',
  'test/unit/services/erp-budget.test.ts',
];

/** What every Node project shares. */
const node = {
  // Resolve packages as Node does, without the `development` condition Vite adds: graphql ships a
  // separate development build under it, and a test that runs yoga (loaded by Node) over our
  // modules (loaded through Vite) needs both to share one GraphQLError class.
  ssr: { resolve: { conditions: ['module', 'node'] } },
  // Tests start real servers (the sandbox ERP, erpfront over HTTP, Redis, Tryton): give them room
  // on a shared 2-core machine.
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    sequence: { sequencer: longFirst(LONG_RUNNING) },
    projects: [
      {
        ssr: node.ssr,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, WORKERD_TESTS, ...TIMING_SENSITIVE],
          testTimeout: node.testTimeout,
          hookTimeout: node.hookTimeout,
          // Three files at a time: most of a file's time is spent waiting on the processes it
          // started (an ERP's answer, a lease, a restart, a rate-limited campaign), so three share
          // the 2 cores well (one at a time, the run took 15 minutes on a load average under 2;
          // two at a time kept it under 4). Every file starts its servers on ports of its own and
          // keeps its data in directories of its own.
          fileParallelism: true,
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
          globalSetup: trytonWanted(process.argv.slice(2)) ? ['./test/support/tryton-template-setup.ts'] : [],
        },
      },
      {
        ssr: node.ssr,
        test: {
          name: 'node-timing',
          include: TIMING_SENSITIVE,
          testTimeout: node.testTimeout,
          hookTimeout: node.hookTimeout,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      // Its own file (groupOrder 2: workerd alone, last), loaded only when the run may need it
      // (see workerdWanted).
      ...(workerdWanted(process.argv.slice(2)) ? ['./test/workerd/vitest.config.ts'] : []),
    ],
  },
});
