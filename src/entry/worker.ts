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
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { loggableError } from '../domain/loggable-error.ts';
import { composeOnWorkers, readWorkerConfig, type WorkerEnv } from './worker-core.ts';
import { remoteScheduler, startJobs } from './worker-jobs.ts';

// The Durable Object classes of wrangler.toml: a Worker must export every class it binds.
export { OrderStoreObject } from '../adapters/stores/durable-object/order-store.ts';
export { OutboxStoreObject } from '../adapters/stores/durable-object/outbox-store.ts';
export { ErpBudgetObject } from '../adapters/stores/durable-object/erp-budget.ts';
export { PunchOutStoreObject } from '../adapters/stores/durable-object/punchout-store.ts';
export { CompanyStoreObject } from '../adapters/stores/durable-object/company-store.ts';
export { ApplicationStoreObject } from '../adapters/stores/durable-object/application-store.ts';
export { OperationsStoreObject } from '../adapters/stores/durable-object/operations-store.ts';
export { ThrottleBucketObject } from '../adapters/stores/durable-object/throttle-store.ts';
export { CacheInvalidationObject } from '../adapters/stores/workers-cache/invalidation-log.ts';
export { JobsObject } from './worker-jobs.ts';
export type { WorkerEnv } from './worker-core.ts';

type Handler = (request: Request, env: WorkerEnv, ctx: unknown) => Response | Promise<Response>;

/** The part of a fetch event's context erpfront uses. */
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

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
  const config = readWorkerConfig(bindings);
  if (!config.env) {
    const { problems } = config;
    // parseEnv never quotes a secret's value nor a URL's credentials (config/env.ts), so the
    // problems can be shown as they are. Logged once per isolate (the handler is memoised), not on every request.
    console.error(`erpfront: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    const message = `erpfront is not configured correctly: ${problems.join('; ')}`;
    return () => errorResponse('CONFIGURATION_ERROR', message, { problems });
  }
  const { erpfront, backends, logger } = composeOnWorkers(config, bindings);
  // Orders where wrangler.toml binds the Durable Objects: the jobs run in the jobs object, on its
  // alarm; this isolate only wakes them. Without it, the read path alone and no jobs.
  const jobs = bindings.JOBS as DurableObjectNamespace | undefined;
  if (jobs) {
    erpfront.background.track(
      erpfront
        .start(remoteScheduler(jobs, erpfront.background))
        .catch((error: unknown) => logger.error('erpfront could not start its jobs', { err: loggableError(error) })),
    );
    erpfront.background.track(
      startJobs(jobs).catch((error: unknown) => logger.error('erpfront could not reach its jobs object', { err: loggableError(error) })),
    );
  }
  // Other isolates' cache invalidations, read at most every CACHE_EVENTS_POLL_MS: an isolate cannot
  // be pushed to, so each request first takes in what was published since (never rejects).
  return async (request, env, ctx) => {
    await backends.catchUpInvalidations();
    const response = await erpfront.app.fetch(request, env, ctx as never);
    // A request's answer ends whatever it started and did not wait for, unless it is handed to
    // waitUntil: a stale entry's refresh cancelled half-way would hold every later read of its keys.
    if (erpfront.background.size > 0) (ctx as ExecutionContext).waitUntil(erpfront.background.settled());
    return response;
  };
}

/** A 500 in the shape of every other erpfront error: `errors[0].extensions.code`. */
function errorResponse(code: string, message: string, extensions: Record<string, unknown> = {}): Response {
  const body = { errors: [{ message, extensions: { code, ...extensions } }] };
  return new Response(JSON.stringify(body), { status: 500, headers: { 'content-type': 'application/json; charset=utf-8' } });
}
