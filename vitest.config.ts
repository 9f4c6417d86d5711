import { configDefaults, defineConfig } from 'vitest/config';

// Offline: wrangler (which the Workers project loads to read wrangler.toml) sends no metrics and
// fetches no `cf` object. Set before the plugin starts it.
process.env.WRANGLER_SEND_METRICS ??= 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

/** Tests that run inside workerd (the Workers runtime), not on Node. */
const WORKERD_TESTS = 'test/workerd/**/*.test.ts';

/**
 * Whether this run may need the workerd project. Its config imports @cloudflare/vitest-plugin,
 * which loads wrangler: about 2.5 s added to every run, however small. So a run that names only
 * other projects (`--project node`) or only files outside test/workerd does not load it.
 */
function workerdWanted(argv: readonly string[]): boolean {
  const projects = argv.flatMap((arg, i) => (arg === '--project' ? [argv[i + 1] ?? ''] : arg.startsWith('--project=') ? [arg.slice(10)] : []));
  if (projects.length > 0 && !projects.some((p) => p.includes('workerd'))) return false;
  const files = argv.filter((arg) => /\.test\.ts$/.test(arg) || /^(\.\/)?test\//.test(arg));
  return files.length === 0 || files.some((f) => f.includes('workerd'));
}

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
      // Its own file, loaded only when the run may need it (see workerdWanted).
      ...(workerdWanted(process.argv.slice(2)) ? ['./test/workerd/vitest.config.ts'] : []),
    ],
  },
});
