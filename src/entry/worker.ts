/**
 * erpfront on Cloudflare Workers (`wrangler dev`, `wrangler deploy`; see wrangler.toml): the same
 * core as on Node, built once per isolate from the Worker's bindings.
 *
 * What differs from the Node entry, and why:
 * - AUTH_JWT_SECRET (or AUTH_JWKS_URL) and ERP_URL are required: there is no DATA_DIR to keep a
 *   development secret in, and no sandbox ERP beside the Worker for the default URL to reach;
 * - an invalid configuration answers every request with a 500 listing the problems, since a
 *   Worker cannot refuse to start the way `node src/entry/node.ts` exits 1.
 *
 * @module
 */
import { createJsonLinesLogger } from '../adapters/logging/json-lines-logger.ts';
import type { LogLevel } from '../ports/logger.ts';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.ts';
import { openMemoryBackends } from '../backends/memory.ts';
import { composeErpfront } from '../compose.ts';
import { ConfigError, parseEnv } from '../config/env.ts';

// The Durable Object classes of wrangler.toml: a Worker must export every class it binds.
export { OrderStoreObject } from '../adapters/stores/durable-object/order-store.ts';
export { OutboxStoreObject } from '../adapters/stores/durable-object/outbox-store.ts';
export { ErpBudgetObject } from '../adapters/stores/durable-object/erp-budget.ts';

/** The bindings erpfront reads: wrangler.toml's [vars] and the AUTH_JWT_SECRET secret. */
export type WorkerEnv = Record<string, unknown>;

type Handler = (request: Request, env: WorkerEnv, ctx: unknown) => Response | Promise<Response>;

// Built on the first request and kept for the isolate's life: the schema, the cache and the token
// memo must outlive a request to be worth anything. Bindings cannot change within an isolate (a
// new deployment or `wrangler secret put` starts new ones), so the first env is the env.
let handler: Handler | undefined;

export default {
  /** Serves erpfront's HTTP API (`/graphql`, `/healthz`, `/readyz`, `/metrics`). */
  fetch(request: Request, env: WorkerEnv, ctx: unknown): Response | Promise<Response> {
    try {
      handler ??= buildHandler(env);
    } catch (error) {
      // Not a configuration problem (those are answered below) but a bug: say so in JSON, as the
      // app would, rather than with the runtime's HTML error page; the next request tries again.
      console.error('erpfront: could not start', error);
      return errorResponse('INTERNAL_SERVER_ERROR', 'erpfront could not start; the error has been logged.');
    }
    return handler(request, env, ctx);
  },
};

function buildHandler(bindings: WorkerEnv): Handler {
  // Only strings are configuration: other bindings (KV, Durable Objects later) are objects.
  const source = Object.fromEntries(Object.entries(bindings).filter((e): e is [string, string] => typeof e[1] === 'string'));
  let problems: string[] = [];
  let env: ReturnType<typeof parseEnv> | undefined;
  try {
    env = parseEnv(source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems = [...error.problems];
  }
  problems.push(...workerOnlyProblems(source, problems));
  if (!env || problems.length > 0) {
    // parseEnv never quotes a secret's value nor a URL's credentials (config/env.ts), so the
    // problems can be shown as they are. Logged once per isolate (the handler is memoised), not on every request.
    console.error(`erpfront: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    const message = `erpfront is not configured correctly: ${problems.join('; ')}`;
    return () => errorResponse('CONFIGURATION_ERROR', message, { problems });
  }

  // No order store yet (Durable Objects come with the Workers issue): the read path and PunchOut
  // sessions, and no jobs to schedule.
  const logger = createJsonLinesLogger({ level: env.LOG_LEVEL, sink: consoleSink });
  // The OpenTelemetry SDK is Node's (entry/node.ts); here the API's spans stay no-ops.
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) logger.warn('OTEL_EXPORTER_OTLP_ENDPOINT is ignored on Workers: erpfront exports traces from Node only');
  const { app } = composeErpfront(env, {
    backends: openMemoryBackends(env),
    // prom-client runs in workerd under nodejs_compat; process metrics are Node's own.
    metrics: createPrometheusMetrics({ processMetrics: false }),
    logger,
    // workerd forbids code generation from strings, which graphql-jit is made of.
    jit: false,
    // Cloudflare compresses at the edge.
    compress: false,
  });
  return (request, env, ctx) => app.fetch(request, env, ctx as never);
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
  return problems;
}

/** A 500 in the shape of every other erpfront error: `errors[0].extensions.code`. */
function errorResponse(code: string, message: string, extensions: Record<string, unknown> = {}): Response {
  const body = { errors: [{ message, extensions: { code, ...extensions } }] };
  return new Response(JSON.stringify(body), { status: 500, headers: { 'content-type': 'application/json; charset=utf-8' } });
}
