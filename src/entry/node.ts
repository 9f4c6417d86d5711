/**
 * erpfront on Node: `npm run serve` (pointed at ERP_URL). Also exports `startErpfront` for the
 * development entry and the tests.
 *
 * @module
 */
import { getRequestListener } from '@hono/node-server';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { type EventLoopDelayMonitor, startEventLoopDelayMonitor } from '../adapters/event-loop/node-event-loop-delay.ts';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.ts';
import { createTimerScheduler } from '../adapters/scheduler/timer-scheduler.ts';
import { openBackends } from '../backends/open-backends.ts';
import { composeErpfront, type Erpfront } from '../compose.ts';
import { ConfigError, parseEnv, type Env } from '../config/env.ts';
import { parseBuyerOrganisations } from '../features/punchout/buyer-organisations-config.ts';
import type { BuyerOrganisation } from '../features/punchout/domain/buyer-organisation.ts';
import type { Clock } from '../ports/clock.ts';
import { createPinoLogger } from '../adapters/logging/pino-logger.ts';
import type { Logger } from '../ports/logger.ts';
import { signingSecret } from './dev-secret.ts';
import { readTrustedDocuments } from './trusted-documents-file.ts';
import { graphqlLane } from '../transport/node/graphql-lane.ts';

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

/**
 * GraphiQL's page, its module loaded on the first view: it carries the whole IDE as one string
 * (about 30 MB of heap, measured), which a process that never serves the page should not hold.
 */
async function renderGraphiQLOnDemand(options?: Record<string, unknown>): Promise<string> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  return renderGraphiQL(options);
}

/** Starts erpfront over HTTP with the given environment. */
export async function startErpfront(source: Record<string, string | undefined>, options: StartOptions = {}): Promise<RunningErpfront> {
  const env = parseEnv(source);
  const logger = createPinoLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  if (!env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
    logger.warn(`AUTH_JWT_SECRET is not set; using the development secret in ${env.DATA_DIR}. Set it in production.`);
  }
  // Before any store is opened: a broken manifest is a configuration error like any other.
  const trustedDocuments = readTrustedDocuments(env);
  const instanceId = `erpfront-${hostname()}-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  // Before anything is built: the SDK is loaded only when traces have somewhere to go.
  const tracing = env.OTEL_EXPORTER_OTLP_ENDPOINT ? await startTracing(env, instanceId, logger) : null;
  let backends: Awaited<ReturnType<typeof openBackends>>;
  try {
    backends = await openBackends(env, { instanceId, logger });
  } catch (error) {
    await tracing?.shutdown();
    throw error;
  }
  const recovered = backends.recoveredOrders;
  if (recovered)
    logger.warn(`${recovered} order(s) were being submitted when the last process stopped; they will be checked against the ERP first.`, { recovered });
  // Started once erpfront is built: building it (the schema, the stores) is one long stall that
  // says nothing about the load.
  let eventLoop: EventLoopDelayMonitor | undefined;
  let erpfront: Erpfront;
  try {
    erpfront = composeErpfront(env, {
      backends,
      punchOutBuyers: options.punchOutBuyers ?? loadBuyers(env.PUNCHOUT_BUYERS_FILE),
      trustedDocuments,
      metrics: createPrometheusMetrics({ processMetrics: true }),
      logger,
      jwtSecret: env.AUTH_JWKS_URL ? undefined : signingSecret(env),
      clock: options.clock,
      graphiqlHeaders: options.graphiqlHeaders,
      renderGraphiQL: renderGraphiQLOnDemand,
      instanceId,
      eventLoopDelay: () => eventLoop?.read() ?? { turnMs: 0, recentMs: 0, turn: 0 },
    });
  } catch (error) {
    await backends.close();
    await tracing?.shutdown();
    throw error;
  }
  const scheduler = createTimerScheduler({ logger });
  await erpfront.start(scheduler);
  eventLoop = startEventLoopDelayMonitor();
  // `POST /graphql` from node:http directly (transport/node/graphql-lane.ts), everything else through hono.
  const server = createServer(graphqlLane(erpfront.lane, getRequestListener(erpfront.app.fetch, { hostname: env.HOST })));
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${env.HOST}:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      // No new ticks; the submissions under way finish (or their leases say they may not have).
      await scheduler.stop();
      await erpfront.invalidation.stop();
      await backends.close();
      eventLoop?.stop();
      // Last: the spans of the work that just finished are exported too.
      await tracing?.shutdown();
    },
  };
}

/** The OpenTelemetry SDK with its OTLP exporter, imported only here and only when configured. */
async function startTracing(env: Env, instanceId: string, logger: Logger) {
  const { startOtlpTracing } = await import('../adapters/tracing/otlp-tracing.ts');
  const tracing = startOtlpTracing({
    endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT!,
    serviceName: env.OTEL_SERVICE_NAME,
    instanceId,
    sampleRatio: env.OTEL_TRACES_SAMPLER_ARG,
    exportDelayMs: env.OTEL_BSP_SCHEDULE_DELAY,
    logger,
  });
  logger.info('traces exported over OTLP/HTTP', { serviceName: env.OTEL_SERVICE_NAME, sampleRatio: env.OTEL_TRACES_SAMPLER_ARG });
  return tracing;
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
  // The connector, not ERP_URL: log lines do not name internal addresses (the configuration does).
  console.log(`erpfront: GraphQL at ${running.url}/graphql (ERP connector: ${process.env.ERP_CONNECTOR ?? 'sandbox'})`);
}
