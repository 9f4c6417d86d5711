/**
 * Operations endpoints: liveness, readiness and metrics.
 *
 * @module
 */
import { Hono } from 'hono';
import type { Clock } from '../../ports/clock.ts';
import type { ErpBudget } from '../../ports/erp-budget.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { OrderStore } from '../../ports/order-store.ts';
import type { CircuitBreaker } from '../../services/circuit-breaker.ts';
import type { ErpHealth } from '../../services/erp-health.ts';

export interface OpsRoutesOptions {
  health: ErpHealth;
  metrics: Metrics;
  /** While the ERP is down for less than this, erpfront is ready: it serves cached data, marked stale. */
  maxStaleSeconds: number;
  connector: string;
  breaker?: CircuitBreaker;
  budget?: ErpBudget;
  orders?: OrderStore;
  clock: Clock;
}

export function opsRoutes(options: OpsRoutesOptions): Hono {
  const app = new Hono();

  /** The process is up. Says nothing about the ERP: restarting erpfront would not fix it. */
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  /**
   * Ready while the ERP answers (`ready`), or while it has been down for less than the stale limit
   * (`degraded`: 200, since every instance serves the same stale data and pulling them all out of
   * a load balancer would only turn stale answers into none). 503 after that.
   */
  app.get('/readyz', async (c) => {
    const erp = await options.health.check();
    const withinLimits = erp.reachable || erp.downForSeconds < options.maxStaleSeconds;
    const status = erp.reachable ? 'ready' : withinLimits ? 'degraded' : 'unavailable';
    return c.json(
      {
        status,
        erp: { connector: options.connector, ...erp },
        servingStale: !erp.reachable && withinLimits,
        breaker: options.breaker?.snapshot() ?? null,
        budget: options.budget?.snapshot() ?? null,
        orderQueue: options.orders ? await options.orders.queueStats(options.clock.now()) : null,
      },
      withinLimits ? 200 : 503,
    );
  });

  app.get('/metrics', async (c) => c.body(await options.metrics.render(), 200, { 'content-type': options.metrics.contentType }));

  return app;
}
