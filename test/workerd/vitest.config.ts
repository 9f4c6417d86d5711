/**
 * The `workerd` vitest project (listed in the root vitest.config.ts): tests inside workerd, as the
 * code runs on Cloudflare. A file of its own so that @cloudflare/vitest-plugin, which loads
 * wrangler (seconds), is imported only when this project runs, not for every Node test file.
 *
 * One Worker with wrangler.toml's bindings (vars, Durable Objects and their migrations), its main
 * swapped for the test Worker (test/workerd/worker.ts), which exports the Durable Object classes
 * without the HTTP API the app's entry would bundle.
 */
import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineProject } from 'vitest/config';

// Offline: wrangler sends no metrics and fetches no `cf` object.
process.env.WRANGLER_SEND_METRICS ??= 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

export default defineProject({
  root: fileURLToPath(new URL('../..', import.meta.url)),
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
    include: ['test/workerd/**/*.test.ts'],
    // One workerd for every file (each scenario takes a Durable Object of its own name), not one
    // per file: about 3.5 s of start-up per file saved.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // After the Node projects (vitest.config.ts): workerd's budget tests run in real time.
    sequence: { groupOrder: 2 },
  },
});
