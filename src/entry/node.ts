/**
 * erpfront on Node: `npm run serve` (pointed at ERP_URL). Also exports `startErpfront` for the
 * development entry and the tests.
 *
 * @module
 */
import { serve } from '@hono/node-server';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteOrderStore } from '../adapters/stores/sqlite/order-store.ts';
import { createSqlitePunchOutStore } from '../adapters/stores/sqlite/punchout-store.ts';
import { openRedisStores } from '../adapters/stores/redis/index.ts';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.ts';
import { composeErpfront } from '../compose.ts';
import { ConfigError, parseEnv } from '../config/env.ts';
import { parseBuyerOrganisations } from '../config/buyer-organisations.ts';
import type { BuyerOrganisation } from '../domain/punchout/buyer-organisation.ts';
import type { Clock } from '../ports/clock.ts';
import { createPinoLogger } from '../adapters/logging/pino-logger.ts';
import { loggableError } from '../domain/loggable-error.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { signingSecret } from './dev-secret.ts';

const SCHEMA = new URL('../../schema.graphql', import.meta.url);

export interface RunningErpfront {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Extra headers GraphiQL starts with (the development entry puts a demo token there). */
  graphiqlHeaders?: string;
  /** PunchOut buyers (the development entry's demo buyers); default from PUNCHOUT_BUYERS_FILE. */
  punchOutBuyers?: BuyerOrganisation[];
}

/** The PunchOut buyers of PUNCHOUT_BUYERS_FILE, validated; a broken file stops the start. */
function loadBuyers(file: string | undefined): BuyerOrganisation[] {
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`PUNCHOUT_BUYERS_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  return parseBuyerOrganisations(text);
}

/** Starts erpfront over HTTP with the given environment. */
export async function startErpfront(source: Record<string, string | undefined>, options: StartOptions = {}): Promise<RunningErpfront> {
  const env = parseEnv(source);
  const logger = createPinoLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  if (!env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
    logger.warn(`AUTH_JWT_SECRET is not set; using the development secret in ${env.DATA_DIR}. Set it in production.`);
  }
  const instanceId = `erpfront-${hostname()}-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  // With Redis, several instances share one queue: no DATA_DIR lock, and no releasing of leases at
  // start (they may be a live instance's); a dead instance's leases run out and are reclaimed.
  const redis = env.REDIS_URL
    ? await openRedisStores({
      url: env.REDIS_URL, instanceId, keyPrefix: env.REDIS_KEY_PREFIX, queue: env.ORDER_QUEUE,
      budgetName: `${env.ERP_CONNECTOR}@${new URL(env.ERP_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}`).host}`,
      requestsPerSecond: env.ERP_REQUESTS_PER_SECOND, maxConcurrent: env.ERP_MAX_CONCURRENT,
      budgetLeaseMs: env.ERP_BUDGET_LEASE_SECONDS * 1000, allowVolatileOrders: env.REDIS_ALLOW_VOLATILE_ORDERS, logger,
    })
    : null;
  const unlock = redis ? () => {} : lockDataDir(env.DATA_DIR);
  const orderStore = redis?.orderStore ?? createSqliteOrderStore({ path: join(env.DATA_DIR, 'orders.sqlite') });
  // A file of its own: PunchOut's schema versions independently of the orders'.
  const punchOutStore = redis?.punchOutStore ?? createSqlitePunchOutStore({ path: join(env.DATA_DIR, 'punchout.sqlite') });
  // This process owns the store (the lock): leases still recorded belong to a crashed
  // predecessor. Their orders are released now, in doubt, instead of after the lease runs out.
  const recovered = redis ? 0 : await orderStore.releaseLeases(Date.now());
  if (recovered) logger.warn(`${recovered} order(s) were being submitted when the last process stopped; they will be checked against the ERP first.`, { recovered });
  const punchOutBuyers = options.punchOutBuyers ?? loadBuyers(env.PUNCHOUT_BUYERS_FILE);
  const { app, dispatcher, duplicateCheck, invalidation, punchOutNotifier } = composeErpfront(env, {
    punchOutBuyers,
    typeDefs: readFileSync(SCHEMA, 'utf8'),
    metrics: createPrometheusMetrics({ processMetrics: true }),
    logger,
    jwtSecret: env.AUTH_JWKS_URL ? undefined : signingSecret(env),
    clock: options.clock,
    graphiqlHeaders: options.graphiqlHeaders,
    renderGraphiQL,
    orderStore,
    punchOutStore,
    instanceId,
    budget: redis?.budget,
    sharedCache: redis?.sharedCache,
    invalidationBus: redis?.bus,
  });
  await invalidation.start();
  dispatcher?.start();
  punchOutNotifier?.start();
  const purge = setInterval(() => {
    void orderStore.purgeExpiredKeys(Date.now()).catch(() => {});
    void punchOutStore.purgeExpired(Date.now()).catch(() => {});
  }, 3_600_000);
  purge.unref();
  // Orders that were in doubt are checked for a second ERP entry (README "Orders": exactly once).
  let reconciling = false;
  const reconcile = setInterval(() => {
    if (reconciling || !duplicateCheck) return;
    reconciling = true;
    duplicateCheck.tick().catch((error: unknown) => logger.error('the duplicate order check failed', { err: loggableError(error) })).finally(() => (reconciling = false));
  }, env.RECONCILE_INTERVAL_SECONDS * 1000);
  reconcile.unref();
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${env.HOST}:${port}`,
    port,
    async close() {
      clearInterval(purge);
      clearInterval(reconcile);
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await punchOutNotifier?.stop();
      await dispatcher?.stop();
      await orderStore.close();
      await punchOutStore.close();
      await invalidation.stop();
      await redis?.close();
      unlock();
    },
  };
}

/** Runs until SIGINT/SIGTERM, exiting 1 with every configuration problem listed. */
export async function main(source = process.env, options: StartOptions = {}): Promise<RunningErpfront> {
  try {
    const running = await startErpfront(source, options);
    const stop = () => void running.close().finally(() => process.exit(0));
    process.once('SIGINT', stop).once('SIGTERM', stop);
    return running;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`erpfront: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

if (import.meta.main) {
  const running = await main();
  console.log(`erpfront: GraphQL at ${running.url}/graphql (ERP: ${process.env.ERP_URL ?? 'sandbox default'})`);
}
