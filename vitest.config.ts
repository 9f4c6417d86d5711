import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { configDefaults, defineConfig } from 'vitest/config';

// Offline: wrangler (which the Workers project loads to read wrangler.toml) sends no metrics and
// fetches no `cf` object. Set before the plugin starts it.
process.env.WRANGLER_SEND_METRICS ??= 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

/** Tests that run inside workerd (the Workers runtime), not on Node. */
const WORKERD_TESTS = 'test/workerd/**/*.test.ts';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        // Resolve packages as Node does, without the `development` condition Vite adds: graphql ships a
        // separate development build under it, and a test that runs yoga (loaded by Node) over our
        // modules (loaded through Vite) needs both to share one GraphQLError class.
        ssr: { resolve: { conditions: ['module', 'node'] } },
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, WORKERD_TESTS],
          // Tests start real servers (the sandbox ERP, erpfront over HTTP): give them room on a
          // shared 2-core machine, and run files one by one so ports and CPU are not fought over.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // Tests inside workerd, as the code runs on Cloudflare: one Worker with wrangler.toml's
        // bindings (vars, Durable Objects and their migrations), its main swapped for the test
        // Worker (test/workerd/worker.ts), which exports the Durable Object classes without the
        // HTTP API the app's entry would bundle. Only files under test/workerd start workerd.
        plugins: [
          cloudflareTest({
            main: './test/workerd/worker.ts',
            wrangler: { configPath: './wrangler.toml' },
            // Test-only objects, beside wrangler.toml's.
            miniflare: { durableObjects: { SCHEDULER_PROBE: { className: 'SchedulerProbeObject', useSQLite: true } } },
          }),
        ],
        test: {
          name: 'workerd',
          include: [WORKERD_TESTS],
          // One workerd for every file (each scenario takes a Durable Object of its own name), not
          // one per file: about 3.5 s of start-up per file saved.
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
