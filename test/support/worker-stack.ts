/**
 * The Worker of wrangler.toml (bundled as `wrangler dev` bundles it, its Durable Objects and
 * migrations included) in front of a sandbox ERP on Node, with the same helpers a Node stack has
 * (GraphQL as a buyer, the sandbox's faults), so a scenario written for Node runs here unchanged.
 * Offline and hermetic, as wrangler-worker.ts starts it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../../scripts/sign-token.ts';
import { startSandboxErp } from '../../src/sandbox-erp/server.ts';
import { sandboxControl, type GraphQLAnswer } from './stack.ts';
import { startWorker } from './wrangler-worker.ts';

/** Where a scenario sends GraphQL: the Worker, as any client reaches it. */
export interface WorkerFront {
  graphql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<GraphQLAnswer<T>>;
}

export type WorkerStack = Awaited<ReturnType<typeof startWorkerStack>>;

/**
 * Starts the sandbox ERP in this process and the Worker in workerd with `vars` on top of
 * wrangler.toml's [vars]; its Durable Objects keep their state in a directory of their own.
 */
export async function startWorkerStack(vars: Record<string, string> = {}) {
  const sandbox = await startSandboxErp({ port: 0 });
  const secret = randomBytes(32).toString('base64url');
  let persist = mkdtempSync(join(tmpdir(), 'erpfront-worker-'));
  let settings = { ...vars };
  /** The Worker with `settings`, its Durable Objects' state in `persist` (kept across restarts). */
  const start = async () => {
    const started = await startWorker(
      {
        ERP_URL: { type: 'plain_text', value: sandbox.url },
        AUTH_JWT_SECRET: { type: 'secret_text', value: secret },
        ...Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, { type: 'plain_text' as const, value }])),
      },
      { persist, logLevel: 'none' },
    );
    await started.ready;
    const url = new URL(await started.url).origin;
    // `ready` is wrangler's proxy: the Worker itself is bundled and started on the first request
    // (seconds), which is made here so that no scenario's timing includes it.
    const health = await fetch(`${url}/healthz`);
    await health.arrayBuffer();
    if (health.status !== 200) throw new Error(`the Worker answered /healthz with ${health.status}`);
    return { worker: started, url };
  };
  let { worker, url: origin } = await start();
  let running = true;

  const control = sandboxControl(sandbox.url);
  const buyerToken = (customerId: string) => signToken({ secret, roles: ['buyer'], customerId });

  /** GraphQL on the Worker, through wrangler's proxy as a client reaches it. */
  const front: WorkerFront = {
    async graphql(query, variables = {}, options = {}) {
      const token = options.token === undefined ? await buyerToken('C0001') : options.token;
      const response = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json(), headers: response.headers };
    },
  };

  return {
    sandbox,
    get worker() {
      return worker;
    },
    get url() {
      return origin;
    },
    buyerToken,
    graphql: front.graphql,
    faults: (faults: Record<string, unknown>) => control('faults', faults),
    control,
    /**
     * Starts the Worker again (after killing it, if it runs) with `vars` changed: on the same
     * Durable Object state, or `fresh`: on new state, in front of a sandbox reset to its seed data.
     */
    async restart(vars: Record<string, string> = {}, options: { fresh?: boolean } = {}) {
      await this.kill();
      settings = { ...settings, ...vars };
      if (options.fresh) {
        rmSync(persist, { recursive: true, force: true });
        persist = mkdtempSync(join(tmpdir(), 'erpfront-worker-'));
        await control('reset', {});
      }
      ({ worker, url: origin } = await start());
      running = true;
    },
    /** Kills workerd, mid-call: every request in flight dies with it (`restart` starts it again). */
    async kill() {
      if (running) await worker.dispose();
      running = false;
    },
    async close() {
      await control('faults', { outage: false, latencyMs: 0 }).catch(() => {});
      if (running) await worker.dispose();
      await sandbox.close();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}
