/**
 * The Worker the workerd tests run in (vitest.config.ts's `workerd` project): wrangler.toml's
 * bindings without the HTTP API, whose bundle the tests here do not need.
 */
export default {
  fetch(): Response {
    return new Response('erpfront workerd tests: no HTTP API here', { status: 404 });
  },
};
