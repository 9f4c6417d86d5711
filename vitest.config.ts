import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Resolve packages as Node does, without the `development` condition Vite adds: graphql ships a
  // separate development build under it, and a test that runs yoga (loaded by Node) over our
  // modules (loaded through Vite) needs both to share one GraphQLError class.
  ssr: { resolve: { conditions: ['module', 'node'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real servers (the sandbox ERP, erpfront over HTTP): give them room on a
    // shared 2-core machine, and run files one by one so ports and CPU are not fought over.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
