/**
 * The Worker the workerd tests run in (vitest.config.ts's `workerd` project): wrangler.toml's
 * bindings and Durable Object classes without the HTTP API, whose bundle the store tests do not need.
 */
export { OrderStoreObject } from '../../src/adapters/stores/durable-object/order-store.ts';
export { OutboxStoreObject } from '../../src/adapters/stores/durable-object/outbox-store.ts';
export { ErpBudgetObject } from '../../src/adapters/stores/durable-object/erp-budget.ts';

export default {
  fetch(): Response {
    return new Response('erpfront workerd tests: no HTTP API here', { status: 404 });
  },
};
