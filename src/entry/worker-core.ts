/**
 * erpfront's core as the Worker builds it, shared by its two runners: the isolates that serve
 * HTTP (`worker.ts`) and the Durable Object that runs the jobs on its alarm (`worker-jobs.ts`).
 * Both read the same bindings and compose the same core over the same Durable Object stores.
 *
 * @module
 */
import { BackgroundWork } from '../services/background-work.ts';
import { createJsonLinesLogger } from '../adapters/logging/json-lines-logger.ts';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.ts';
import { type DurableObjectBackends, type DurableObjectBindings, openDurableObjectBackends } from '../backends/durable-objects.ts';
import { composeErpfront, type Erpfront } from '../compose.ts';
import { ConfigError, type Env, parseEnv } from '../config/env.ts';
import { parseBuyerOrganisations } from '../features/punchout/buyer-organisations-config.ts';
import type { BuyerOrganisation } from '../features/punchout/domain/buyer-organisation.ts';
import type { Logger, LogLevel } from '../ports/logger.ts';

/**
 * The bindings erpfront reads: wrangler.toml's [vars], the AUTH_JWT_SECRET secret, the
 * PUNCHOUT_BUYERS secret (the buyers file's JSON: a Worker has no file system), the Durable Objects.
 */
export type WorkerEnv = Record<string, unknown>;

/** What the bindings configure. */
export interface WorkerConfig {
  env: Env;
  /** The PunchOut buyers of the PUNCHOUT_BUYERS secret (none without it). */
  buyers: BuyerOrganisation[];
}

/** The configuration in the bindings, or every problem with it. */
export function readWorkerConfig(bindings: WorkerEnv): (WorkerConfig & { problems: [] }) | { env: undefined; problems: string[] } {
  // Only strings are configuration: other bindings (Durable Objects) are objects.
  const source = Object.fromEntries(Object.entries(bindings).filter((e): e is [string, string] => typeof e[1] === 'string'));
  let problems: string[] = [];
  let env: Env | undefined;
  let buyers: BuyerOrganisation[] = [];
  try {
    env = parseEnv(source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems = [...error.problems];
  }
  try {
    // Validated as the buyers file is on Node: every problem with its JSON path, no secret echoed.
    if (source.PUNCHOUT_BUYERS) buyers = parseBuyerOrganisations(source.PUNCHOUT_BUYERS, 'PUNCHOUT_BUYERS');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  problems.push(...workerOnlyProblems(source, problems));
  return env && problems.length === 0 ? { env, buyers, problems: [] } : { env: undefined, problems };
}

/** The core over the Durable Object backends (the memory set where wrangler.toml binds none). */
export function composeOnWorkers({ env, buyers }: WorkerConfig, bindings: WorkerEnv): { erpfront: Erpfront; backends: DurableObjectBackends; logger: Logger } {
  const logger = createJsonLinesLogger({ level: env.LOG_LEVEL, sink: consoleSink });
  // The OpenTelemetry SDK is Node's (entry/node.ts); here the API's spans stay no-ops.
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) logger.warn('OTEL_EXPORTER_OTLP_ENDPOINT is ignored on Workers: erpfront exports traces from Node only');
  // One for the backends (the ERP budget's permit releases) and the core (cache refreshes, job wakes).
  const background = new BackgroundWork();
  const backends = openDurableObjectBackends(env, bindings as DurableObjectBindings, logger, background);
  const erpfront = composeErpfront(env, {
    backends,
    background,
    punchOutBuyers: buyers,
    // prom-client runs in workerd under nodejs_compat; process metrics are Node's own.
    metrics: createPrometheusMetrics({ processMetrics: false }),
    logger,
    // workerd forbids code generation from strings, which graphql-jit is made of.
    jit: false,
    // Cloudflare compresses at the edge.
    compress: false,
  });
  return { erpfront, backends, logger };
}

/** Workers Logs and `wrangler tail` keep each console line with its level. */
function consoleSink(level: LogLevel, line: string): void {
  console[level](line);
}

/** What parseEnv allows for a Node process but a Worker cannot run without. */
function workerOnlyProblems(source: Record<string, string>, reported: string[]): string[] {
  const already = (name: string) => reported.some((p) => p.startsWith(`${name}:`));
  const problems: string[] = [];
  if (!source.AUTH_JWT_SECRET && !source.AUTH_JWKS_URL && !already('AUTH_JWT_SECRET')) {
    problems.push('AUTH_JWT_SECRET: required on Workers (`wrangler secret put AUTH_JWT_SECRET`; `.dev.vars` for `wrangler dev`), or set AUTH_JWKS_URL');
  }
  if (!source.ERP_URL && !already('ERP_URL')) {
    problems.push('ERP_URL: required on Workers: no sandbox ERP runs beside a Worker for the default to reach');
  }
  // A Worker has no file system; the Workers issue bundles manifests. Until then, APQ and free queries only.
  if (source.TRUSTED_DOCUMENTS_FILE) {
    problems.push(
      'TRUSTED_DOCUMENTS_FILE: not read on Workers yet (no file system); leave it unset (TRUSTED_DOCUMENTS=only needs it, so it is Node-only for now)',
    );
  }
  if (source.PUNCHOUT_BUYERS_FILE) {
    problems.push(
      "PUNCHOUT_BUYERS_FILE: not read on Workers (no file system); put the file's JSON in the PUNCHOUT_BUYERS secret instead (`wrangler secret put PUNCHOUT_BUYERS < buyers.json`)",
    );
  }
  return problems;
}
