/**
 * The sandbox ERP as a hono app: web standards only, so it runs wherever hono does. The Node
 * server around it lives in `server.ts`.
 *
 * @module
 */
import { Hono } from 'hono';
import { activityRoutes } from './activity-routes.ts';
import { accountRoutes } from './account-routes.ts';
import { apiRoutes, operationOf } from './api.ts';
import { changeRoutes } from './change-routes.ts';
import { checkoutRoutes } from './checkout-routes.ts';
import { controlRoutes } from './control.ts';
import { DEFAULT_SEED, dataSetFor } from './data-set.ts';
import { driftRoutes } from './drift-routes.ts';
import { applyFaults, createFaultState } from './faults.ts';
import { createInvoiceBook } from './invoice-book.ts';
import { invoiceApiRoutes, invoiceControlRoutes } from './invoice-routes.ts';
import { createLiveData } from './live-data.ts';
import { createOrderBook } from './order-book.ts';
import { orderRoutes } from './order-routes.ts';
import { paymentRoutes } from './payment-routes.ts';
import { createQuoteBook } from './quote-book.ts';
import { quoteApiRoutes, quoteControlRoutes } from './quote-routes.ts';
import { returnRoutes } from './return-routes.ts';
import { createStats } from './stats.ts';
import { createWebhookSender, type WebhookSender } from './webhook-sender.ts';

export interface SandboxAppOptions {
  /** Seed of the data set; the same seed gives the same ERP. @default 42 */
  seed?: number;
  /**
   * The sandbox's clock: health time, the dates of incoming receipts, and orders' creation and
   * progress (shipments, invoices). @default () => new Date()
   */
  now?: () => Date;
  /** Randomness of the faults (jitter, which requests fail), not of the data. @default Math.random */
  random?: () => number;
  /** The ERP's own limit on a request (ms); a request running longer is abandoned. @default 30000 */
  maxRequestMs?: number;
  /** Refuse a second order with the same external reference (409). @default false */
  uniqueExternalRefs?: boolean;
  /** Delivers change webhooks (`webhook-sender.ts`). @default none: changes are not announced */
  webhooks?: WebhookSender;
}

/** Creates the sandbox ERP app: `/api/v1/*` (subject to faults) and `/__control/*` (never). */
export function createSandboxApp(options: SandboxAppOptions = {}): Hono {
  // The generated data with this sandbox's own changes (POST /__control/changes) over it.
  const live = createLiveData(dataSetFor(options.seed ?? DEFAULT_SEED));
  const data = live.data;
  const webhooks = options.webhooks ?? createWebhookSender({ target: () => null });
  const now = options.now ?? (() => new Date());
  const faults = createFaultState({
    ...(options.maxRequestMs !== undefined ? { maxRequestMs: options.maxRequestMs } : {}),
    ...(options.uniqueExternalRefs !== undefined ? { uniqueExternalRefs: options.uniqueExternalRefs } : {}),
  });
  const stats = createStats();
  const orders = createOrderBook(data, { clock: () => now().getTime(), stepMs: () => faults.current().orderStepMs });

  const accounts = accountRoutes(live, faults);
  const invoices = createInvoiceBook({
    data,
    anchor: now(),
    ordersOf: (customerId) => orders.byCustomer(customerId, 0, Number.MAX_SAFE_INTEGER).value,
    orderByNumber: (number) => {
      const view = orders.list().find((o) => o.number === number);
      return view && orders.byCustomer(view.customerId, 0, Number.MAX_SAFE_INTEGER).value.find((o) => o.number === number);
    },
    now,
  });
  const quotes = createQuoteBook(data, now);
  const returns = returnRoutes(orders, invoices, faults, now);

  const app = new Hono();
  app.route(
    '/__control',
    controlRoutes(faults, stats, orders, () => {
      live.reset();
      accounts.reset();
      invoices.reset();
      quotes.reset();
      returns.reset();
    }),
  );
  app.route('/__control', changeRoutes(live, webhooks, now));
  app.route('/__control', driftRoutes(orders));
  app.route('/__control', invoiceControlRoutes(invoices));
  app.route('/__control', quoteControlRoutes(quotes, orders));
  app.route('/__control', returns.control);
  app.use('/api/*', applyFaults(faults, stats, operationOf, { random: options.random ?? Math.random, clock: () => Date.now() }));
  app.route('/api/v1', apiRoutes(data, now, orders.customer));
  app.route('/api/v1', orderRoutes(orders, faults, stats));
  app.route('/api/v1', activityRoutes(data, orders, now));
  app.route('/api/v1', accounts.api);
  app.route('/api/v1', quoteApiRoutes(quotes, faults));
  app.route('/api/v1', returns.api);
  app.route('/api/v1', checkoutRoutes(data));
  app.route('/api/v1', invoiceApiRoutes(invoices));
  app.route(
    '/payments/v1',
    paymentRoutes(() => now().getTime()),
  );
  app.notFound((c) => c.json({ error: `No route ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.onError((error, c) => c.json({ error: `Internal server error: ${error.message}` }, 500));
  return app;
}
